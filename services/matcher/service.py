"""The matcher on the bus: a thin nameko adapter around MatcherApp."""

from __future__ import annotations

from typing import Any

from nameko.constants import PERSISTENT
from nameko.events import EventDispatcher

from services.common.events import DIRECTORY_CHANGED
from services.common.health import HealthServer
from services.common.nameko_adapter import App, LadderService, OnConnected, rpc
from services.common.replicas import DIRECTORY_SYNC_CONFIG_KEY, configured_timer, replica_broadcast
from services.matcher.app import MatcherApp

DEFAULT_SYNC_SECONDS = 5.0  # when the config has none (tests that build containers)


class MatcherService(LadderService):
    name = "matcher"
    app = App(MatcherApp)
    # Published inside the call, confirmed by the broker, persistent: nameko's defaults,
    # stated so a change of defaults cannot weaken them. The change log (follow.py) makes
    # a lost event cost one sync interval, not a stale replica.
    dispatch = EventDispatcher(use_confirms=True, delivery_mode=PERSISTENT)
    # GET /directory on the service's health port: this replica's position and digest.
    health = HealthServer(pages={"/directory": lambda container: App.of(container).directory_status()})
    catch_up_when_connected = OnConnected(lambda app: app.sync())

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

    # Every replica has its own durable queue and gets every change (not one replica of the
    # pool, as with RPC); the event prompts it to catch up with the change log.
    @replica_broadcast("matcher", DIRECTORY_CHANGED)
    def on_directory_changed(self, event: dict[str, Any]) -> None:
        self.app.directory_changed(event)

    # What no event announced (lost while the broker was away) is found here.
    @configured_timer(DIRECTORY_SYNC_CONFIG_KEY, DEFAULT_SYNC_SECONDS)
    def sync_directory(self) -> None:
        self.app.sync()
