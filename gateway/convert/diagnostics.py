"""Conversions for the diagnostics."""

from __future__ import annotations

from typing import Any

from ladder.v1 import diagnostics_pb2


def echo_request(message: diagnostics_pb2.EchoRequest) -> dict[str, Any]:
    return {"service": message.service, "message": message.message}


def echo_response(response: dict[str, Any]) -> diagnostics_pb2.EchoResponse:
    return diagnostics_pb2.EchoResponse(**response)
