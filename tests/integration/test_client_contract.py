"""One contract, two implementations: the bus client and the in-process client must
behave the same for every call the gateway makes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.common.errors import InvalidArgument, NotFound
from services.common.logs import request_id_var
from tests.support.processes import wait_until

CO_DESIGN = {"answers": {"first_involved": ["from-the-start"], "who_decides": ["jointly"],
                         "stages": ["design"], "payment": ["paid"]}}


def test_classify_returns_a_rung_with_evidence(client):
    result = client.call("classifier", "classify", CO_DESIGN)
    assert result["rung"] == "co-design"
    assert len(result["evidence"]) == 4
    assert result["next_rung"] == "co-production"


def test_domain_errors_cross_intact_with_their_field_violations(client):
    with pytest.raises(InvalidArgument) as caught:
        client.call("classifier", "classify", {"answers": {"payment": ["lots"], "mood": ["x"]}})
    fields = {v["field"] for v in caught.value.violations}
    assert fields == {"answers.payment", "answers.mood"}


def test_recommend_filters_by_target_rung(client):
    result = client.call("recommender", "recommend", {"current_rung": "co-design"})
    assert result["target_rung"] == "co-production"
    assert result["recommendations"]
    assert all("co-production" in r["method"]["rungs"] for r in result["recommendations"])


def test_recommend_keeps_within_constraints_and_explains_what_would_fit(client):
    request = {"current_rung": "consultation", "budget_gbp": 4000, "weeks": 12,
               "participants": 12, "mode": "in-person", "access_needs": ["bsl"],
               "language": "cy"}
    result = client.call("recommender", "recommend", request)
    assert result["recommendations"] and result["nothing_fits"] is None
    for r in result["recommendations"]:
        assert r["estimated_cost"]["total_gbp"] <= 4000 and r["weeks"] <= 12
        assert "in-person" in r["method"]["modes"]
    assert [s["rung"] for s in result["plan"]] == ["engagement"]
    tight = client.call("recommender", "recommend", {**request, "budget_gbp": 50})
    assert tight["recommendations"] == []
    assert tight["nothing_fits"]["what_would_change_it"][0].startswith("An extra £")


def test_match_ranks_by_distance(client):
    result = client.call("matcher", "match", {"location": {"latitude": 53.8, "longitude": -1.55},
                                              "radius_km": 30})
    distances = [m["distance_km"] for m in result["matches"]]
    assert distances == sorted(distances) and distances


def test_the_request_id_reaches_the_service(client):
    token = request_id_var.set("trace-abc-123")
    try:
        assert client.call("recommender", "echo", "ping")["request_id"] == "trace-abc-123"
    finally:
        request_id_var.reset(token)


def test_concurrent_calls_each_get_their_own_answer(client):
    def one(i: int) -> tuple[str, str]:
        token = request_id_var.set(f"req-{i}")
        try:
            reply = client.call("classifier", "echo", f"message {i}")
            return reply["message"], reply["request_id"]
        finally:
            request_id_var.reset(token)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(200)))
    assert results == [(f"message {i}", f"req-{i}") for i in range(200)]


def test_a_directory_change_is_published_and_applied(client):
    group = {"id": "contract-test-group", "name": "Contract Test Collective (fictional)",
             "description": "A group made by the contract test.",
             "attributes": [{"taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "90"}],
             "locations": [{"id": "contract-test-location", "latitude": 57.15, "longitude": -2.11}]}
    put = client.call("matcher", "put_organization", {"id": group["id"], "organization": group})
    assert put["organization"]["id"] == group["id"] and put["user_led"]["status"] == "user-led"
    near = {"location": {"latitude": 57.15, "longitude": -2.10}, "radius_km": 5}

    def found() -> list[str]:
        return [m["group"]["id"] for m in client.call("matcher", "match", near)["matches"]]

    wait_until(lambda: found() == [group["id"]], 10, "the new group to be matched")
    client.call("matcher", "delete_organization", {"id": group["id"]})
    wait_until(lambda: found() == [], 10, "the deleted group to be gone")
    with pytest.raises(NotFound):
        client.call("matcher", "delete_organization", {"id": group["id"]})
