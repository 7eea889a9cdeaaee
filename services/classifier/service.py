"""The classifier on the bus: a thin nameko adapter around ClassifierApp."""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc

from services.classifier.app import ClassifierApp
from services.common.event_outbox import EventOutbox
from services.common.nameko_adapter import App, LadderService


class ClassifierService(LadderService):
    name = "classifier"
    app = App(ClassifierApp)
    # classification_made only reports what happened: published after the answer.
    dispatch = EventOutbox()

    @rpc
    def classify(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.app.classify(request, publish=self.dispatch)

    @rpc
    def get_questionnaire(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.app.get_questionnaire(request)
