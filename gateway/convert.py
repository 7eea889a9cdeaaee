"""Between protobuf messages and the JSON shapes of the services' schemas.

Explicit, field by field: the wire names differ (RUNG_CO_DESIGN on gRPC, "co-design" in
JSON), and proto3 cannot tell an empty field from an unset one, so each rule is stated.
Values that cannot be converted are passed on as they are, for validation to name.
"""

from __future__ import annotations

from typing import Any

from ladder.v1 import (
    classifier_pb2,
    common_pb2,
    diagnostics_pb2,
    matcher_pb2,
    recommender_pb2,
)

_RUNG_PREFIX = "RUNG_"


def rung_to_json(value: int) -> str | None:
    """RUNG_CO_DESIGN -> "co-design"; RUNG_UNSPECIFIED -> None (unset); an unknown number
    -> its digits, which validation then rejects by name."""
    if value == common_pb2.RUNG_UNSPECIFIED:
        return None
    try:
        name = common_pb2.Rung.Name(value)
    except ValueError:
        return str(value)
    return name.removeprefix(_RUNG_PREFIX).lower().replace("_", "-")


def rung_from_json(value: str | None) -> int:
    if value is None:
        return common_pb2.RUNG_UNSPECIFIED
    return common_pb2.Rung.Value(_RUNG_PREFIX + value.upper().replace("-", "_"))


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


# --- classifier

def classify_request(message: classifier_pb2.ClassifyRequest) -> dict[str, Any]:
    request: dict[str, Any] = {"answers": {q: list(c.options) for q, c in message.answers.items()}}
    _set(request, "description", message.description or None)
    return request


def classify_response(classification: dict[str, Any]) -> classifier_pb2.ClassifyResponse:
    c = classification
    return classifier_pb2.ClassifyResponse(classification=classifier_pb2.Classification(
        rung=rung_from_json(c["rung"]),
        confidence=c["confidence"],
        scores=[
            classifier_pb2.RungScore(rung=rung_from_json(s["rung"]), score=s["score"])
            for s in c["scores"]
        ],
        evidence=[_evidence(e) for e in c["evidence"]],
        summary=c["summary"],
        next_rung=rung_from_json(c["next_rung"]),
        missing_for_next_rung=c["missing_for_next_rung"],
        unanswered=c["unanswered"],
        conflicts=[
            classifier_pb2.Conflict(question_ids=x["question_ids"], description=x["description"])
            for x in c["conflicts"]
        ],
    ))


def _evidence(e: dict[str, Any]) -> common_pb2.Evidence:
    source = {
        "answer": common_pb2.EVIDENCE_SOURCE_ANSWER,
        "text": common_pb2.EVIDENCE_SOURCE_TEXT,
    }[e["source"]]
    span = e.get("span")
    return common_pb2.Evidence(
        signal=e["signal"],
        statement=e["statement"],
        points_to=rung_from_json(e["points_to"]),
        source=source,
        question_id=e.get("question_id") or "",
        answer=e.get("answer", []),
        span=common_pb2.TextSpan(**span) if span else None,
    )


# --- recommender

def recommend_request(message: recommender_pb2.RecommendRequest) -> dict[str, Any]:
    request: dict[str, Any] = {}
    _set(request, "current_rung", rung_to_json(message.current_rung))
    _set(request, "target_rung", rung_to_json(message.target_rung))
    if message.HasField("limit"):
        request["limit"] = message.limit
    return request


def recommend_response(response: dict[str, Any]) -> recommender_pb2.RecommendResponse:
    return recommender_pb2.RecommendResponse(
        target_rung=rung_from_json(response["target_rung"]),
        recommendations=[
            recommender_pb2.Recommendation(
                method=recommender_pb2.Method(
                    id=r["method"]["id"],
                    name=r["method"]["name"],
                    summary=r["method"]["summary"],
                    rungs=[rung_from_json(x) for x in r["method"]["rungs"]],
                    sources=r["method"]["sources"],
                ),
                reasons=r["reasons"],
            )
            for r in response["recommendations"]
        ],
    )


# --- matcher

def match_request(message: matcher_pb2.MatchRequest) -> dict[str, Any]:
    request: dict[str, Any] = {}
    if message.HasField("location"):
        request["location"] = {
            "latitude": message.location.latitude, "longitude": message.location.longitude,
        }
    if message.HasField("radius_km"):
        request["radius_km"] = message.radius_km
    if message.HasField("limit"):
        request["limit"] = message.limit
    return request


def match_response(response: dict[str, Any]) -> matcher_pb2.MatchResponse:
    return matcher_pb2.MatchResponse(matches=[
        matcher_pb2.GroupMatch(
            group=matcher_pb2.Group(
                id=m["group"]["id"],
                name=m["group"]["name"],
                description=m["group"]["description"],
                website=m["group"].get("website") or "",
                location=common_pb2.Location(**m["group"]["location"]),
            ),
            distance_km=m["distance_km"],
            score=m["score"],
            reasons=m["reasons"],
        )
        for m in response["matches"]
    ])


# --- diagnostics

def echo_request(message: diagnostics_pb2.EchoRequest) -> dict[str, Any]:
    return {"service": message.service, "message": message.message}


def echo_response(response: dict[str, Any]) -> diagnostics_pb2.EchoResponse:
    return diagnostics_pb2.EchoResponse(**response)
