"""Graceful shutdown and readiness, with real processes and a real broker.

On SIGTERM a process turns not-ready first, takes no new work, finishes the calls in
flight (their answers reach the callers) and exits with 0 within the grace period. The
calls held in flight come from a test-only subclass of the classifier
(tests/support/slow_service.py) in which a call whose request id starts with "slow-"
takes a few seconds. Each test has its own vhost, so queue depths are its own.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from kombu import Connection, Exchange, Producer
from ladder.v1 import classifier_pb2, classifier_pb2_grpc, common_pb2

from gateway.clients.bus import BusClient
from services.common.logs import request_id_var
from tests.support.credentials import admin_key, bearer
from tests.support.processes import SLOW_PREFIX, SLOW_SECONDS, Process, service, slow_classifier, wait_until
from tests.support.servers import free_port, rabbit_vhost

# Kubernetes' default terminationGracePeriodSeconds (30) less the chart's preStop sleep (5).
GRACE_SECONDS = 25
CONSULTED = {"answers": {"first_involved": ["after-decisions"],
                         "who_decides": ["provider-after-listening"]}}


@pytest.fixture
def amqp_uri() -> Iterator[str]:
    with rabbit_vhost() as uri:
        yield uri


def get(url: str) -> tuple[int, dict] | None:
    """(status, JSON body), or None when nothing accepts the connection."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def status_of(url: str) -> int | None:
    answer = get(url)
    return answer[0] if answer else None


def queue_depth(amqp_uri: str, queue: str) -> tuple[int, int]:
    """(messages ready, consumers) of a queue, as the broker sees them now."""
    with Connection(amqp_uri) as connection:
        _, messages, consumers = connection.default_channel.queue_declare(queue, passive=True)
    return messages, consumers


def call_as(client: BusClient, request_id: str, service: str, method: str, payload):
    token = request_id_var.set(request_id)
    try:
        return client.call(service, method, payload)
    finally:
        request_id_var.reset(token)


def finished(call, *args, **kwargs):
    """Run call; return its result and when it came back."""
    result = call(*args, **kwargs)
    return result, time.monotonic()


def log_lines(process: Process) -> list[dict]:
    return [json.loads(line) for line in process.output().splitlines() if line.startswith("{")]


def stop_and_time(process: Process) -> tuple[int, float]:
    started = time.monotonic()
    process.popen.send_signal(signal.SIGTERM)
    try:
        code = process.popen.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {GRACE_SECONDS} s after SIGTERM:\n{process.output()[-3000:]}")
    return code, time.monotonic() - started


# ---------------------------------------------------------------- a nameko service


def test_a_service_finishes_its_call_in_flight_then_exits_taking_no_new_work(amqp_uri, tmp_path):
    port = free_port()
    readyz = f"http://127.0.0.1:{port}/readyz"
    slow = slow_classifier(amqp_uri, tmp_path, http_port=port)
    client = BusClient(amqp_uri, pool_size=2, timeout=SLOW_SECONDS + 10)
    try:
        wait_until(lambda: status_of(readyz) == 200 or not slow.alive(), 60, "the service to be ready")
        assert slow.alive(), slow.output()
        with ThreadPoolExecutor(1) as pool:
            in_flight = pool.submit(call_as, client, f"{SLOW_PREFIX}service-1",
                                    "classifier", "classify", CONSULTED)
            wait_until(lambda: "holding a slow call" in slow.output(), 10, "the slow call to start")
            slow.popen.send_signal(signal.SIGTERM)
            stopping = time.monotonic()

            # Not ready at once, saying why, while the call is still being handled.
            wait_until(lambda: status_of(readyz) == 503, 5, "/readyz to say 503")
            status, body = get(readyz)
            assert body["reason"].startswith("shutting down")
            assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200  # alive throughout

            # No new work: once its consumer is cancelled, a call sent now stays queued
            # for another replica instead of being taken by a process on its way out.
            wait_until(lambda: queue_depth(amqp_uri, "rpc-classifier")[1] == 0, 5,
                       "the RPC consumer to be cancelled")
            with Connection(amqp_uri) as connection:
                Producer(connection).publish(
                    {"args": ["late"], "kwargs": {}}, exchange=Exchange("nameko-rpc", type="topic"),
                    routing_key="classifier.echo", serializer="json")

            # The call in flight is answered, in full.
            answer = in_flight.result(timeout=SLOW_SECONDS + 10)
            assert answer["rung"] == "consultation"
            code = slow.popen.wait(timeout=GRACE_SECONDS)
            took = time.monotonic() - stopping
    finally:
        client.close()
        slow.terminate()
    print(f"service: exit {code} {took:.1f} s after SIGTERM, with a {SLOW_SECONDS:g} s call in flight")
    assert code == 0, slow.output()
    assert took < GRACE_SECONDS
    # Left on the queue: the late call, kept for another replica; not the call answered
    # during the drain (acknowledged before the connection closed, so never run twice).
    assert queue_depth(amqp_uri, "rpc-classifier") == (1, 0)
    with Connection(amqp_uri) as connection:
        left = connection.default_channel.basic_get("rpc-classifier")
        assert left.delivery_info["routing_key"] == "classifier.echo"
    messages = [(line["msg"], line.get("request_id")) for line in log_lines(slow)]
    assert messages.index(("stopping: finishing work in flight", None)) \
        < messages.index(("handled", f"{SLOW_PREFIX}service-1")) < messages.index(("stopped", None))


def test_a_service_is_not_ready_while_its_broker_connection_is_gone(amqp_uri, tmp_path):
    # The shared broker keeps running: only this test's vhost is deleted under the
    # service (which closes its connections), then made again.
    vhost = amqp_uri.rsplit("/", 1)[1]
    port = free_port()
    readyz = f"http://127.0.0.1:{port}/readyz"
    process = service("classifier", amqp_uri, tmp_path, http_port=port)
    try:
        wait_until(lambda: status_of(readyz) == 200 or not process.alive(), 60, "the service to be ready")
        assert process.alive(), process.output()
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=True, timeout=60)
        try:
            wait_until(lambda: status_of(readyz) == 503, 15, "/readyz to say 503")
            assert "broker connection is down" in get(readyz)[1]["reason"]
            assert status_of(f"http://127.0.0.1:{port}/healthz") == 200  # alive: no restart
        finally:
            subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True, timeout=60)
            subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
                           check=True, timeout=60)
        wait_until(lambda: status_of(readyz) == 200, 30, "the service to reconnect and be ready again")
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
        assert 'ladder_service_ready{service="classifier"} 1.0' in metrics
    finally:
        assert process.terminate() == 0, process.output()


# ---------------------------------------------------------------- the gateway


@pytest.fixture
def slow_bus(amqp_uri, tmp_path) -> Iterator[str]:
    """The slow classifier and the real recommender and matcher, on this test's vhost."""
    processes = [
        slow_classifier(amqp_uri, tmp_path),
        service("recommender", amqp_uri, tmp_path),
        service("matcher", amqp_uri, tmp_path),
    ]
    try:
        yield amqp_uri
    finally:
        for process in processes:
            process.terminate()


def watch_health(channel: grpc.Channel, seen: list[str]) -> None:
    """Record each status the gRPC health service pushes for "", then how the stream ended:
    "ended" when the server closed it, else the error code."""
    try:
        for reply in health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service="")):
            seen.append(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))
        seen.append("ended")
    except grpc.RpcError as error:
        seen.append(error.code().name)


def post_classification(http: str, request_id: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{http}/v1/classifications", data=json.dumps({"answers": {
            "first_involved": "after-decisions", "who_decides": "provider-after-listening"}}).encode(),
        headers={"content-type": "application/json", "x-request-id": request_id, **bearer(token)},
        method="POST")
    with urllib.request.urlopen(request, timeout=SLOW_SECONDS + 15) as response:
        return response.status, json.loads(response.read())


def test_the_gateway_turns_not_ready_first_then_finishes_requests_in_flight(slow_bus, tmp_path):
    grpc_port, http_port = free_port(), free_port()
    http = f"http://127.0.0.1:{http_port}"
    delay = 2.0
    keys_env, token = admin_key(tmp_path)
    gateway = Process(["-m", "gateway"], {
        **keys_env,
        "AMQP_URI": slow_bus, "LADDER_MODE": "bus", "LADDER_GRPC_PORT": str(grpc_port),
        "LADDER_HTTP_PORT": str(http_port), "LADDER_RPC_TIMEOUT_SECONDS": str(SLOW_SECONDS + 10),
        "LADDER_SHUTDOWN_DELAY_SECONDS": str(delay),
    }, tmp_path / "gateway.log")
    try:
        wait_until(lambda: status_of(f"{http}/readyz") == 200 or not gateway.alive(), 90,
                   "the gateway and its three services to be ready")
        assert gateway.alive(), gateway.output()
        channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
        seen: list[str] = []
        watcher = threading.Thread(target=watch_health, args=(channel, seen), daemon=True)
        watcher.start()
        wait_until(lambda: "SERVING" in seen, 10, "gRPC health to say SERVING")

        with ThreadPoolExecutor(2) as pool:
            over_http = pool.submit(finished, post_classification, http, f"{SLOW_PREFIX}http", token)
            over_grpc = pool.submit(
                finished, classifier_pb2_grpc.ClassifierStub(channel).Classify,
                classifier_pb2.ClassifyRequest(answers={
                    "first_involved": classifier_pb2.Choices(options=["after-decisions"]),
                    "who_decides": classifier_pb2.Choices(options=["provider-after-listening"])}),
                metadata=(("x-request-id", f"{SLOW_PREFIX}grpc"), *bearer(token).items()),
                timeout=SLOW_SECONDS + 15)
            classifier_log = tmp_path / "classifier.log"
            wait_until(lambda: classifier_log.read_text().count("holding a slow call") == 2, 15,
                       "both slow requests to reach the classifier")
            gateway.popen.send_signal(signal.SIGTERM)
            stopping = time.monotonic()

            # Readiness false first, on both protocols, while still serving.
            wait_until(lambda: seen[-1] == "NOT_SERVING", 5, "gRPC health to say NOT_SERVING")
            status, body = get(f"{http}/readyz")
            assert status == 503 and body["status"] == "not ready"
            # Then, after the delay, no new work: the HTTP listener is closed.
            wait_until(lambda: get(f"{http}/healthz") is None, delay + 5, "the HTTP listener to close")
            refused_at = time.monotonic()

            # The requests in flight are answered, in full, after that.
            (status, body), http_answered_at = over_http.result(timeout=SLOW_SECONDS + 15)
            assert status == 200 and body["rung"] == "consultation"
            reply, grpc_answered_at = over_grpc.result(timeout=SLOW_SECONDS + 15)
            assert reply.classification.rung == common_pb2.RUNG_CONSULTATION
            code = gateway.popen.wait(timeout=GRACE_SECONDS)
            took = time.monotonic() - stopping
        watcher.join(5)
        channel.close()
    finally:
        gateway.terminate()
    print(f"gateway: exit {code} {took:.1f} s after SIGTERM (delay {delay:g} s, "
          f"{SLOW_SECONDS:g} s requests in flight)")
    assert code == 0, gateway.output()
    assert took < GRACE_SECONDS
    assert refused_at < min(http_answered_at, grpc_answered_at)  # stopped taking work first
    # The health watch was closed by the gateway, not left to be cut at the grace deadline.
    assert seen[-2:] == ["NOT_SERVING", "ended"]
    messages = [line["msg"] for line in log_lines(gateway)]
    assert messages.index("stopping: not ready; finishing requests in flight") \
        < messages.index("gateway stopped")
