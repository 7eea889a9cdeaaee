"""Rank groups for an organisation."""

from __future__ import annotations

from services.matcher.geo import distance_km
from services.matcher.schema import Group, GroupMatch, MatchRequest


def match(groups: list[Group], request: MatchRequest) -> list[GroupMatch]:
    """Groups within the radius, nearest first; the score falls linearly from 1 at the
    organisation's door to 0 at the edge of the radius."""
    origin = request.location
    found = []
    for group in groups:
        distance = distance_km(
            origin.latitude, origin.longitude, group.location.latitude, group.location.longitude
        )
        if distance <= request.radius_km:
            found.append(GroupMatch(
                group=group,
                distance_km=round(distance, 2),
                score=round(1 - distance / request.radius_km, 3),
                reasons=[f"{distance:.1f} km away, within the {request.radius_km:g} km asked for."],
            ))
    found.sort(key=lambda m: (m.distance_km, m.group.id))
    return found[: request.limit]
