"""Only the right callers: the gateway's guard on HTTP and gRPC (keys, permissions,
publishable keys' origins, rate limits), with probes left open."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from fastapi.testclient import TestClient
from google.rpc import error_details_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_status import rpc_status
from ladder.v1 import classifier_pb2, classifier_pb2_grpc, matcher_pb2, matcher_pb2_grpc

from gateway.auth import Authenticator, Guard, KeyRing, Permission, new_key
from gateway.grpc_api import build_server, set_health
from gateway.http_api import create_app
from gateway.rate_limit import RateLimiter
from tests.support.servers import free_port

PORTAL = "https://intranet.example.org"
CONSULTED = {"answers": {"first_involved": "after-decisions", "who_decides": "provider-after-listening"}}


class Keys:
    def __init__(self) -> None:
        made = {
            "classify": new_key("org-a", {Permission.CLASSIFY}),
            "match": new_key("org-a", {Permission.MATCH}),
            "widget": new_key("org-a", {Permission.RECOMMEND}, publishable=True, origins={PORTAL}),
            "slow": new_key("org-b", {Permission.ADMIN}, rate_per_minute=2),
        }
        self.tokens = {name: token for name, (token, _) in made.items()}
        self.ring = KeyRing([stored for _, stored in made.values()])

    def header(self, name: str) -> dict[str, str]:
        return {"authorization": f"Bearer {self.tokens[name]}"}


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
def guard(keys) -> Guard:
    return Guard(Authenticator(keys.ring), RateLimiter(default_per_minute=1000))


@pytest.fixture
def http(api, guard) -> TestClient:
    return TestClient(create_app(api, lambda: {"classifier": True}, 1_048_576, guard=guard),
                      raise_server_exceptions=False)


def test_http_without_a_key_is_401_with_a_challenge(http):
    answer = http.post("/v1/classifications", json=CONSULTED)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json()["error"]["code"] == "unauthenticated"


def test_http_with_a_bad_key_is_401(http, keys):
    forged = keys.tokens["classify"][:-2] + "xx"
    answer = http.post("/v1/classifications", json=CONSULTED, headers={"authorization": f"Bearer {forged}"})
    assert answer.status_code == 401


def test_http_with_the_right_key_works_and_the_wrong_one_is_403(http, keys):
    allowed = http.post("/v1/classifications", json=CONSULTED, headers=keys.header("classify"))
    assert allowed.status_code == 200
    refused = http.post("/v1/classifications", json=CONSULTED, headers=keys.header("match"))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert http.get("/v1/questionnaire", headers=keys.header("match")).status_code == 403


def test_a_publishable_key_recommends_from_its_origin_only(http, keys):
    body = {"current_rung": "consultation"}
    mine = http.post("/v1/recommendations", json=body, headers={**keys.header("widget"), "origin": PORTAL})
    assert mine.status_code == 200
    elsewhere = http.post("/v1/recommendations", json=body,
                          headers={**keys.header("widget"), "origin": "https://evil.example"})
    assert elsewhere.status_code == 403
    server_side = http.post("/v1/recommendations", json=body, headers=keys.header("widget"))
    assert server_side.status_code == 403
    classify = http.post("/v1/classifications", json=CONSULTED,
                         headers={**keys.header("widget"), "origin": PORTAL})
    assert classify.status_code == 403


def test_over_the_rate_is_429_with_a_retry_hint(http, keys):
    for _ in range(2):
        assert http.post("/v1/recommendations", json={"current_rung": "informing"},
                         headers=keys.header("slow")).status_code == 200
    limited = http.post("/v1/recommendations", json={"current_rung": "informing"},
                        headers=keys.header("slow"))
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["retry_after_seconds"] >= 1


def test_probes_metrics_and_the_api_document_stay_open(http):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/"):
        assert http.get(path).status_code == 200, path
    document = http.get("/openapi.json").json()
    assert "bearer" in document["components"]["securitySchemes"]


def test_bad_input_from_an_unknown_caller_is_401_not_422(http):
    # Authentication comes first: strangers learn nothing about the request's shape.
    assert http.post("/v1/classifications", json={"answers": {"x": "y"}}).status_code == 401


# --- gRPC

@pytest.fixture
def channel(api, guard) -> Iterator[grpc.Channel]:
    port = free_port()
    health_servicer = health.HealthServicer()
    set_health(health_servicer, dict.fromkeys(("classifier", "recommender", "matcher"), True))
    server = build_server(api, health_servicer, f"127.0.0.1:{port}", 1_048_576, workers=2, guard=guard)
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield channel
    finally:
        server.stop(grace=None)


def classify_request() -> classifier_pb2.ClassifyRequest:
    request = classifier_pb2.ClassifyRequest()
    request.answers["first_involved"].options.append("after-decisions")
    return request


def test_grpc_codes_for_no_key_wrong_key_and_the_right_key(channel, keys):
    stub = classifier_pb2_grpc.ClassifierStub(channel)
    with pytest.raises(grpc.RpcError) as missing:
        stub.Classify(classify_request(), timeout=5)
    assert missing.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as wrong:
        stub.Classify(classify_request(), metadata=tuple(keys.header("match").items()), timeout=5)
    assert wrong.value.code() == grpc.StatusCode.PERMISSION_DENIED
    reply = stub.Classify(classify_request(), metadata=tuple(keys.header("classify").items()), timeout=5)
    assert reply.classification.rung


def test_grpc_rate_limit_is_resource_exhausted_with_retry_info(channel, keys):
    stub = matcher_pb2_grpc.MatcherStub(channel)
    request = matcher_pb2.MatchRequest()
    request.location.latitude, request.location.longitude = 51.45, -2.59
    metadata = tuple(keys.header("slow").items())
    for _ in range(2):
        stub.Match(request, metadata=metadata, timeout=5)
    with pytest.raises(grpc.RpcError) as limited:
        stub.Match(request, metadata=metadata, timeout=5)
    assert limited.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    status = rpc_status.from_call(limited.value)
    retry = error_details_pb2.RetryInfo()
    assert any(detail.Unpack(retry) for detail in status.details)
    assert retry.retry_delay.seconds >= 1


def test_a_publishable_key_is_refused_over_grpc(channel, keys):
    # No web origin travels over gRPC, so a key meant for web pages has no place here.
    from ladder.v1 import recommender_pb2, recommender_pb2_grpc

    with pytest.raises(grpc.RpcError) as refused:
        recommender_pb2_grpc.RecommenderStub(channel).Recommend(
            recommender_pb2.RecommendRequest(), metadata=tuple(keys.header("widget").items()), timeout=5)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_grpc_health_stays_open(channel):
    reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_a_same_origin_get_without_an_origin_header_is_judged_by_its_referer(api, guard, keys):
    # Browsers send no Origin on a same-origin GET; the demo page's questionnaire fetch is one.
    token, stored = new_key("org-a", {Permission.CLASSIFY}, publishable=True, origins={PORTAL})
    keys.ring._by_id[stored.id] = stored
    http = TestClient(create_app(api, lambda: {}, 1_048_576, guard=guard))
    header = {"authorization": f"Bearer {token}"}
    def status(referer: str) -> int:
        return http.get("/v1/questionnaire", headers={**header, "referer": referer}).status_code

    assert status(f"{PORTAL}/page") == 200
    assert status("https://evil.example/") == 403
    assert http.get("/v1/questionnaire", headers=header).status_code == 403


def test_changing_the_directory_needs_directory_write(api, keys, guard):
    writer_token, writer = new_key("org-a", {Permission.DIRECTORY_WRITE})
    keys.ring._by_id[writer.id] = writer
    http = TestClient(create_app(api, lambda: {}, 1_048_576, guard=guard), raise_server_exceptions=False)
    reader = keys.header("match")
    assert http.delete("/v1/directory/organizations/nobody", headers=reader).status_code == 403
    assert http.post("/v1/directory/import", json={"organizations": []}, headers=reader).status_code == 403
    assert http.get("/v1/directory/export", headers=reader).status_code == 200
    writer_header = {"authorization": f"Bearer {writer_token}"}
    assert http.delete("/v1/directory/organizations/nobody", headers=writer_header).status_code == 404


def test_every_grpc_method_has_a_deliberate_permission(api):
    from gateway.grpc_api import PERMISSION_BY_METHOD, PERMISSION_BY_SERVICE, methods, permission_for

    for method in methods(api):
        assert method.service in PERMISSION_BY_SERVICE
        expected = PERMISSION_BY_METHOD.get(f"{method.service}/{method.name}",
                                            PERMISSION_BY_SERVICE[method.service])
        assert permission_for(method) == expected
    writes = [m for m in methods(api)
              if m.name.startswith(("Put", "Delete", "Import")) and "Matcher" in m.service]
    assert writes and all(permission_for(m) == Permission.DIRECTORY_WRITE for m in writes)
