"""The matcher on the bus: a thin nameko adapter around MatcherApp."""

from __future__ import annotations

from typing import Any

from nameko.events import BROADCAST, EventDispatcher, event_handler
from nameko.rpc import rpc

from services.common.events import DIRECTORY_CHANGED
from services.common.nameko_adapter import App, LadderService
from services.matcher.app import MatcherApp


class MatcherService(LadderService):
    name = "matcher"
    app = App(MatcherApp)
    dispatch = EventDispatcher()

    @rpc
    def match(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.match(request, publish=self.dispatch)

    @rpc
    def put_organization(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.put_organization(request, publish=self.dispatch)

    @rpc
    def delete_organization(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.delete_organization(request, publish=self.dispatch)

    @rpc
    def import_directory(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.import_directory(request, publish=self.dispatch)

    @rpc
    def export_directory(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.export_directory(request, publish=self.dispatch)

    # BROADCAST: every replica has its own queue and gets every change (not one replica
    # of the pool, as with RPC), so every in-memory index is updated.
    @event_handler("matcher", DIRECTORY_CHANGED, handler_type=BROADCAST, reliable_delivery=False)
    def on_directory_changed(self, event: dict[str, Any]) -> None:
        self.app.apply_change(event)
