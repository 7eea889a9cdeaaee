"""Conversions shared by every service: rungs, evidence, optional fields."""

from __future__ import annotations

from typing import Any

from ladder.v1 import common_pb2

_RUNG_PREFIX = "RUNG_"


def rung_to_json(value: int) -> str | None:
    """RUNG_CO_DESIGN -> "co-design"; RUNG_UNSPECIFIED -> None (unset); an unknown number
    -> its digits, which validation then rejects by name."""
    if value == common_pb2.RUNG_UNSPECIFIED:
        return None
    try:
        name = common_pb2.Rung.Name(value)
    except ValueError:
        return str(value)
    return name.removeprefix(_RUNG_PREFIX).lower().replace("_", "-")


def rung_from_json(value: str | None) -> int:
    if value is None:
        return common_pb2.RUNG_UNSPECIFIED
    return common_pb2.Rung.Value(_RUNG_PREFIX + value.upper().replace("-", "_"))


def set_if_given(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def evidence(e: dict[str, Any]) -> common_pb2.Evidence:
    source = {
        "answer": common_pb2.EVIDENCE_SOURCE_ANSWER,
        "text": common_pb2.EVIDENCE_SOURCE_TEXT,
    }[e["source"]]
    span = e.get("span")
    return common_pb2.Evidence(
        signal=e["signal"],
        statement=e["statement"],
        points_to=rung_from_json(e["points_to"]),
        source=source,
        question_id=e.get("question_id") or "",
        answer=e.get("answer", []),
        span=common_pb2.TextSpan(**span) if span else None,
        negated=e.get("negated", False),
        hedged=e.get("hedged", False),
        counted=e.get("counted", True),
    )
