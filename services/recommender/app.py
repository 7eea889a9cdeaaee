"""The recommender's application layer: JSON in, JSON out, no transport."""

from __future__ import annotations

from typing import Any

from services.common.errors import InvalidArgument
from services.common.events import Publish
from services.common.settings import load_settings
from services.common.validation import parse
from services.recommender.catalogue import Catalogue, load_catalogue
from services.recommender.climbing import Climbing, load_climbing
from services.recommender.constraints import Constraints
from services.recommender.recommend import recommend
from services.recommender.schema import NO_START, Language, RecommendRequest


class RecommenderApp:
    def __init__(
        self,
        catalogue: Catalogue | None = None,
        climbing: Climbing | None = None,
        payment_rate_gbp_per_hour: float | None = None,
    ) -> None:
        self.catalogue = catalogue or load_catalogue()
        self.climbing = climbing or load_climbing()
        self.payment_rate_gbp_per_hour = (
            load_settings().payment_rate_gbp_per_hour
            if payment_rate_gbp_per_hour is None
            else payment_rate_gbp_per_hour
        )

    def recommend(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(RecommendRequest, request)
        if parsed.current_rung is None:
            # Inline answers are assessed by the gateway (it calls the classifier), which
            # then sends current_rung; the recommender itself never classifies.
            raise InvalidArgument.one("current_rung", NO_START if parsed.missing_start() else (
                "the recommender needs current_rung; answers are assessed by the gateway "
                "(POST /v1/recommendations) before they reach it"
            ))
        current = parsed.current_rung
        rate = parsed.payment_rate_gbp_per_hour
        constraints = Constraints(
            budget_gbp=parsed.budget_gbp,
            weeks=parsed.weeks,
            participants=parsed.participants,
            mode=parsed.mode,
            access_needs=tuple(parsed.access_needs),
            lived_experience=tuple(parsed.lived_experience),
            welsh=parsed.language is Language.WELSH,
            payment_rate_gbp_per_hour=self.payment_rate_gbp_per_hour if rate is None else rate,
        )
        return recommend(self.catalogue, self.climbing, current, parsed.target_from(current),
                         constraints, parsed.limit)
