"""Matcher requests and answers as JSON: the shape on the bus and in the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_RADIUS_KM = 1000.0


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: Location = Field(description="The organisation's location (WGS84).")
    radius_km: float = Field(default=25.0, gt=0, le=MAX_RADIUS_KM, description="Search radius.")
    limit: int = Field(default=10, ge=1, le=100)


class Group(BaseModel):
    id: str
    name: str
    description: str
    location: Location
    website: str | None = None


class GroupMatch(BaseModel):
    group: Group
    distance_km: float
    score: float = Field(ge=0, le=1)
    reasons: list[str]


class MatchResponse(BaseModel):
    matches: list[GroupMatch]
