"""The gateway's metrics move when requests are made, with bounded labels, and /metrics
serves them; readiness publishes not-ready for good once a drain begins."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import grpc
import pytest
from fastapi.testclient import TestClient
from grpc_health.v1 import health
from ladder.v1 import classifier_pb2, classifier_pb2_grpc
from prometheus_client import REGISTRY

from gateway.grpc_api import build_server, set_health
from gateway.http_api import create_app
from gateway.readiness import Readiness
from tests.support.servers import free_port

LIMIT = 1_048_576
CONSULTED = {"first_involved": "after-decisions", "who_decides": "provider-after-listening"}


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def requests(protocol: str, method: str, code: str) -> float:
    return sample("ladder_gateway_requests_total", protocol=protocol, method=method, code=code)


def errors(protocol: str, code: str) -> float:
    return sample("ladder_gateway_errors_total", protocol=protocol, code=code)


@pytest.fixture(scope="module")
def http(api) -> TestClient:
    return TestClient(create_app(api, lambda: {"classifier": True}, LIMIT),
                      raise_server_exceptions=False)


def test_an_http_request_is_counted_by_route_and_status_and_timed(http):
    method = "POST /v1/classifications"
    before = requests("http", method, "200")
    timed = sample("ladder_gateway_request_duration_seconds_count", protocol="http", method=method)
    assert http.post("/v1/classifications", json={"answers": CONSULTED}).status_code == 200
    assert requests("http", method, "200") == before + 1
    assert sample("ladder_gateway_request_duration_seconds_count", protocol="http", method=method) \
        == timed + 1


def test_bad_input_is_counted_as_an_error_by_code(http):
    before = errors("http", "invalid_argument")
    response = http.post("/v1/classifications", json={"answers": {"first_involved": "someday"}})
    assert response.status_code == 422
    assert errors("http", "invalid_argument") == before + 1


def test_a_body_over_the_limit_is_counted_though_middleware_answered_it(http):
    before = errors("http", "payload_too_large")
    response = http.post("/v1/classifications", content=b"x" * (LIMIT + 1),
                         headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert errors("http", "payload_too_large") == before + 1


def test_paths_no_route_matches_share_one_label(http):
    before = requests("http", "unmatched", "404")
    for suffix in ("a1", "b2", "c3"):
        assert http.get(f"/v1/groups/{suffix}/anything").status_code == 404
    assert requests("http", "unmatched", "404") == before + 3
    assert requests("http", "GET /v1/groups/a1/anything", "404") == 0


def test_metrics_endpoint_serves_the_prometheus_text_format(http):
    http.post("/v1/classifications", json={"answers": CONSULTED})
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'ladder_gateway_requests_total{code="200",method="POST /v1/classifications",protocol="http"}' \
        in response.text


@pytest.fixture(scope="module")
def grpc_channel(api) -> Iterator[grpc.Channel]:
    port = free_port()
    health_servicer = health.HealthServicer()
    server = build_server(api, health_servicer, f"127.0.0.1:{port}", LIMIT, workers=2)
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield channel
    finally:
        server.stop(grace=None)


def test_a_grpc_call_is_counted_by_method_and_code(grpc_channel):
    method = "ladder.v1.Classifier/Classify"
    ok_before = requests("grpc", method, "OK")
    bad_before = requests("grpc", method, "INVALID_ARGUMENT")
    errors_before = errors("grpc", "invalid_argument")
    stub = classifier_pb2_grpc.ClassifierStub(grpc_channel)
    good = classifier_pb2.ClassifyRequest()
    good.answers["first_involved"].options.append("after-decisions")
    stub.Classify(good, timeout=10)
    bad = classifier_pb2.ClassifyRequest()
    bad.answers["first_involved"].options.append("someday")
    with pytest.raises(grpc.RpcError):
        stub.Classify(bad, timeout=10)
    assert requests("grpc", method, "OK") == ok_before + 1
    assert requests("grpc", method, "INVALID_ARGUMENT") == bad_before + 1
    assert errors("grpc", "invalid_argument") == errors_before + 1
    assert sample("ladder_gateway_requests_in_flight", protocol="grpc") == 0


# ---------------------------------------------------------------- readiness and drain


class HeldClient:
    """Answers echo only when released, so a check can be caught half-way."""

    def __init__(self) -> None:
        self.asked = threading.Semaphore(0)
        self.release = threading.Event()

    def call(self, service, method, payload):
        self.asked.release()
        self.release.wait(5)
        return {"service": service}

    def close(self) -> None:
        pass


def test_a_check_under_way_when_the_drain_begins_never_reports_ready_again():
    client = HeldClient()
    published: list[dict[str, bool]] = []
    health_servicer = health.HealthServicer()

    def on_change(results):
        published.append(results)
        set_health(health_servicer, results)

    readiness = Readiness(client, on_change=on_change)
    checking = threading.Thread(target=readiness.check)
    checking.start()
    for _ in range(3):  # all three services are being asked
        assert client.asked.acquire(timeout=5)
    readiness.drain()
    client.release.set()
    checking.join(5)
    readiness.stop()
    assert published == [{"classifier": False, "recommender": False, "matcher": False}]
    assert sample("ladder_gateway_service_ready", service="classifier") == 0
    assert readiness.check() == {"classifier": False, "recommender": False, "matcher": False}
