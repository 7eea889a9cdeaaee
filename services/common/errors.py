"""Domain errors: what went wrong, in terms any transport can map.

These know nothing of nameko, gRPC or HTTP. The gateway maps each to a gRPC status and
an HTTP status in one table (gateway/errors.py). Their constructor arguments are plain
JSON values, so they cross the bus intact: the nameko adapter registers them with
nameko's exception registry, and the in-process client round-trips them through
`to_wire`/`from_wire`.
"""

from __future__ import annotations

from typing import Any


class LadderError(Exception):
    """Base for errors a caller can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_wire(self) -> dict[str, Any]:
        return {"type": type(self).__name__, "args": list(self.args)}


class InvalidArgument(LadderError):
    """The request is wrong. Each violation names a field (dotted path) and the problem."""

    def __init__(self, violations: list[dict[str, str]]) -> None:
        # Stored as plain dicts so the error survives JSON serialisation on the bus.
        self.violations = [
            {"field": str(v["field"]), "description": str(v["description"])} for v in violations
        ]
        summary = "; ".join(f"{v['field']}: {v['description']}" for v in self.violations)
        super().__init__(f"invalid argument: {summary}")
        self.args = (self.violations,)

    @classmethod
    def one(cls, field: str, description: str) -> InvalidArgument:
        return cls([{"field": field, "description": description}])


class NotFound(LadderError):
    """The thing asked for does not exist (or is not the caller's to see)."""


class ServiceUnavailable(LadderError):
    """A service or the bus did not answer in time. Safe to retry later."""


ERROR_TYPES: tuple[type[LadderError], ...] = (InvalidArgument, NotFound, ServiceUnavailable)
_BY_NAME = {cls.__name__: cls for cls in ERROR_TYPES}


def from_wire(data: dict[str, Any]) -> LadderError:
    """Rebuild an error from `LadderError.to_wire()` output."""
    cls = _BY_NAME.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"not a Ladder error: {data!r}")
    return cls(*data.get("args", []))
