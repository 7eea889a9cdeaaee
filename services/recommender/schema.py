"""Recommender requests and answers as JSON: the shape on the bus and in the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.common.rungs import Rung


class RecommendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_rung: Rung = Field(description="Where the project stands now.")
    target_rung: Rung | None = Field(
        default=None,
        description="Where it wants to get to; not below current_rung. Default: the rung above.",
    )
    limit: int = Field(default=10, ge=1, le=50, description="At most this many methods.")

    @model_validator(mode="after")
    def _target_not_below_current(self) -> RecommendRequest:
        if self.target_rung is not None and self.target_rung < self.current_rung:
            raise ValueError(
                f"target_rung {self.target_rung.value!r} is below current_rung "
                f"{self.current_rung.value!r}"
            )
        return self

    def target(self) -> Rung:
        return self.target_rung or self.current_rung.next_up() or self.current_rung


class MethodSummary(BaseModel):
    id: str
    name: str
    summary: str
    rungs: list[Rung]
    sources: list[str] = Field(description="URLs the catalogue entry draws on.")


class Recommendation(BaseModel):
    method: MethodSummary
    reasons: list[str]


class RecommendResponse(BaseModel):
    target_rung: Rung
    recommendations: list[Recommendation]
