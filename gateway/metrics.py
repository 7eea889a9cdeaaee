"""Prometheus metrics of the gateway: requests by protocol, method and status, their
latency, errors by code, and calls to each service over the bus (gateway/clients/bus.py).

Served at GET /metrics on the HTTP port, beside /healthz and /readyz. Labels take values
from fixed sets only: an HTTP request is labelled with the route that matched ("POST
/v1/classifications"), never the raw path; a gRPC call with a registered method name
(grpcio answers unknown ones UNIMPLEMENTED before this code sees them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import grpc
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import ERROR_TABLE, INTERNAL
from services.common.metrics import LATENCY_BUCKETS

REQUESTS = Counter(
    "ladder_gateway_requests",
    "Requests answered, by protocol (http, grpc), method (route or gRPC method) and status "
    "code (HTTP status, or gRPC code name).",
    ["protocol", "method", "code"],
)
REQUEST_SECONDS = Histogram(
    "ladder_gateway_request_duration_seconds",
    "Time from a request's arrival to its answer, by protocol and method.",
    ["protocol", "method"],
    buckets=LATENCY_BUCKETS,
)
ERRORS = Counter(
    "ladder_gateway_errors",
    "Requests answered with an error, by protocol and error code, the same on both "
    "protocols: invalid_argument, not_found, unavailable, internal, ...",
    ["protocol", "code"],
)
IN_FLIGHT = Gauge("ladder_gateway_requests_in_flight", "Requests being handled now.", ["protocol"])
RPC_CALLS = Counter(
    "ladder_gateway_rpc_calls",
    "Calls to a service over RabbitMQ, by service, method and outcome: ok, invalid_argument, "
    "not_found (the service refused), timeout, not_running, bus_unavailable, at_capacity, "
    "error.",
    ["service", "method", "outcome"],
)
RPC_SECONDS = Histogram(
    "ladder_gateway_rpc_duration_seconds",
    "Time for one call to a service over RabbitMQ, by service and method.",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
)
SERVICE_READY = Gauge(
    "ladder_gateway_service_ready",
    "1 when the service answered the gateway's last readiness check (0 while shutting down).",
    ["service"],
)

_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# HTTP status -> error code, as gateway/errors.py maps them; 413 is the body limit.
_HTTP_ERROR_CODES = {m.http_status: m.code for m in (*ERROR_TABLE.values(), INTERNAL)} | {
    413: "payload_too_large"
}


def record_rpc(service: str, method: str, outcome: str, seconds: float) -> None:
    RPC_CALLS.labels(service, method, outcome).inc()
    RPC_SECONDS.labels(service, method).observe(seconds)


def http_error_code(status: int) -> str:
    return _HTTP_ERROR_CODES.get(status, f"http_{status}")


def _record(protocol: str, method: str, code: str, error: str | None, seconds: float) -> None:
    REQUESTS.labels(protocol, method, code).inc()
    REQUEST_SECONDS.labels(protocol, method).observe(seconds)
    if error is not None:
        ERRORS.labels(protocol, error).inc()


def metrics_routes() -> APIRouter:
    router = APIRouter()

    @router.get("/metrics", summary="Prometheus metrics of this gateway process",
                response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
    def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


class HttpMetrics:
    """ASGI middleware: counts and times every HTTP request. Installed outermost, so it also
    sees the answers other middleware gives (413 for a large body, 500 for a crash)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # if nothing is sent, the client sees the connection fail
        started = time.perf_counter()

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        IN_FLIGHT.labels("http").inc()
        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            IN_FLIGHT.labels("http").dec()
            _record("http", _route(scope), str(status),
                    http_error_code(status) if status >= 400 else None,
                    time.perf_counter() - started)


def _route(scope: Scope) -> str:
    """"POST /v1/classifications": the route template FastAPI matched (it leaves the route
    in the scope), so ids in paths never become label values; "unmatched" otherwise."""
    path = getattr(scope.get("route"), "path", None)
    if path is None:
        return "unmatched"
    verb = scope.get("method", "")
    return f"{verb if verb in _HTTP_METHODS else 'OTHER'} {path}"


class GrpcMetrics(grpc.ServerInterceptor):
    """Counts and times every unary gRPC call (ours and the health checks); streaming
    methods (health Watch, reflection) pass through uncounted."""

    def intercept_service(
        self, continuation: Callable[[grpc.HandlerCallDetails], Any], details: grpc.HandlerCallDetails
    ) -> Any:
        handler = continuation(details)
        if handler is None or handler.unary_unary is None:
            return handler
        method = details.method.lstrip("/")  # "ladder.v1.Classifier/Classify"
        behaviour = handler.unary_unary

        def measured(request: Any, context: grpc.ServicerContext) -> Any:
            started = time.perf_counter()
            IN_FLIGHT.labels("grpc").inc()
            code = None
            try:
                response = behaviour(request, context)
                code = context.code() or grpc.StatusCode.OK
                return response
            except BaseException:  # abort() raises after setting the code; anything else is UNKNOWN
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            finally:
                IN_FLIGHT.labels("grpc").dec()
                name = code.name if code is not None else "UNKNOWN"
                _record("grpc", method, name, None if name == "OK" else name.lower(),
                        time.perf_counter() - started)

        return grpc.unary_unary_rpc_method_handler(
            measured,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
