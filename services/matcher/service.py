"""The matcher on the bus: a thin nameko adapter around MatcherApp."""

from __future__ import annotations

from typing import Any

from nameko.events import EventDispatcher
from nameko.rpc import rpc

from services.common.nameko_adapter import App, LadderService
from services.matcher.app import MatcherApp


class MatcherService(LadderService):
    name = "matcher"
    app = App(MatcherApp)
    dispatch = EventDispatcher()

    @rpc
    def match(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.match(request, publish=self.dispatch)
