"""The AMQP 0-9-1 frames of one basic.publish, encoded as bytes, for sending many at once.

py-amqp sends each message on its own: a method call, a lock, a frame buffer and a
socket write per message. The event outbox publishes batches of small messages on a
connection of its own, so it encodes a whole batch with `publish_frames` and writes it
with one send (services/common/event_outbox.py). The bytes are exactly those py-amqp's
frame writer sends for the same message; tests/unit/services/test_amqp_frames.py compares
them, a body split over several frames included.
"""

from __future__ import annotations

from functools import lru_cache
from struct import pack
from typing import Any

from amqp import spec
from amqp.serialization import dumps

_METHOD, _HEADER, _BODY = 1, 2, 3
_FRAME_END = b"\xce"
_BASIC_CLASS = spec.Basic.Publish[0]
# basic.publish's method id and arguments: ticket, exchange, routing key, mandatory,
# immediate.
_PUBLISH_METHOD = pack(">HH", *spec.Basic.Publish)
_PUBLISH_ARGS = "Bssbb"
# The four properties a Ladder event carries, in their AMQP order, each flagged by one
# bit of the property flags from the top: content type, content encoding, headers (a
# table) and delivery mode.
_PROPERTY_FLAGS = pack(">H", 0b1111 << 12)


def _frame(kind: int, channel: int, payload: bytes) -> bytes:
    return pack(">BHI", kind, channel, len(payload)) + payload + _FRAME_END


def publish_frames(
    channel: int, frame_max: int, exchange: str, routing_key: str, body: bytes,
    content_type: str, content_encoding: str, headers: dict[str, Any], delivery_mode: int,
) -> bytes:
    """basic.publish of `body`: the method frame, the content header and the body frames,
    the body cut into pieces that fit `frame_max` (the connection's, as negotiated)."""
    properties = b"".join((
        _leading_properties(content_type, content_encoding), dumps("F", (headers,)),
        delivery_mode.to_bytes(1, "big"),
    ))
    parts = [
        _method_frame(channel, exchange, routing_key),
        _frame(_HEADER, channel, pack(">HHQ", _BASIC_CLASS, 0, len(body)) + properties),
    ]
    chunk = frame_max - 8  # a frame's header (7 bytes) and end marker (1) count towards it
    parts.extend(_frame(_BODY, channel, body[start:start + chunk]) for start in range(0, len(body), chunk))
    return b"".join(parts)


# py-amqp's encoder is plain Python: the method frame (the same for every event of a type)
# and the fixed properties, encoded once, take a third off an event's encoding.
@lru_cache(maxsize=256)
def _method_frame(channel: int, exchange: str, routing_key: str) -> bytes:
    arguments = dumps(_PUBLISH_ARGS, (0, exchange, routing_key, False, False))
    return _frame(_METHOD, channel, _PUBLISH_METHOD + arguments)


@lru_cache(maxsize=16)
def _leading_properties(content_type: str, content_encoding: str) -> bytes:
    return _PROPERTY_FLAGS + dumps("ss", (content_type, content_encoding))
