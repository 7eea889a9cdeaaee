"""Errors mapped once, at the boundary: one table from domain errors to gRPC and HTTP."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from gateway.auth import PermissionDenied, Unauthenticated
from gateway.rate_limit import RateLimited
from services.common.errors import (
    InvalidArgument,
    LadderError,
    NotFound,
    ServiceUnavailable,
)


@dataclass(frozen=True)
class Mapping:
    grpc_code: grpc.StatusCode
    http_status: int
    code: str  # the machine-readable code in HTTP error bodies


ERROR_TABLE: dict[type[LadderError], Mapping] = {
    InvalidArgument: Mapping(grpc.StatusCode.INVALID_ARGUMENT, 422, "invalid_argument"),
    NotFound: Mapping(grpc.StatusCode.NOT_FOUND, 404, "not_found"),
    ServiceUnavailable: Mapping(grpc.StatusCode.UNAVAILABLE, 503, "unavailable"),
    Unauthenticated: Mapping(grpc.StatusCode.UNAUTHENTICATED, 401, "unauthenticated"),
    PermissionDenied: Mapping(grpc.StatusCode.PERMISSION_DENIED, 403, "permission_denied"),
    RateLimited: Mapping(grpc.StatusCode.RESOURCE_EXHAUSTED, 429, "rate_limited"),
}
INTERNAL = Mapping(grpc.StatusCode.INTERNAL, 500, "internal")
INTERNAL_MESSAGE = "internal error; quote the request id when reporting it"


def mapping_for(error: BaseException) -> Mapping:
    for error_type, mapping in ERROR_TABLE.items():
        if isinstance(error, error_type):
            return mapping
    return INTERNAL


def http_body(error: BaseException, request_id: str) -> dict:
    """The JSON body of every HTTP error: a code, a message, the request id and, for bad
    input, each bad field."""
    mapping = mapping_for(error)
    message = error.message if isinstance(error, LadderError) else INTERNAL_MESSAGE
    body: dict = {"error": {"code": mapping.code, "message": message, "request_id": request_id}}
    if isinstance(error, InvalidArgument):
        body["error"]["field_violations"] = error.violations
    if isinstance(error, RateLimited):
        body["error"]["retry_after_seconds"] = error.retry_after_seconds
    return body


def http_headers(error: BaseException) -> dict[str, str]:
    """Headers an HTTP error answer carries besides its body."""
    if isinstance(error, Unauthenticated):
        return {"www-authenticate": 'Bearer realm="ladder"'}
    if isinstance(error, RateLimited):
        return {"retry-after": str(error.retry_after_seconds)}
    return {}
