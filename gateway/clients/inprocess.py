"""The embedded mode: the same application code, called in this process.

Requests, answers and errors go through JSON exactly as they would on the bus, so the
embedded mode cannot accept something the bus would refuse, or the reverse.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from services.classifier.app import ClassifierApp
from services.common.diagnostics import echo_reply
from services.common.errors import LadderError, from_wire
from services.common.events import DIRECTORY_CHANGED, InProcessEvents
from services.matcher.app import MatcherApp
from services.recommender.app import RecommenderApp


class InProcessClient:
    def __init__(self, events: InProcessEvents | None = None,
                 classifier: ClassifierApp | None = None, matcher: MatcherApp | None = None) -> None:
        self.events = events or InProcessEvents()
        classifier = classifier or ClassifierApp()  # projects are stored only if given a database
        recommender = RecommenderApp()
        matcher = matcher or MatcherApp()  # the directory named by the settings
        self._methods: dict[tuple[str, str], Callable[[Any], Any]] = {
            ("classifier", "classify"): self._with_publisher(classifier.classify, "classifier"),
            ("classifier", "get_questionnaire"): classifier.get_questionnaire,
            ("classifier", "get_frameworks"): classifier.get_frameworks,
            ("classifier", "project"): classifier.project,
            ("classifier", "project_history"): classifier.project_history,
            ("classifier", "delete_project"): classifier.delete_project,
            ("recommender", "recommend"): self._with_publisher(recommender.recommend, "recommender"),
            **{("matcher", name): self._with_publisher(getattr(matcher, name), "matcher") for name in (
                "match", "put_organization", "delete_organization", "import_directory",
                "export_directory")},
        }
        # As on the bus: the event prompts the matcher to catch up with the change log
        # (the replica that wrote has applied it already; one replica here).
        self.events.subscribe("matcher", DIRECTORY_CHANGED, matcher.directory_changed)
        for service in ("classifier", "recommender", "matcher"):
            self._methods[(service, "echo")] = partial(echo_reply, service)

    def call(self, service: str, method: str, payload: Any) -> Any:
        handler = self._methods.get((service, method))
        if handler is None:
            raise LookupError(f"no method {service}.{method}")
        try:
            result = handler(json.loads(json.dumps(payload)))
        except LadderError as error:
            raise from_wire(json.loads(json.dumps(error.to_wire()))) from None
        return json.loads(json.dumps(result))

    def close(self) -> None:
        pass

    def _with_publisher(self, method: Callable[..., Any], service: str) -> Callable[[Any], Any]:
        publish = self.events.publisher(service)
        return lambda payload: method(payload, publish=publish)
