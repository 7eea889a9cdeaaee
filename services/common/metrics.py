"""Prometheus metrics of a service process: every call, by method, with its outcome and
duration. Served at /metrics by services/common/health.py.

Labels take values from fixed sets only (service and method names from the service
classes, outcomes from the domain error types), so the number of series stays bounded
whatever callers send. No nameko here: the gateway imports the shared pieces too.
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Gauge, Histogram

from services.common.errors import LadderError

# Seconds, from an echo over the bus (about 1 ms) to past the gateway's 5 s timeout.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

CALLS = Counter(
    "ladder_service_calls",
    "Calls a service handled (RPC and event handlers), by method and outcome: ok, a domain "
    "error (invalid_argument, not_found, service_unavailable) or error (unexpected).",
    ["service", "method", "outcome"],
)
CALL_SECONDS = Histogram(
    "ladder_service_call_duration_seconds",
    "Time a service spent handling a call, by method.",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
)
CALLS_IN_PROGRESS = Gauge(
    "ladder_service_calls_in_progress", "Calls being handled now.", ["service"]
)
READY = Gauge(
    "ladder_service_ready",
    "1 when the service is connected to the broker and consuming its RPC queue (as /readyz).",
    ["service"],
)

_WORD_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def outcome_of(error: BaseException | None) -> str:
    """ok, the snake_case name of a domain error (InvalidArgument -> invalid_argument),
    or error for anything unexpected."""
    if error is None:
        return "ok"
    if isinstance(error, LadderError):
        return _WORD_BOUNDARY.sub("_", type(error).__name__).lower()
    return "error"


def record_call(service: str, method: str, outcome: str, seconds: float) -> None:
    CALLS.labels(service, method, outcome).inc()
    CALL_SECONDS.labels(service, method).observe(seconds)
