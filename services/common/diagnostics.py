"""The echo every service answers: a round trip that does no domain work."""

from __future__ import annotations

from typing import Any

from services.common.logs import request_id_var


def echo_reply(service: str, message: str) -> dict[str, Any]:
    """The message back, the service that answered, and the request id it saw (proof the
    id travelled with the call)."""
    return {"message": message, "service": service, "request_id": request_id_var.get() or ""}
