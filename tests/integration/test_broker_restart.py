"""The broker goes away and comes back (a private RabbitMQ node, stopped and started).

- While it is down, the gateway answers 503 quickly instead of hanging, and reports not
  ready; when it returns, the gateway and the services recover by themselves.
- Every classification that was answered has its event delivered, at least once, to a
  durable queue, across the restart.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
import uuid

import httpx
import pytest
from kombu import Connection, Exchange, Queue

from gateway.clients.bus import BusClient
from services.common.errors import ServiceUnavailable
from services.common.logs import request_id_var
from tests.support.bus import drain_until
from tests.support.credentials import admin_key, bearer
from tests.support.private_broker import private_broker
from tests.support.processes import Process, service, wait_until
from tests.support.servers import free_port, port_open

CONSULTED = {"answers": {"first_involved": ["after-decisions"],
                         "who_decides": ["provider-after-listening"]}}


@pytest.fixture(scope="module")
def private_node():
    with private_broker() as node:
        yield node


@pytest.fixture
def broker(private_node):
    """The module's node, running at the start of every test: a test that fails while the
    node is stopped must not leave the next test without a broker."""
    if not port_open("127.0.0.1", private_node.port, 0.2):
        private_node.start_app()
    yield private_node


def test_the_gateway_fails_fast_while_the_broker_is_down_and_recovers_by_itself(broker, tmp_path):
    classifier = service("classifier", broker.uri, tmp_path)
    http_port = free_port()
    keys_env, token = admin_key(tmp_path)
    gateway = Process(["-m", "gateway"], {
        **keys_env,
        "AMQP_URI": broker.uri, "LADDER_MODE": "bus", "LADDER_GRPC_PORT": str(free_port()),
        "LADDER_HTTP_PORT": str(http_port), "LADDER_RPC_TIMEOUT_SECONDS": "3",
    }, tmp_path / "gateway.log")
    url = f"http://127.0.0.1:{http_port}"
    try:
        wait_until(classifier.started_or_exited, 60, "the classifier")

        def classify() -> httpx.Response:
            return httpx.post(f"{url}/v1/classifications", json=CONSULTED, headers=bearer(token), timeout=30)

        wait_until(lambda: _answers(classify), 60, "the gateway to classify")

        broker.stop_app()
        began = time.monotonic()
        refused = classify()
        assert refused.status_code == 503, refused.text
        # The RPC timeout is 3 s; a hang would last the client's 30 s. On a loaded 2-core CI
        # host the refusal has taken just over 5 s (the pool's reconnect attempt plus the
        # timeout), so the bound leaves room for that and still catches a hang.
        assert time.monotonic() - began < 8
        assert refused.json()["error"]["code"] == "unavailable"
        wait_until(lambda: httpx.get(f"{url}/readyz", timeout=10).status_code == 503, 20,
                   "the gateway to report not ready")

        broker.start_app()
        wait_until(lambda: _answers(classify), 90, "the gateway to classify again")
        assert classify().json()["rung"] == "consultation"
        assert classifier.alive() and gateway.alive()
    finally:
        gateway.terminate()
        classifier.terminate()


def _answers(call) -> bool:
    try:
        return call().status_code == 200
    except httpx.HTTPError:
        return False


def test_every_answered_classification_reaches_a_durable_queue_across_a_restart(broker, tmp_path):
    queue = Queue(f"audit-{uuid.uuid4().hex[:8]}", Exchange("classifier.events", type="topic"),
                  routing_key="classification_made", durable=True, auto_delete=False)
    with Connection(broker.uri) as connection:
        queue(connection.default_channel).declare()
    classifier = service("classifier", broker.uri, tmp_path, suffix="-restart")
    client = BusClient(broker.uri, pool_size=4, timeout=3.0)
    answered: list[str] = []
    unexpected: list[BaseException] = []
    stop = threading.Event()

    def keep_classifying() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            token = request_id_var.set(f"restart-{n}")
            try:
                client.call("classifier", "classify", CONSULTED)
                answered.append(f"restart-{n}")
            except ServiceUnavailable:
                time.sleep(0.05)
            except Exception as error:  # would end the thread: make the test say so
                unexpected.append(error)
                raise
            finally:
                request_id_var.reset(token)

    try:
        wait_until(classifier.started_or_exited, 60, "the classifier")
        worker = threading.Thread(target=keep_classifying)
        worker.start()
        wait_until(lambda: len(answered) >= 50, 30, "classifications before the stop")
        broker.stop_app()
        time.sleep(1)
        before_restart = len(answered)
        broker.start_app()
        try:
            wait_until(lambda: len(answered) >= before_restart + 50 or bool(unexpected), 90,
                       "classifications after the restart")
        except TimeoutError:
            raise AssertionError(_stalled_report(classifier, worker, before_restart, len(answered))) from None
        assert not unexpected, unexpected
        stop.set()
        worker.join(timeout=30)
    finally:
        stop.set()
        client.close()

    received: set[str] = set()
    with Connection(broker.uri) as connection:
        def take(body, message) -> None:
            received.add(message.headers.get("nameko.request_id"))
            message.ack()

        with connection.Consumer(queue, callbacks=[take]):
            drain_until(connection, lambda: set(answered) <= received, 30, step=1)
    classifier.terminate()
    missing = set(answered) - received
    assert not missing, f"{len(missing)} of {len(answered)} answered classifications lost their event"


def _stalled_report(classifier, caller: threading.Thread, before: int, now: int) -> str:
    """What to look at when calls stop after a restart: whether the service is alive, where
    the calling thread is (a hung client looks like an idle service), and the service log."""
    frame = sys._current_frames().get(caller.ident or -1)
    where = "".join(traceback.format_stack(frame)) if frame else "the caller has exited"
    return (f"answered {before} before the restart, {now} now; classifier alive: "
            f"{classifier.alive()}\ncaller thread:\n{where}\nclassifier log:\n"
            f"{classifier.output()[-3000:]}")
