"""Health and metrics of a nameko service process over HTTP: /healthz, /readyz, /metrics,
and any status pages the service adds (the matcher's /directory).

Served by a small eventlet WSGI server that a DependencyProvider (HealthServer) starts
with the container, rather than by nameko's own @http entrypoint, because:

- an @http request runs as a nameko worker, from the same pool (max_workers) as the RPC
  calls: a service busy with slow calls would then fail its liveness probe and be
  restarted exactly when it is loaded, and every probe would be counted as a call;
- @http is an entrypoint, and a container stops its entrypoints first: the port would
  close as a graceful shutdown begins, so /readyz could never say 503 while the work in
  flight finishes. A DependencyProvider is stopped after the workers have finished.

The server runs in the same eventlet hub as the workers, so an answer from /healthz shows
that the process and its event loop respond. Readiness is read from nameko's consumer
(nameko 2.14.1 is pinned; the private attributes used are named in `Readiness`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import eventlet
import eventlet.wsgi
from nameko.extensions import DependencyProvider
from nameko.messaging import QueueConsumer
from nameko.rpc import RpcConsumer
from prometheus_client import REGISTRY, CollectorRegistry, make_wsgi_app

from services.common import metrics

# Keys of the nameko config (set by services/runner.py from LADDER_HOST and
# LADDER_SERVICE_HTTP_PORT). Without a port, or with 0, no server is started, so tests
# that build containers themselves never bind a port.
HOST_CONFIG_KEY = "LADDER_HEALTH_HOST"
PORT_CONFIG_KEY = "LADDER_HEALTH_PORT"

MAX_CONNECTIONS = 16  # probes and scrapes only; more wait in the listen backlog
SOCKET_TIMEOUT_SECONDS = 5  # a client that stalls mid-request is dropped

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Readiness:
    """Ready when the container's AMQP consumer is connected and consuming its RPC queue,
    and no shutdown has begun. `check()` says why not, for the /readyz body and the logs."""

    def __init__(self, container: Any) -> None:
        self.container = container

    def _extension(self, cls: type) -> Any:
        return next((e for e in self.container.subextensions if isinstance(e, cls)), None)

    def check(self) -> tuple[bool, str]:
        rpc = self._extension(RpcConsumer)
        consumer = self._extension(QueueConsumer)
        if rpc is None or consumer is None:
            return False, "the service has no RPC consumer"
        if not self.container.started:
            return False, "the container is not running"
        # Filled by RpcConsumer.unregister_provider, the first step of container.stop().
        if rpc._unregistering_providers or consumer.should_stop:
            return False, "shutting down: finishing calls in flight, taking no new ones"
        if not consumer._consumers_ready.ready():
            return False, "connecting to the broker"
        # kombu consumers, rebuilt by nameko after each reconnection.
        rpc_queue_consumer = consumer._consumers.get(rpc)
        if rpc_queue_consumer is None:
            return False, "not consuming the RPC queue"
        channel = rpc_queue_consumer.channel
        connection = getattr(channel, "connection", None)
        if not (getattr(channel, "is_open", False) and connection and connection.connected):
            return False, "the broker connection is down; reconnecting"
        return True, "connected and consuming"


StatusPage = Callable[[], dict[str, Any]]


def health_app(
    service: str, readiness: Callable[[], tuple[bool, str]], registry: CollectorRegistry = REGISTRY,
    pages: dict[str, StatusPage] | None = None,
) -> WsgiApp:
    """The WSGI application: GET /healthz, /readyz, /metrics and `pages`, nothing else."""
    metrics_app = make_wsgi_app(registry)
    pages = pages or {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _json(start_response, 405, {"error": "only GET"})
        if path == "/healthz":
            return _json(start_response, 200, {"status": "alive", "service": service})
        if path == "/readyz":
            ready, reason = readiness()
            return _json(start_response, 200 if ready else 503, {
                "status": "ready" if ready else "not ready", "service": service, "reason": reason,
            })
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path in pages:
            return _json(start_response, 200, {"service": service, **pages[path]()})
        known = ", ".join(["/healthz", "/readyz", "/metrics", *pages])
        return _json(start_response, 404, {"error": f"not found; try {known}"})

    return app


def _json(start_response: Callable[..., Any], status: int, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}
    start_response(f"{status} {reason[status]}", [
        ("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
    ])
    return [payload]


class HealthServer(DependencyProvider):
    """Serves health_app on (LADDER_HEALTH_HOST, LADDER_HEALTH_PORT) for the container's
    lifetime. The port is bound in setup(), so a port in use stops the service at start.
    `pages`: more paths, each answered with what its function makes of the container."""

    def __init__(self, pages: dict[str, Callable[[Any], dict[str, Any]]] | None = None) -> None:
        self.pages = pages or {}
        self._socket: Any = None
        self._thread: Any = None

    def setup(self) -> None:
        config = self.container.config
        port = int(config.get(PORT_CONFIG_KEY) or 0)
        if not port:
            return
        host = config.get(HOST_CONFIG_KEY) or "127.0.0.1"
        try:
            self._socket = eventlet.listen((host, port))
        except OSError as error:
            raise OSError(
                f"cannot serve health and metrics on {host}:{port}: {error.strerror}; "
                "set LADDER_SERVICE_HTTP_PORT to a free port, or 0 for none"
            ) from error
        readiness = Readiness(self.container)
        service = self.container.service_name
        metrics.READY.labels(service).set_function(lambda: float(readiness.check()[0]))
        container = self.container
        pages = {path: (lambda page=page: page(container)) for path, page in self.pages.items()}
        self._app = health_app(service, readiness.check, pages=pages)
        self.address = "{}:{}".format(*self._socket.getsockname()[:2])

    def start(self) -> None:
        if self._socket is not None:
            self._thread = self.container.spawn_managed_thread(self._serve, identifier="health")
            log.info("health and metrics served", extra={"address": self.address})

    def _serve(self) -> None:
        eventlet.wsgi.server(
            self._socket, self._app, log=log, log_output=False, debug=False, keepalive=False,
            custom_pool=eventlet.GreenPool(MAX_CONNECTIONS), socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )

    def stop(self) -> None:
        # Called after the workers have finished: /readyz said 503 throughout the drain.
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    kill = stop
