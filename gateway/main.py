"""The gateway process: composition root. `python -m gateway`.

No eventlet here: grpcio hangs in an eventlet-patched process. Services are reached over
RabbitMQ (bus mode) or called in this process (embedded mode).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import grpc
import uvicorn
from kombu import Connection

from gateway.api import LadderApi
from gateway.auth import (
    Authenticator,
    Guard,
    JwtSettings,
    JwtVerifier,
    KeyRing,
    KeysFileError,
    load_public_keys,
)
from gateway.clients.base import ServiceClient
from gateway.grpc_api import build_server, set_health
from gateway.http_api import create_app
from gateway.rate_limit import RateLimiter
from gateway.readiness import HealthServicer, Readiness
from services.common.logs import configure_logging
from services.common.settings import Mode, Settings, SettingsError, load_settings

log = logging.getLogger("gateway")

# Seconds to finish calls in flight on SIGTERM. Kubernetes allows 30 s by default, less the
# preStop sleep and LADDER_SHUTDOWN_DELAY_SECONDS; calls to services time out in 5 s.
SHUTDOWN_GRACE_SECONDS = 10.0


def broker_reachable(amqp_uri: str, timeout: float = 2.0) -> bool:
    try:
        with Connection(amqp_uri, connect_timeout=timeout) as connection:
            connection.connect()
        return True
    except Exception:  # noqa: BLE001 (any failure to connect means: not reachable now)
        return False


def resolve_mode(settings: Settings) -> Mode:
    if settings.mode is not Mode.AUTO:
        return settings.mode
    return Mode.BUS if broker_reachable(settings.amqp_uri) else Mode.EMBEDDED


def build_clients(settings: Settings, mode: Mode) -> tuple[ServiceClient, ServiceClient]:
    """The client for requests, and the one readiness checks use."""
    if mode is Mode.BUS:
        from gateway.clients.bus import BusClient  # imports nameko: only in bus mode

        return (
            BusClient(settings.amqp_uri, settings.rpc_pool_size, settings.rpc_timeout_seconds),
            BusClient(settings.amqp_uri, 1, min(1.0, settings.rpc_timeout_seconds)),
        )
    from gateway.clients.inprocess import InProcessClient
    from services.classifier.app import ClassifierApp

    client = InProcessClient(classifier=ClassifierApp.from_settings(settings))
    return client, client


class _DrainingServer(uvicorn.Server):
    """Stops in order on SIGTERM or Ctrl-C:

    1. readiness turns false at once (gRPC health NOT_SERVING, /readyz 503);
    2. both servers keep serving for `delay` seconds, so load balancers that poll
       readiness stop sending work (0 by default: in Kubernetes the preStop sleep has
       already done this before SIGTERM arrives);
    3. both stop taking new work together (the HTTP listener closes, gRPC refuses new
       calls, health Watch streams end) and finish the requests in flight, within
       `grace` seconds.

    A second signal stops at once. uvicorn's own handler is not used: it re-raises the
    signal once HTTP is drained, which kills the process (exit -15) before main() has
    stopped gRPC, cutting off gRPC calls in flight."""

    def __init__(
        self, config: uvicorn.Config, readiness: Readiness, grpc_server: grpc.Server,
        health_servicer: HealthServicer, delay: float, grace: float,
    ) -> None:
        super().__init__(config)
        self.readiness = readiness
        self.grpc_server = grpc_server
        self.health_servicer = health_servicer
        self.delay = delay
        self.grace = grace
        self.grpc_stopped: threading.Event | None = None
        self._stopping = False

    def handle_exit(self, sig: int, frame: Any) -> None:
        if self._stopping:
            self.force_exit = True
            self.should_exit = True
            return
        self._stopping = True
        self.readiness.drain()
        log.info("stopping: not ready; finishing requests in flight",
                 extra={"signal": signal.Signals(sig).name, "delay_seconds": self.delay})
        threading.Thread(target=self._stop_taking_work, name="shutdown", daemon=True).start()

    def _stop_taking_work(self) -> None:
        time.sleep(self.delay)
        self.grpc_stopped = self.grpc_server.stop(grace=self.grace)
        self.health_servicer.end_watches()  # they would hold the stop to the end of the grace
        self.should_exit = True


def build_guard(settings: Settings) -> Guard:
    try:
        keys = KeyRing.load(Path(settings.api_keys_file))
        verifier = None
        if settings.jwt_issuer and settings.jwt_audience and settings.jwt_public_keys_file:
            verifier = JwtVerifier(JwtSettings(
                issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                public_keys=load_public_keys(Path(settings.jwt_public_keys_file)),
                organisation_claim=settings.jwt_organisation_claim,
                permissions_claim=settings.jwt_permissions_claim,
            ))
    except (KeysFileError, OSError, ValueError) as error:
        raise SettingsError(f"Ladder cannot start: {error}") from None
    if not len(keys) and verifier is None:
        log.warning("no API keys and no JWT issuer: every API request will be refused; "
                    "make a key with `python -m gateway.keys create`",
                    extra={"api_keys_file": settings.api_keys_file})
    return Guard(Authenticator(keys, verifier), RateLimiter(settings.rate_limit_per_minute))


def main() -> int:
    settings = load_settings()
    configure_logging("gateway", settings.log_level)
    mode = resolve_mode(settings)
    client, readiness_client = build_clients(settings, mode)
    api = LadderApi(client)

    health_servicer = HealthServicer()
    readiness = Readiness(readiness_client, on_change=lambda r: set_health(health_servicer, r))
    grpc_address = f"{settings.host}:{settings.grpc_port}"
    guard = build_guard(settings)
    grpc_server = build_server(
        api, health_servicer, grpc_address, settings.max_body_bytes, settings.rpc_pool_size, guard
    )
    grpc_server.start()
    readiness.start()

    http_app = create_app(api, readiness.check, settings.max_body_bytes, settings.cors_origins,
                          guard, settings.demo_key)
    server = _DrainingServer(
        uvicorn.Config(
            http_app, host=settings.host, port=settings.http_port, log_config=None,
            access_log=False, timeout_graceful_shutdown=int(SHUTDOWN_GRACE_SECONDS),
        ),
        readiness, grpc_server, health_servicer, settings.shutdown_delay_seconds,
        SHUTDOWN_GRACE_SECONDS,
    )
    log.info("gateway listening", extra={
        "mode": mode.value, "grpc": grpc_address,
        "http": f"http://{settings.host}:{settings.http_port}",
    })
    try:
        server.run()
    finally:
        readiness.drain()
        if server.force_exit:  # a second signal: stop now (a shorter grace overrides)
            grpc_server.stop(grace=None).wait()
        else:  # already stopping if a signal ended the run; if HTTP failed, stop it now
            (server.grpc_stopped or grpc_server.stop(grace=SHUTDOWN_GRACE_SECONDS)).wait()
        readiness.stop()
        client.close()
        if readiness_client is not client:
            readiness_client.close()
        log.info("gateway stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
