"""The classifier on the bus: a thin nameko adapter around ClassifierApp."""

from __future__ import annotations

from typing import Any

from nameko.timer import timer

from services.classifier.app import ClassifierApp
from services.common.event_outbox import EventOutbox
from services.common.nameko_adapter import App, LadderService, rpc
from services.common.settings import load_settings


class ClassifierService(LadderService):
    name = "classifier"
    app = App(lambda: ClassifierApp.from_settings(load_settings()))
    # classification_made only reports what happened: published after the answer.
    dispatch = EventOutbox()

    @rpc
    def classify(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.classify(request, publish=self.dispatch)

    @rpc
    def project(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.project(request)

    @rpc
    def project_history(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.project_history(request)

    @rpc
    def delete_project(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.delete_project(request)

    @timer(interval=3600)
    def purge_expired_descriptions(self) -> None:
        self.app.purge_expired_descriptions()

    @rpc
    def get_frameworks(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.app.get_frameworks(request)

    @rpc
    def get_questionnaire(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.app.get_questionnaire(request)
