"""The classification as JSON (schema.Classification): evidence, summary, frameworks.

Built directly as JSON, not through the pydantic models: it is on every request's path,
and tests check every answer against the schema. In the JSON fields, rungs and values
(StrEnums) are written as `str(rung)`: the plain string `.value` gives, in a quarter of
the time.
"""

from __future__ import annotations

from typing import Any

from services.classifier.assessment import AnswerEvidence, Assessment
from services.classifier.frameworks import Frameworks
from services.classifier.questionnaire import QuestionKind, Questionnaire, ScieValue
from services.classifier.reading import Finding

# How many facts the summary names: the weightiest first.
SUMMARY_FACTS = 4


def questionnaire_json(questionnaire: Questionnaire) -> dict[str, Any]:
    return {
        "version": str(questionnaire.version),
        "questions": [
            {
                "id": question.id,
                "text": question.text,
                "help": question.help.strip(),
                "multiple": question.kind is QuestionKind.MULTIPLE,
                "options": [
                    {"id": option.id, "label": option.label, "help": option.help}
                    for option in question.options
                ],
            }
            for question in questionnaire.questions
        ],
    }


def classification_json(assessment: Assessment, frameworks: Frameworks) -> dict[str, Any]:
    fact_ids = {f"{item.question.id}/{item.fact.id}" for item in assessment.evidence}
    user_led = not fact_ids.isdisjoint(frameworks.crosswalk.user_led.when_facts)
    values = values_json(assessment, frameworks)
    return {
        "rung": str(assessment.rung),
        "confidence": assessment.confidence,
        "scores": [{"rung": str(r), "score": s} for r, s in assessment.scores.items()],
        "evidence": _evidence(assessment),
        "summary": summary(assessment, [v["value"] for v in values if not v["evidenced"]]),
        "next_rung": str(assessment.next_rung) if assessment.next_rung else None,
        "missing_for_next_rung": list(assessment.missing_for_next_rung),
        "unanswered": list(assessment.unanswered),
        "conflicts": [
            {"question_ids": list(c.question_ids), "description": c.description,
             "span": _span(c.span) if c.span else None}
            for c in assessment.conflicts
        ],
        "frameworks": frameworks.placement(assessment.rung, user_led),
        "values": values,
        "project_id": None,  # set when stored as a project's assessment
        "assessment_id": None,
    }


def values_json(assessment: Assessment, frameworks: Frameworks) -> list[dict[str, Any]]:
    """For each SCIE value: the evidence for it, or, with none, the step that would show it.
    Text counts unless an answer to the same question overrides it, or it is negated or
    only hoped for."""
    # Keyed by the ScieValue members, which hash and compare as their wire names.
    shown: dict[ScieValue, list[str]] = {value.id: [] for value in frameworks.values}
    answered = set()
    for item in assessment.evidence:
        if item.source == "answer":
            answered.add(item.question.id)
            for value in item.fact.values:
                shown[value].append(f"{item.question.id}/{item.fact.id}")
    if assessment.reading is not None:
        for finding in assessment.reading.findings:
            if any(ref.question in answered for ref in finding.answers):
                continue
            for value in finding.values:
                signal = f"text/{finding.signal.id}"
                if signal not in shown[value]:
                    shown[value].append(signal)
    listed = []
    for value in frameworks.values:
        signals = shown[value.id]
        listed.append({"value": str(value.id), "evidenced": bool(signals), "signals": signals,
                       "step": None if signals else value.step.strip()})
    return listed


def _evidence(assessment: Assessment) -> list[dict[str, Any]]:
    items = [_answer_evidence(item) for item in assessment.evidence if item.source == "answer"]
    if assessment.reading is not None:
        counted = {id(f) for item in assessment.evidence if item.source == "text" for f in item.findings}
        scored_from_text = {item.question.id for item in assessment.evidence if item.source == "text"}
        for finding in assessment.reading.findings:
            items.append(_text_evidence(finding, counted, scored_from_text))
    return items


def _answer_evidence(item: AnswerEvidence) -> dict[str, Any]:
    return {
        "signal": f"{item.question.id}/{item.fact.id}",
        "statement": item.fact.statement,
        "points_to": str(item.fact.best_rung),
        "source": "answer",
        "question_id": item.question.id,
        "answer": list(item.chosen),
        "span": None,
        "negated": False,
        "hedged": False,
        "counted": True,
    }


def _text_evidence(finding: Finding, counted: set[int], scored_from_text: set[str]) -> dict[str, Any]:
    refs = finding.answers
    # A finding that rules an option out counts when its question was read from the text.
    is_counted = id(finding) in counted or any(
        ref.against and ref.question in scored_from_text for ref in refs
    )
    return {
        "signal": f"text/{finding.signal.id}",
        "statement": finding.statement,
        "points_to": str(finding.points_to),
        "source": "text",
        "question_id": refs[0].question if refs else None,
        "answer": [ref.option for ref in refs if not ref.against and ref.question == refs[0].question]
        if refs else [],
        "span": _span(finding),
        "negated": finding.negated,
        "hedged": finding.hedged,
        "counted": is_counted,
    }


def _span(finding: Finding) -> dict[str, Any]:
    return {"start": finding.start, "end": finding.end, "quote": finding.quote}


def summary(assessment: Assessment, missing_values: list[str] | None = None) -> str:
    rung = assessment.rung.value
    label = assessment.reading.self_label if assessment.reading else None
    if not assessment.evidence:
        if label is not None and label != assessment.rung:
            shown = (f"the description only calls it {label.value}, and a label is weak evidence, "
                     f"so it shows a rung below, {rung}, with no confidence")
            label = None  # said here
        else:
            shown = f"it shows the lowest rung, {rung}, with no confidence"
        text = (
            f"Nothing given says how people are involved, so Ladder cannot place this project; "
            f"{shown}. Describe when people were "
            "involved, who decides and what they do, or answer the questionnaire."
        )
    else:
        weightiest = sorted(assessment.evidence, key=lambda item: -item.question.weight * item.strength)
        facts = "; ".join(item.fact.clause for item in weightiest[:SUMMARY_FACTS])
        text = f"The facts place this project at {rung} (confidence {assessment.confidence:.2f}): {facts}."
    if label is not None and label != assessment.rung:
        quote = assessment.reading.labels[0].quote if assessment.reading else label.value
        if label > assessment.rung:
            text += (
                f' The description calls it {label.value} ("{quote}"), but the facts place it at '
                f"{rung}: a project's own label is not evidence."
            )
        else:
            text += f' The description calls it {label.value}, but the facts show {rung}.'
    if assessment.conflicts:
        text += " Some of what was given contradicts itself; see conflicts."
    if missing_values:
        text += f" No evidence of {_and(missing_values)} (SCIE's values)."
    if assessment.next_rung and assessment.missing_for_next_rung:
        text += f" To reach {assessment.next_rung.value}: {assessment.missing_for_next_rung[0]}"
    return text


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
