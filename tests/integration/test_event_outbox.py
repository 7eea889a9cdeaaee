"""The classifier's events leave through an outbox after the answer: each one arrives,
once, with the caller's request id, including those still queued when the service is
asked to stop."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from kombu import Connection, Exchange, Queue

from gateway.clients.bus import BusClient
from services.common.logs import request_id_var
from tests.support.bus import drain_until
from tests.support.processes import held_events_classifier, wait_until
from tests.support.servers import rabbit_vhost

CONSULTED = {"answers": {"first_involved": ["after-decisions"],
                         "who_decides": ["provider-after-listening"]}}


class EventCollector:
    """A durable-enough queue bound to classifier.events before the calls are made.
    `request_ids`: keep only events whose request id starts so; on a vhost shared with
    other tests, an earlier test's last event can still be leaving its outbox."""

    def __init__(self, amqp_uri: str, request_ids: str = "") -> None:
        self.request_ids = request_ids
        self.connection = Connection(amqp_uri)
        self.queue = Queue(f"test-outbox-{uuid.uuid4().hex[:8]}",
                           Exchange("classifier.events", type="topic"),
                           routing_key="classification_made", auto_delete=True)
        self.received: list[tuple[dict, dict]] = []
        self.properties: list[tuple[str, int]] = []  # content type, delivery mode
        self.consumer = self.connection.Consumer(self.queue, callbacks=[self._on_message])
        self.consumer.consume()

    def _on_message(self, body, message) -> None:
        if not (message.headers.get("nameko.request_id") or "").startswith(self.request_ids):
            message.ack()
            return
        self.received.append((body, message.headers))
        self.properties.append((message.content_type, message.properties["delivery_mode"]))
        message.ack()

    def collect(self, expected: int, timeout: float) -> None:
        drain_until(self.connection, lambda: len(self.received) >= expected, timeout)
        # Anything more (a duplicate) would arrive promptly too.
        try:
            self.connection.drain_events(timeout=0.5)
        except TimeoutError:
            pass

    def close(self) -> None:
        self.consumer.cancel()
        self.connection.close()


def test_every_classification_publishes_one_event_carrying_the_request_id(amqp_uri, bus_client):
    collector = EventCollector(amqp_uri, request_ids="outbox-")
    try:
        def classify(n: int) -> None:
            token = request_id_var.set(f"outbox-{n}")
            try:
                bus_client.call("classifier", "classify", CONSULTED)
            finally:
                request_id_var.reset(token)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(classify, range(120)))
        collector.collect(120, timeout=15)
    finally:
        collector.close()
    ids = sorted(headers.get("nameko.request_id") for _, headers in collector.received)
    assert ids == sorted(f"outbox-{n}" for n in range(120))
    assert {body["rung"] for body, _ in collector.received} == {"consultation"}
    # What a nameko @event_handler expects: JSON, and persistent for durable handler queues.
    assert set(collector.properties) == {("application/json", 2)}


def test_events_still_queued_at_shutdown_are_published_before_the_service_exits(tmp_path):
    # A vhost of its own, so the only classifier is one whose outbox holds every event
    # until it is asked to stop (tests/support/slow_service.py): what arrives can only
    # have been delivered by the flush at shutdown.
    with rabbit_vhost() as amqp_uri:
        own = held_events_classifier(amqp_uri, tmp_path)
        client = BusClient(amqp_uri, pool_size=8, timeout=5.0)
        collector = EventCollector(amqp_uri)
        try:
            wait_until(lambda: "holding events until shutdown" in own.output() or not own.alive(), 60,
                       "the held-events classifier to start")
            with ThreadPoolExecutor(8) as pool:
                answered = sum(1 for _ in pool.map(
                    lambda _: client.call("classifier", "classify", CONSULTED), range(200)))
            collector.collect(1, timeout=1)
            assert collector.received == []  # all still queued in the outbox
            assert own.terminate() == 0, own.output()
            collector.collect(answered, timeout=15)
        finally:
            collector.close()
            client.close()
            own.terminate()
    assert len(collector.received) == answered == 200
