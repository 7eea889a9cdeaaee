"""Conversions for the recommender."""

from __future__ import annotations

from typing import Any

from ladder.v1 import recommender_pb2

from gateway.convert.common import rung_from_json, rung_to_json, set_if_given


def recommend_request(message: recommender_pb2.RecommendRequest) -> dict[str, Any]:
    request: dict[str, Any] = {}
    set_if_given(request, "current_rung", rung_to_json(message.current_rung))
    set_if_given(request, "target_rung", rung_to_json(message.target_rung))
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
