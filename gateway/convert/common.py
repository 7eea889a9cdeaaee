"""Conversions shared by every service: rungs, evidence, optional fields."""

from __future__ import annotations

from typing import Any

from ladder.v1 import common_pb2

_RUNG_PREFIX = "RUNG_"


def _json_name(proto_name: str) -> str:
    return proto_name.removeprefix(_RUNG_PREFIX).lower().replace("_", "-")  # RUNG_CO_DESIGN -> co-design


# Looked up on every rung of every reply (13 in a classification), so built once.
_RUNG_BY_JSON = {_json_name(name): number for name, number in common_pb2.Rung.items()
                 if number != common_pb2.RUNG_UNSPECIFIED}
_JSON_BY_RUNG = {number: name for name, number in _RUNG_BY_JSON.items()}


def rung_to_json(value: int) -> str | None:
    """RUNG_CO_DESIGN -> "co-design"; RUNG_UNSPECIFIED -> None (unset); an unknown number
    -> its digits, which validation then rejects by name."""
    if value == common_pb2.RUNG_UNSPECIFIED:
        return None
    return _JSON_BY_RUNG.get(value, str(value))


def rung_from_json(value: str | None) -> int:
    if value is None:
        return common_pb2.RUNG_UNSPECIFIED
    try:
        return _RUNG_BY_JSON[value]
    except KeyError:
        raise ValueError(f"unknown rung {value!r}") from None


def set_if_given(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


_EVIDENCE_SOURCES = {"answer": common_pb2.EVIDENCE_SOURCE_ANSWER, "text": common_pb2.EVIDENCE_SOURCE_TEXT}


def evidence(e: dict[str, Any]) -> dict[str, Any]:
    """The fields of a common_pb2.Evidence. Sub-messages are built as dicts of their
    fields, which protobuf turns into messages in C when the enclosing message is made:
    for a classification's dozens of sub-messages, about half the time of a Python
    constructor call each."""
    fields = {
        "signal": e["signal"],
        "statement": e["statement"],
        "points_to": rung_from_json(e["points_to"]),
        "source": _EVIDENCE_SOURCES[e["source"]],
        "question_id": e.get("question_id") or "",
        "answer": e.get("answer", []),
        "negated": e.get("negated", False),
        "hedged": e.get("hedged", False),
        "counted": e.get("counted", True),
    }
    if span := e.get("span"):
        fields["span"] = span
    return fields
