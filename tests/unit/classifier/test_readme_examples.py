"""The README's two classification examples are what the classifier answers today: the
rung, the confidence, every score shown and every evidence span quoted. Refitting the text
model or changing the reader moves these numbers; this test says when the README must follow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from services.classifier.app import ClassifierApp

README = Path(__file__).resolve().parents[3] / "README.md"
APP = ClassifierApp()


def _example(after_heading: str) -> tuple[dict, str]:
    """The request body of the first curl after the heading, and the JSON answer shown next."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(after_heading):]
    body = re.search(r"-d '(\{.*?\})'", section, re.S)
    answer = re.search(r"```json\n(.*?)```", section, re.S)
    assert body and answer, f"no example after {after_heading!r}"
    return json.loads(body.group(1)), answer.group(1)


def _shown(answer: str) -> dict:
    return {
        "rung": re.search(r'^  "rung": "([\w-]+)"', answer, re.M).group(1),
        "confidence": float(re.search(r'^  "confidence": ([\d.]+)', answer, re.M).group(1)),
        "scores": {r: float(s) for r, s in re.findall(r'\{"rung": "([\w-]+)", "score": ([\d.]+)\}', answer)},
        "spans": re.findall(r'"span": \{"start": (\d+), "end": (\d+), "quote": "([^"]+)"\}', answer),
    }


@pytest.mark.parametrize("heading", ["## A first request", "### Classify a description"])
def test_the_readme_example_is_what_the_classifier_answers(heading):
    request, answer = _example(heading)
    if "answers" in request:  # the HTTP body takes single answers as strings
        request["answers"] = {q: a if isinstance(a, list) else [a] for q, a in request["answers"].items()}
    got = APP.classify(request, publish=lambda *_: None)
    shown = _shown(answer)
    assert got["rung"] == shown["rung"]
    assert got["confidence"] == shown["confidence"]
    scores = {s["rung"]: s["score"] for s in got["scores"]}
    assert shown["scores"] and all(scores[r] == s for r, s in shown["scores"].items())
    spans = {(str(e["span"]["start"]), str(e["span"]["end"]), e["span"]["quote"])
             for e in got["evidence"] if e["span"]}
    assert set(shown["spans"]) <= spans
