"""Conversions for the matcher."""

from __future__ import annotations

from typing import Any

from ladder.v1 import common_pb2, matcher_pb2


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
