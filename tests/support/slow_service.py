"""Test only: the classifier with a slow path, to hold calls in flight during a shutdown.

    python -m tests.support.slow_service classifier     (tests.support.processes.slow_classifier)
    python -m tests.support.slow_service held-events    (tests.support.processes.held_events_classifier)

runs it exactly as `python -m services.runner classifier` runs the real one. A call
whose request id starts with SLOW_PREFIX waits SLOW_SECONDS before it is handled (and logs
"holding a slow call" as it starts waiting); every other call is the real classifier's.
The second is the real classifier except that its event outbox publishes nothing until
the service is asked to stop: every event is still queued at shutdown, so only the flush
at shutdown can deliver it.
Never import this module from a test: it monkey-patches the process with eventlet.
"""

from __future__ import annotations

import logging  # noqa: E402
import sys
from typing import Any  # noqa: E402

import eventlet  # noqa: E402, I001

from services import runner  # first: it monkey-patches eventlet before anything else
from services.classifier.service import ClassifierService  # noqa: E402
from services.common.event_outbox import _STOP, EventOutbox  # noqa: E402
from services.common.logs import request_id_var  # noqa: E402
from services.common.nameko_adapter import rpc  # noqa: E402
from tests.support.processes import SLOW_PREFIX, SLOW_SECONDS  # noqa: E402

log = logging.getLogger(__name__)


class SlowClassifierService(ClassifierService):
    @rpc
    def classify(self, request: dict[str, Any]) -> dict[str, Any]:
        self._hold()
        return super().classify(request)

    @rpc
    def echo(self, message: str) -> dict[str, Any]:
        self._hold()
        return super().echo(message)

    def _hold(self) -> None:
        if (request_id_var.get() or "").startswith(SLOW_PREFIX):
            log.info("holding a slow call", extra={"seconds": SLOW_SECONDS})
            eventlet.sleep(SLOW_SECONDS)


class HeldEventOutbox(EventOutbox):
    """Publishes nothing until the flush at shutdown queues its end marker, then does what
    EventOutbox does. Released by that marker alone, so without the flush nothing is sent."""

    def _publish_forever(self) -> None:
        log.info("holding events until shutdown")
        while not any(item is _STOP for item in self.pending.queue):
            eventlet.sleep(0.05)
        super()._publish_forever()


class HeldEventsClassifierService(ClassifierService):
    dispatch = HeldEventOutbox()


if __name__ == "__main__":
    runner.SERVICES["classifier"] = f"{__name__}:{SlowClassifierService.__name__}"
    runner.SERVICES["held-events"] = f"{__name__}:{HeldEventsClassifierService.__name__}"
    sys.exit(runner.main())
