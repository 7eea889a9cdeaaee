"""What only the bus does: events, request ids in service logs, and timeouts."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from kombu import Connection, Exchange, Queue

from gateway.clients.bus import BusClient
from services.common.errors import InvalidArgument, ServiceUnavailable
from services.common.logs import request_id_var
from tests.support.bus import drain_until
from tests.support.processes import service, wait_until
from tests.support.servers import free_port

CONSULTED = {"answers": {"first_involved": ["after-decisions"],
                         "who_decides": ["provider-after-listening"]}}


def test_a_classification_publishes_an_event_on_the_classifier_exchange(amqp_uri, bus_client):
    with Connection(amqp_uri) as connection:
        queue = Queue("test-classification-made", Exchange("classifier.events", type="topic"),
                      routing_key="classification_made", auto_delete=True)
        received = []
        with connection.Consumer(queue, callbacks=[lambda body, msg: (received.append(body), msg.ack())]):
            bus_client.call("classifier", "classify", CONSULTED)
            drain_until(connection, lambda: bool(received), 5)
    assert received, "no classification_made event arrived"
    assert received[0]["rung"] == "consultation"


def test_the_request_id_is_in_the_services_log_lines(bus_client, bus_services):
    token = request_id_var.set("log-trace-42")
    try:
        bus_client.call("classifier", "classify", CONSULTED)
    finally:
        request_id_var.reset(token)
    time.sleep(0.2)
    lines = [json.loads(line) for line in bus_services["classifier"].output().splitlines()
             if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "log-trace-42"]
    assert mine and mine[0]["process"] == "classifier"


def test_a_service_nobody_runs_is_unavailable_at_once(amqp_uri):
    client = BusClient(amqp_uri, pool_size=1, timeout=5.0)
    try:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="not running"):
            client.call("ghost", "classify", {})
        assert time.monotonic() - started < 3
    finally:
        client.close()


def test_a_service_that_does_not_answer_is_unavailable_within_the_timeout(amqp_uri):
    # A queue bound as nameko binds a service's, with nobody consuming: the request is
    # accepted by the broker and never answered.
    with Connection(amqp_uri) as connection:
        Queue("rpc-sleepy", Exchange("nameko-rpc", type="topic", durable=True),
              routing_key="sleepy.*", auto_delete=False)(connection.default_channel).declare()
    client = BusClient(amqp_uri, pool_size=1, timeout=1.0)
    try:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="did not answer within 1 s"):
            client.call("sleepy", "classify", {})
        elapsed = time.monotonic() - started
        assert 0.9 < elapsed < 3
        # The pool recovers: the next call works.
        assert client.call("classifier", "echo", "again")["message"] == "again"
    finally:
        client.close()


def test_no_broker_is_unavailable_quickly():
    client = BusClient(f"amqp://guest:guest@127.0.0.1:{free_port()}/", pool_size=1, timeout=2.0)
    try:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable):
            client.call("classifier", "echo", "anyone?")
        assert time.monotonic() - started < 5
    finally:
        client.close()


def test_every_matcher_replica_applies_an_import_and_a_delete(amqp_uri, bus_client, bus_services,
                                                             service_logs):
    second = service("matcher", amqp_uri, service_logs, suffix="-replica-2")
    try:
        wait_until(second.started_or_exited, 60,
                   "a second matcher replica to start")
        assert second.alive(), second.output()
        time.sleep(0.5)  # its broadcast queue is bound once its consumers are up
        org_id = f"two-replica-{uuid.uuid4().hex[:8]}"
        feed = {
            "organizations": [{"id": org_id, "name": "Two Replica Forum (fictional)",
                               "description": "Made by the two-replica test."}],
            "locations": [{"id": f"{org_id}-base", "organization_id": org_id,
                           "latitude": 52.63, "longitude": 1.30}],
            "attributes": [{"id": f"{org_id}-gb", "link_id": org_id, "link_entity": "organization",
                            "taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "90"}],
        }
        report = bus_client.call("matcher", "import_directory", {"feed": feed})
        assert (report["created"], report["rejected"]) == (2, 0), report

        def applied(process) -> int:
            """How many times the replica has applied changes naming the group."""
            lines = map(json.loads, filter(lambda x: x.startswith("{"), process.output().splitlines()))
            return sum(line.get("msg") == "directory changes applied"
                       and org_id in line.get("organization_ids", []) for line in lines)

        replicas = (bus_services["matcher"], second)
        wait_until(lambda: all(applied(p) for p in replicas), 10,
                   "both replicas to apply the import")
        near = {"location": {"latitude": 52.63, "longitude": 1.31}, "radius_km": 5}
        for _ in range(6):  # calls are shared between the replicas: each must know the group
            matches = bus_client.call("matcher", "match", near)["matches"]
            assert [m["group"]["id"] for m in matches] == [org_id]

        before = [applied(p) for p in replicas]
        bus_client.call("matcher", "delete_organization", {"id": org_id})
        wait_until(lambda: all(applied(p) > n for p, n in zip(replicas, before, strict=True)), 10,
                   "both replicas to apply the delete")
        for _ in range(6):
            assert bus_client.call("matcher", "match", near)["matches"] == []
    finally:
        second.terminate()


def test_what_people_wrote_never_reaches_the_logs(bus_client, bus_services):
    marker = "Zanzibarquoll"  # a word no log line would hold by chance
    description = (f"Residents with lived experience, including {marker}, co-chaired the board from the "
                   "start and were paid for their time; they planned, designed, delivered and evaluated "
                   "the new service with staff as equal partners.")
    bus_client.call("classifier", "classify", {"description": description})
    with pytest.raises(InvalidArgument):
        bus_client.call("classifier", "classify", {"description": description, "answers": {"payment": ["x"]}})
    time.sleep(0.3)
    for name, process in bus_services.items():
        assert marker not in process.output(), f"the description leaked into the {name} log"


def test_a_reply_is_transient_json_that_any_kombu_client_reads(amqp_uri, bus_services):
    """Replies are not written to the broker's disk (services/common/nameko_adapter.py:
    ReplyPublisher), and the orjson codec keeps the wire format plain application/json."""
    reply_key = f"test-reply-{uuid.uuid4().hex}"
    rpc = Exchange("nameko-rpc", type="topic", durable=True)
    with Connection(amqp_uri) as connection:
        replies = Queue(reply_key, rpc, routing_key=reply_key, auto_delete=True)
        received = []
        with connection.Consumer(replies, callbacks=[lambda body, msg: (received.append(msg), msg.ack())],
                                 accept=["application/json"]):
            connection.Producer().publish(
                {"args": [CONSULTED], "kwargs": {}}, exchange=rpc, routing_key="classifier.classify",
                reply_to=reply_key, correlation_id=uuid.uuid4().hex, serializer="json",
            )
            drain_until(connection, lambda: bool(received), 10)
    assert received, "no reply arrived"
    reply = received[0]
    assert reply.properties["delivery_mode"] == 1  # transient; nameko's default is 2
    assert reply.content_type == "application/json"
    body = json.loads(reply.body)  # the standard library reads it as it is
    assert body["error"] is None and body["result"]["rung"] == "consultation"
