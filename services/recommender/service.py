"""The recommender on the bus: a thin nameko adapter around RecommenderApp."""

from __future__ import annotations

from typing import Any

from nameko.events import EventDispatcher

from services.common.nameko_adapter import App, LadderService, rpc
from services.recommender.app import RecommenderApp


class RecommenderService(LadderService):
    name = "recommender"
    app = App(RecommenderApp)
    dispatch = EventDispatcher()

    @rpc
    def recommend(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.recommend(request, publish=self.dispatch)
