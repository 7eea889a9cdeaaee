"""Recommendations through the gateway, over HTTP and gRPC (in process): constraints, the
inline assessment, and bad input refused as 422 / INVALID_ARGUMENT naming the field."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from fastapi.testclient import TestClient
from ladder.v1 import (
    classifier_pb2,
    common_pb2,
    recommender_pb2,
    recommender_pb2_grpc,
)

from gateway.convert import recommender as convert
from gateway.http_api import create_app
from services.recommender.schema import RecommendResponse
from tests.unit.gateway.test_grpc_api import _serve, bad_request_fields

CONSULTED = {
    "first_involved": "after-decisions",
    "who_decides": "provider-after-listening",
    "stages": [],
    "payment": "nothing",
}
CONSTRAINED = {
    "current_rung": "consultation", "budget_gbp": 5000, "weeks": 12, "participants": 20,
    "mode": "in-person", "access_needs": ["bsl", "step-free"],
    "lived_experience": ["learning-disability"], "language": "cy", "limit": 5,
}


@pytest.fixture(scope="module")
def http(api) -> TestClient:
    return TestClient(create_app(api, lambda: {"recommender": True}, 1_048_576),
                      raise_server_exceptions=False)


@pytest.fixture(scope="module")
def stub(api) -> Iterator[recommender_pb2_grpc.RecommenderStub]:
    for address in _serve(api, ready=True):
        with grpc.insecure_channel(address) as channel:
            yield recommender_pb2_grpc.RecommenderStub(channel)


def _fields(response) -> dict[str, str]:
    return {v["field"]: v["description"] for v in response.json()["error"]["field_violations"]}


# --- HTTP -------------------------------------------------------------------------------


def test_http_recommends_within_every_constraint(http):
    response = http.post("/v1/recommendations", json=CONSTRAINED)
    assert response.status_code == 200, response.text
    body = response.json()
    RecommendResponse.model_validate(body)
    assert body["recommendations"] and len(body["recommendations"]) <= 5
    for r in body["recommendations"]:
        assert r["estimated_cost"]["total_gbp"] <= 5000
        assert r["weeks"] <= 12 and "in-person" in r["method"]["modes"]
        assert any(i["item"].startswith("Welsh") for i in r["estimated_cost"]["items"])
    assert body["plan"][0]["rung"] == "engagement"
    assert {a["piece"] for a in body["organisation_actions"]} == {
        "culture", "structure", "practice", "review"}
    assert body["nothing_fits"] is None
    assert "classification" not in body or body["classification"] is None


def test_http_inline_answers_are_assessed_first(http):
    response = http.post("/v1/recommendations", json={"answers": CONSULTED, "limit": 2})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["classification"]["rung"] == body["current_rung"] == "consultation"
    assert body["target_rung"] == "engagement"
    assert body["classification"]["evidence"]


def test_http_current_rung_wins_over_answers(http):
    body = http.post("/v1/recommendations", json={
        "current_rung": "co-design", "answers": CONSULTED}).json()
    assert body["current_rung"] == "co-design" and body["target_rung"] == "co-production"
    assert body.get("classification") is None


def test_http_nothing_fits_says_why(http):
    body = http.post("/v1/recommendations", json={
        "current_rung": "engagement", "budget_gbp": 100}).json()
    assert body["recommendations"] == []
    assert body["nothing_fits"]["excluded"][0]["constraint"] == "budget_gbp"
    assert body["nothing_fits"]["what_would_change_it"][0].startswith("An extra £")


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"current_rung": "consultation", "budget_gbp": -5}, "budget_gbp", "must not be negative"),
    ({"current_rung": "consultation", "budget_gbp": 10**9}, "budget_gbp", "at most £1,000,000"),
    ({"current_rung": "consultation", "weeks": 0}, "weeks", "at least 1"),
    ({"current_rung": "consultation", "access_needs": ["braille"]}, "access_needs[0]",
     "'easy-read'"),
    ({"current_rung": "consultation", "lived_experience": ["cats"]}, "lived_experience[0]",
     "'carers'"),
    ({"current_rung": "consultation", "language": "fr"}, "language", "'en' or 'cy'"),
    ({"current_rung": "consultation", "target_rung": "informing"}, "target_rung",
     "below current_rung 'consultation'"),
    ({"current_rung": "summit"}, "current_rung", "'co-production'"),
    ({"answers": {"payment": "lots"}}, "answers.payment", "not an allowed answer"),
    ({"answers": CONSULTED, "target_rung": "informing"}, "target_rung",
     "where your answers place the project"),
    ({"budget_gbp": 500}, "current_rung", "give current_rung"),
])
def test_http_bad_input_is_422_naming_the_field(http, body, field, words):
    response = http.post("/v1/recommendations", json=body)
    assert response.status_code == 422, response.text
    found = _fields(response)
    assert field in found, found
    assert words in found[field]


# --- gRPC -------------------------------------------------------------------------------


def test_grpc_recommends_within_every_constraint(stub):
    reply = stub.Recommend(recommender_pb2.RecommendRequest(
        current_rung=common_pb2.RUNG_CONSULTATION, budget_gbp=5000, weeks=12, participants=20,
        mode=recommender_pb2.INVOLVEMENT_MODE_IN_PERSON,
        access_needs=[recommender_pb2.ACCESS_NEED_BSL, recommender_pb2.ACCESS_NEED_STEP_FREE],
        lived_experience=[recommender_pb2.LIVED_EXPERIENCE_LEARNING_DISABILITY],
        language="cy", limit=5), timeout=5)
    assert reply.current_rung == common_pb2.RUNG_CONSULTATION
    assert reply.target_rung == common_pb2.RUNG_ENGAGEMENT
    assert reply.payment_rate_gbp_per_hour == 25
    assert 0 < len(reply.recommendations) <= 5
    for r in reply.recommendations:
        assert r.estimated_cost.total_gbp <= 5000 and r.reasons and r.trade_offs
        assert recommender_pb2.INVOLVEMENT_MODE_IN_PERSON in r.method.modes
        assert sum(i.gbp for i in r.estimated_cost.items) == pytest.approx(r.estimated_cost.total_gbp)
    assert reply.plan[0].rung == common_pb2.RUNG_ENGAGEMENT and reply.plan[0].HasField("starts_week")
    assert {a.piece for a in reply.organisation_actions} == {
        recommender_pb2.JIGSAW_PIECE_CULTURE, recommender_pb2.JIGSAW_PIECE_STRUCTURE,
        recommender_pb2.JIGSAW_PIECE_PRACTICE, recommender_pb2.JIGSAW_PIECE_REVIEW}
    assert not reply.HasField("nothing_fits") and not reply.HasField("classification")


def test_grpc_inline_answers_and_nothing_fits(stub):
    request = recommender_pb2.RecommendRequest(budget_gbp=100)
    for question, option in CONSULTED.items():
        request.answers[question].options.extend([option] if option else [])
        request.answers[question].SetInParent()
    reply = stub.Recommend(request, timeout=5)
    assert reply.classification.rung == reply.current_rung == common_pb2.RUNG_CONSULTATION
    assert not reply.recommendations
    assert reply.nothing_fits.excluded[0].constraint == "budget_gbp"
    assert reply.nothing_fits.what_would_change_it[0].startswith("An extra £")
    assert not reply.plan[0].method_ids and not reply.plan[0].HasField("starts_week")


@pytest.mark.parametrize(("request_", "field", "words"), [
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CONSULTATION, budget_gbp=-1),
     "budget_gbp", "must not be negative"),
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CONSULTATION,
                                      budget_gbp=float("inf")), "budget_gbp", "finite"),
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CONSULTATION, weeks=0),
     "weeks", "at least 1"),
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CONSULTATION,
                                      access_needs=[recommender_pb2.ACCESS_NEED_UNSPECIFIED]),
     "access_needs[0]", "Input should be"),
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CONSULTATION,
                                      lived_experience=[99]), "lived_experience[0]", "Input should be"),
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CONSULTATION, language="fr"),
     "language", "'en' or 'cy'"),
    (recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_CO_DESIGN,
                                      target_rung=common_pb2.RUNG_INFORMING),
     "target_rung", "below current_rung 'co-design'"),
    (recommender_pb2.RecommendRequest(
        answers={"payment": classifier_pb2.Choices(options=["lots"])}),
     "answers.payment", "not an allowed answer"),
])
def test_grpc_bad_input_is_invalid_argument_naming_the_field(stub, request_, field, words):
    with pytest.raises(grpc.RpcError) as caught:
        stub.Recommend(request_, timeout=5)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    fields = bad_request_fields(caught.value)
    assert field in fields, fields
    assert words in fields[field]


# --- conversion -------------------------------------------------------------------------


def test_unset_request_fields_stay_unset_and_set_ones_convert():
    assert convert.recommend_request(recommender_pb2.RecommendRequest()) == {}
    message = recommender_pb2.RecommendRequest(
        budget_gbp=0, weeks=3, mode=recommender_pb2.INVOLVEMENT_MODE_HYBRID,
        access_needs=[recommender_pb2.ACCESS_NEED_EASY_READ],
        lived_experience=[recommender_pb2.LIVED_EXPERIENCE_OLDER_PEOPLE],
        payment_rate_gbp_per_hour=0)
    assert convert.recommend_request(message) == {
        "budget_gbp": 0, "weeks": 3, "mode": "hybrid", "access_needs": ["easy-read"],
        "lived_experience": ["older-people"], "payment_rate_gbp_per_hour": 0}
