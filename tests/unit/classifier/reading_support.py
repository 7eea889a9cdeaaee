"""What the reading-rule tests share: one classifier, a description classified on its own,
and the evidence it found for a signal."""

from __future__ import annotations

from services.classifier.app import ClassifierApp

APP = ClassifierApp()


def classify(description: str) -> dict:
    return APP.classify({"description": description}, publish=lambda *_: None)


def found(result: dict, signal: str) -> list[dict]:
    return [e for e in result["evidence"] if e["signal"] == f"text/{signal}"]


def counted(result: dict, signal: str) -> list[dict]:
    """Found and not turned round."""
    return [e for e in found(result, signal) if not e["negated"]]


def scored(result: dict, signal: str) -> list[dict]:
    """Found, not turned round, and counted in the scores."""
    return [e for e in counted(result, signal) if e.get("counted", True)]
