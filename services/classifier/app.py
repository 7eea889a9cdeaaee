"""The classifier's application layer: JSON in, JSON out, no transport.

The nameko service and the gateway's in-process client both call this class, so the
bus and the embedded mode run the same code.
"""

from __future__ import annotations

from typing import Any

from services.classifier.assessment import Assessment, assess, validate_answers
from services.classifier.frameworks import Frameworks, load_frameworks
from services.classifier.questionnaire import QuestionKind, Questionnaire, load_questionnaire
from services.classifier.schema import ClassifyRequest, GetQuestionnaireRequest
from services.common.errors import InvalidArgument
from services.common.events import CLASSIFICATION_MADE, Publish
from services.common.validation import parse


class ClassifierApp:
    def __init__(
        self, questionnaire: Questionnaire | None = None, frameworks: Frameworks | None = None
    ) -> None:
        self.questionnaire = questionnaire or load_questionnaire()
        self.frameworks = frameworks or load_frameworks()
        self._questionnaire_json = questionnaire_json(self.questionnaire)

    def get_questionnaire(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """The questions, options and help text, for a portal to render (schema.Questionnaire)."""
        parse(GetQuestionnaireRequest, request or {})
        return self._questionnaire_json

    def classify(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(ClassifyRequest, request)
        answers = parsed.answer_lists()
        if not answers:
            raise InvalidArgument.one(
                "answers",
                "give at least one answer to the questionnaire; classification from the "
                "description alone is not available in this version",
            )
        validate_answers(self.questionnaire, answers)
        classification = classification_json(assess(self.questionnaire, answers), self.frameworks)
        publish(CLASSIFICATION_MADE, {
            "rung": classification["rung"],
            "confidence": classification["confidence"],
            "answered": len(answers),
        })
        return classification


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
    """The answer in the shape of schema.Classification, built directly as JSON: it is on
    every request's path, and tests check every answer against the schema."""
    fact_ids = {f"{item.question.id}/{item.fact.id}" for item in assessment.evidence}
    user_led = not fact_ids.isdisjoint(frameworks.crosswalk.user_led.when_facts)
    return {
        "rung": assessment.rung.value,
        "confidence": assessment.confidence,
        "scores": [{"rung": r.value, "score": s} for r, s in assessment.scores.items()],
        "evidence": [
            {
                "signal": f"{item.question.id}/{item.fact.id}",
                "statement": item.fact.statement,
                "points_to": item.fact.best_rung.value,
                "source": "answer",
                "question_id": item.question.id,
                "answer": list(item.chosen),
                "span": None,
            }
            for item in assessment.evidence
        ],
        "summary": _summary(assessment),
        "next_rung": assessment.next_rung.value if assessment.next_rung else None,
        "missing_for_next_rung": list(assessment.missing_for_next_rung),
        "unanswered": list(assessment.unanswered),
        "conflicts": [
            {"question_ids": list(c.question_ids), "description": c.description}
            for c in assessment.conflicts
        ],
        "frameworks": frameworks.placement(assessment.rung, user_led),
    }


def _summary(assessment: Assessment) -> str:
    facts = "; ".join(item.fact.statement.rstrip(".").lower() for item in assessment.evidence)
    text = (
        f"The facts place this project at {assessment.rung.value} "
        f"(confidence {assessment.confidence:.2f}): {facts}."
    )
    if assessment.conflicts:
        text += " Some answers contradict each other; see conflicts."
    if assessment.next_rung and assessment.missing_for_next_rung:
        text += f" To reach {assessment.next_rung.value}: {assessment.missing_for_next_rung[0]}"
    return text
