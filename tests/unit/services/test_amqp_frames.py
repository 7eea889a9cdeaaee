"""The event outbox's hand-encoded basic.publish is byte for byte what py-amqp sends for the
same message, so RabbitMQ and every consumer see no difference."""

from __future__ import annotations

import amqp
import pytest
from amqp import spec
from amqp.method_framing import frame_writer

from services.common.amqp_frames import publish_frames

FRAME_MAX = 4096  # small, so a modest body needs several frames


class _Connection:
    """What py-amqp's frame writer reads from a connection; records what it writes."""

    def __init__(self) -> None:
        self.frame_max = FRAME_MAX
        self.bytes_sent = 0
        self.written = bytearray()


def _py_amqp_bytes(body: bytes, headers: dict, channel: int, exchange: str = "classifier.events",
                   routing_key: str = "classification_made") -> bytes:
    connection = _Connection()
    transport = type("Transport", (), {"write": lambda _, data: connection.written.extend(data)})()
    message = amqp.Message(body, content_type="application/json", content_encoding="utf-8",
                           application_headers=headers, delivery_mode=2)
    write = frame_writer(connection, transport)
    write(1, channel, spec.Basic.Publish, amqp.serialization.dumps(
        "Bssbb", (0, exchange, routing_key, False, False)), message)
    return bytes(connection.written)


@pytest.mark.parametrize("body", [
    b"",
    b'{"rung": "consultation", "confidence": 0.62, "answered": 4}',
    b"x" * (FRAME_MAX - 8),  # fills one body frame exactly; a byte more would need two
    "é".encode() * 10_000,  # 20,000 bytes: five body frames
], ids=["empty", "event", "at-the-limit", "many-frames"])
def test_frames_are_those_py_amqp_writes(body):
    headers = {"nameko.request_id": "4f2c", "nameko.call_id_stack": ["gateway.call.1"]}
    ours = publish_frames(3, FRAME_MAX, "classifier.events", "classification_made", body,
                          "application/json", "utf-8", headers, 2)
    assert ours == _py_amqp_bytes(body, headers, channel=3)


@pytest.mark.parametrize("headers", [
    {},
    {"nameko.request_id": "req-ü", "nameko.call_id_stack": ["gateway.call.1", "classifier.classify.2"]},
    {"nameko.call_id_stack": []},
    {"nameko.request_id": "r", "nameko.attempt": 2, "nameko.flags": {"retry": True}},
], ids=["none", "strings", "empty-list", "other-types"])
def test_headers_are_encoded_as_py_amqp_encodes_them(headers):
    body = b'{"changed": 1}'
    ours = publish_frames(1, FRAME_MAX, "matcher.events", "directory_changed", body,
                          "application/json", "utf-8", headers, 2)
    assert ours == _py_amqp_bytes(body, headers, channel=1, exchange="matcher.events",
                                  routing_key="directory_changed")


def test_no_frame_is_larger_than_frame_max():
    frames = publish_frames(1, FRAME_MAX, "x.events", "changed", b"y" * 50_000, "application/json",
                            "utf-8", {}, 2)
    sizes = []
    while frames:
        size = int.from_bytes(frames[3:7], "big")
        assert frames[7 + size] == 0xCE
        sizes.append(size + 8)
        frames = frames[8 + size:]
    assert max(sizes) <= FRAME_MAX
    assert len(sizes) == 2 + -(-50_000 // (FRAME_MAX - 8))
