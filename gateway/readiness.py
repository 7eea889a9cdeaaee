"""Is every service answering? Checked on demand (GET /readyz) and in the background (for
the gRPC health service), with its own short-deadline client so a dead bus is reported in
about a second, not after a full request timeout."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from grpc_health.v1 import health

from gateway.clients.base import SERVICE_NAMES, ServiceClient
from gateway.metrics import SERVICE_READY

log = logging.getLogger(__name__)


class Readiness:
    def __init__(
        self, client: ServiceClient, on_change: Callable[[dict[str, bool]], None] | None = None,
        interval_seconds: float = 5.0,
    ) -> None:
        self.client = client
        self.on_change = on_change
        self.interval = interval_seconds
        self._last: dict[str, bool] = dict.fromkeys(SERVICE_NAMES, False)
        self._stop = threading.Event()
        self._lock = threading.RLock()  # drain() runs in a signal handler, which may interrupt anything
        self._draining = False
        self._executor = ThreadPoolExecutor(len(SERVICE_NAMES), thread_name_prefix="ready")

    def check(self) -> dict[str, bool]:
        if self._draining:
            return dict.fromkeys(SERVICE_NAMES, False)
        results = dict(zip(SERVICE_NAMES, self._executor.map(self._answers, SERVICE_NAMES), strict=True))
        # Published under the lock that drain() takes, so a check that was under way when
        # the drain began can never turn the health back to SERVING.
        with self._lock:
            if self._draining:
                return dict.fromkeys(SERVICE_NAMES, False)
            changed, self._last = results != self._last, results
            self._publish(results)
        if changed:
            log.info("readiness changed", extra={"services": results})
        return results

    def drain(self) -> None:
        """Report not-ready from now on (shutting down): load balancers stop sending work."""
        with self._lock:
            self._draining = True
            self._publish(dict.fromkeys(SERVICE_NAMES, False))

    def _publish(self, results: dict[str, bool]) -> None:
        for service, ready in results.items():
            SERVICE_READY.labels(service).set(1 if ready else 0)
        if self.on_change:
            self.on_change(results)

    def start(self) -> None:
        threading.Thread(target=self._loop, name="readiness", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self._executor.shutdown(wait=False)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.check()
            except Exception:  # the monitor must outlive any one failed check
                log.exception("readiness check failed")
            self._stop.wait(self.interval)

    def _answers(self, service: str) -> bool:
        try:
            return self.client.call(service, "echo", "ready?").get("service") == service
        except Exception:  # noqa: BLE001 (whatever the failure, the service is not ready)
            return False


class HealthServicer(health.HealthServicer):
    """grpc.health.v1 with one addition: a graceful stop can end the Watch streams.

    A Watch never ends by itself, so a server stopping with a grace period would keep
    every watcher (a load balancer, a client's health checker) open to the end of the
    grace period, and exit only then. Ending them, once NOT_SERVING has been sent, lets
    the process exit as soon as the real requests in flight are answered."""

    def end_watches(self) -> None:
        with self._lock:
            callbacks = [c for watching in self._send_response_callbacks.values() for c in watching]
        for send_response in callbacks:
            send_response(None)  # None ends the stream with OK
