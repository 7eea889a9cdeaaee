"""The classifier's application layer: JSON in, JSON out, no transport.

The nameko service and the gateway's in-process client both call this class, so the
bus and the embedded mode run the same code.
"""

from __future__ import annotations

import logging
from typing import Any

from services.classifier.assessment import Assessment, assess, validate_answers
from services.classifier.questionnaire import Questionnaire, load_questionnaire
from services.classifier.schema import (
    Classification,
    ClassifyRequest,
    Conflict,
    Evidence,
    RungScore,
)
from services.common.errors import InvalidArgument
from services.common.events import CLASSIFICATION_MADE, Publish
from services.common.validation import parse

log = logging.getLogger(__name__)


class ClassifierApp:
    def __init__(self, questionnaire: Questionnaire | None = None) -> None:
        self.questionnaire = questionnaire or load_questionnaire()

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
        classification = to_classification(assess(self.questionnaire, answers))
        publish(CLASSIFICATION_MADE, {
            "rung": classification.rung.value,
            "confidence": classification.confidence,
            "answered": len(answers),
        })
        log.info("classified", extra={"rung": classification.rung.value})
        return classification.model_dump(mode="json")


def to_classification(assessment: Assessment) -> Classification:
    return Classification(
        rung=assessment.rung,
        confidence=assessment.confidence,
        scores=[RungScore(rung=r, score=s) for r, s in assessment.scores.items()],
        evidence=[
            Evidence(
                signal=f"{item.question.id}/{item.fact.id}",
                statement=item.fact.statement,
                points_to=item.fact.best_rung,
                source="answer",
                question_id=item.question.id,
                answer=list(item.chosen),
            )
            for item in assessment.evidence
        ],
        summary=_summary(assessment),
        next_rung=assessment.next_rung,
        missing_for_next_rung=list(assessment.missing_for_next_rung),
        unanswered=list(assessment.unanswered),
        conflicts=[
            Conflict(question_ids=list(c.question_ids), description=c.description)
            for c in assessment.conflicts
        ],
    )


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
