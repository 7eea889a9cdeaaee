"""Events the services publish, and the seam through which they publish them.

On the bus, a service's nameko EventDispatcher is the publisher (events go out on the
`<service>.events` exchange). In embedded mode an `InProcessEvents` hub delivers them to
handlers in the same process. Domain code only ever sees a `Publish` callable.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Publish = Callable[[str, dict[str, Any]], None]
Handler = Callable[[dict[str, Any]], None]

# Event types, per publishing service.
CLASSIFICATION_MADE = "classification_made"  # classifier
PROJECT_RUNG_DROPPED = "project_rung_dropped"  # classifier: a stored project fell a rung
DIRECTORY_CHANGED = "directory_changed"  # matcher

log = logging.getLogger(__name__)


class InProcessEvents:
    """A publish/subscribe hub for the single-process mode."""

    def __init__(self) -> None:
        self._handlers: dict[tuple[str, str], list[Handler]] = defaultdict(list)

    def publisher(self, source_service: str) -> Publish:
        def publish(event_type: str, payload: dict[str, Any]) -> None:
            for handler in list(self._handlers[(source_service, event_type)]):
                try:
                    handler(payload)
                except Exception:  # one bad handler must not stop the others
                    log.exception("event handler failed", extra={"event_type": event_type})

        return publish

    def subscribe(self, source_service: str, event_type: str, handler: Handler) -> None:
        self._handlers[(source_service, event_type)].append(handler)
