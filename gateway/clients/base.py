"""The one interface through which the gateway reaches a service."""

from __future__ import annotations

from typing import Any, Protocol

SERVICE_NAMES = ("classifier", "recommender", "matcher")


class ServiceClient(Protocol):
    """Call `method` on `service` with a JSON payload; return its JSON answer.

    Raises the domain errors of services.common.errors: InvalidArgument and NotFound as the
    service raised them, ServiceUnavailable when the service or the bus does not answer in
    time. Anything else is a bug, and surfaces as an internal error.
    """

    def call(self, service: str, method: str, payload: Any) -> Any: ...

    def close(self) -> None: ...
