"""The recommender's application layer: JSON in, JSON out, no transport."""

from __future__ import annotations

from typing import Any

from services.common.events import Publish
from services.common.validation import parse
from services.recommender.catalogue import Catalogue, load_catalogue
from services.recommender.recommend import recommend
from services.recommender.schema import RecommendRequest, RecommendResponse


class RecommenderApp:
    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or load_catalogue()

    def recommend(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(RecommendRequest, request)
        target = parsed.target()
        response = RecommendResponse(
            target_rung=target,
            recommendations=recommend(self.catalogue, target, parsed.limit),
        )
        return response.model_dump(mode="json")
