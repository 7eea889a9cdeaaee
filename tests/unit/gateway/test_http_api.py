"""The HTTP/JSON API: answers, and the clear errors bad input gets."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from gateway.api import LadderApi
from gateway.http_api import create_app
from services.common.errors import ServiceUnavailable
from tests.support.fakes import RaisingClient

LIMIT = 1_048_576
CONSULTED = {
    "first_involved": "after-decisions",
    "who_decides": "provider-after-listening",
    "stages": [],
    "payment": "nothing",
}


def client_for(api: LadderApi, ready: dict[str, bool] | None = None) -> TestClient:
    readiness = lambda: ready if ready is not None else {"classifier": True}  # noqa: E731
    return TestClient(create_app(api, readiness, LIMIT), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def http(api):
    return client_for(api)


def violations(response) -> dict[str, str]:
    body = response.json()
    return {v["field"]: v["description"] for v in body["error"]["field_violations"]}


def test_classify_returns_a_rung_with_evidence(http):
    response = http.post("/v1/classifications", json={"answers": CONSULTED})
    assert response.status_code == 200
    body = response.json()
    assert body["rung"] == "consultation"
    assert {e["question_id"] for e in body["evidence"]} == set(CONSULTED)
    assert response.headers["x-request-id"]


def test_the_callers_request_id_is_kept(http):
    response = http.post("/v1/classifications", json={"answers": CONSULTED},
                         headers={"x-request-id": "portal-123"})
    assert response.headers["x-request-id"] == "portal-123"


def test_recommend_and_match_answer(http):
    response = http.post("/v1/recommendations", json={"current_rung": "consultation"})
    assert response.status_code == 200
    assert response.json()["target_rung"] == "engagement"
    assert response.json()["recommendations"]
    response = http.post("/v1/matches", json={"location": {"latitude": 53.48, "longitude": -2.24}})
    assert response.status_code == 200
    assert response.json()["matches"][0]["distance_km"] < 5


@pytest.mark.parametrize(("path", "body", "field", "words"), [
    ("/v1/classifications", {"answers": {"payment": "lots"}}, "answers.payment", "not an allowed"),
    ("/v1/classifications", {"answers": {"nonsense": "x"}}, "answers.nonsense", "unknown question"),
    ("/v1/classifications", {"description": "x" * 20_001, "answers": CONSULTED}, "description",
     "at most 20000"),
    ("/v1/classifications", {"answers": CONSULTED, "colour": "red"}, "colour", "Extra inputs"),
    ("/v1/classifications", {"answers": {"payment": 5}}, "answers.payment",
     "valid list"),
    ("/v1/recommendations", {}, "current_rung", "give current_rung"),
    ("/v1/recommendations", {"current_rung": "partnership"}, "current_rung", "'co-design'"),
    ("/v1/recommendations", {"current_rung": "co-design", "target_rung": "informing"},
     "target_rung", "below current_rung"),
    ("/v1/matches", {"location": {"latitude": 91, "longitude": 0}}, "location.latitude",
     "less than or equal to 90"),
    ("/v1/matches", {"location": {"latitude": 50, "longitude": 0}, "radius_km": 0}, "radius_km",
     "greater than 0"),
])
def test_bad_input_is_422_naming_the_field(http, path, body, field, words):
    response = http.post(path, json=body)
    assert response.status_code == 422, response.text
    found = violations(response)
    assert field in found, found
    assert words in found[field]
    assert response.json()["error"]["code"] == "invalid_argument"


def test_malformed_json_is_422_on_the_body(http):
    response = http.post("/v1/classifications", content=b'{"answers": {',
                         headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "not valid JSON" in violations(response)["body"]


def test_a_body_over_the_limit_is_413_and_the_next_request_succeeds(http):
    body = json.dumps({"description": "x" * (LIMIT + 10)})
    response = http.post("/v1/classifications", content=body,
                         headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["field_violations"][0]["field"] == "body"
    assert http.post("/v1/classifications", json={"answers": CONSULTED}).status_code == 200


def test_a_streamed_body_over_the_limit_is_413(http):
    def chunks():
        for _ in range(20):
            yield b"x" * (LIMIT // 10)

    response = http.post("/v1/classifications", content=chunks(),
                         headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_a_service_that_does_not_answer_is_503():
    http = client_for(LadderApi(RaisingClient(ServiceUnavailable("classifier did not answer within 5 s"))))
    response = http.post("/v1/classifications", json={"answers": CONSULTED})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"


def test_an_unexpected_failure_is_500_with_a_request_id_and_no_trace():
    http = client_for(LadderApi(RaisingClient(RuntimeError("secret internals at line 42"))))
    response = http.post("/v1/classifications", json={"answers": CONSULTED})
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["request_id"] == response.headers["x-request-id"]
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


def test_readyz_is_503_until_every_service_answers(api):
    assert client_for(api, {"classifier": True, "matcher": False}).get("/readyz").status_code == 503
    assert client_for(api, {"classifier": True, "matcher": True}).get("/readyz").status_code == 200
    assert client_for(api).get("/healthz").status_code == 200


def test_openapi_documents_every_endpoint(http):
    spec = http.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/v1/classifications", "/v1/recommendations", "/v1/matches", "/healthz", "/readyz"):
        assert path in spec["paths"]
    assert "ClassifyRequest" in spec["components"]["schemas"]
