"""The classifier's application layer: JSON in, JSON out, no transport.

The nameko service and the gateway's in-process client both call this class, so the
bus and the embedded mode run the same code.
"""

from __future__ import annotations

from typing import Any

from services.classifier.answer import classification_json, questionnaire_json
from services.classifier.assessment import assess, validate_answers
from services.classifier.frameworks import Frameworks, load_frameworks
from services.classifier.language import LanguageDetector, default_detector
from services.classifier.questionnaire import Questionnaire, load_questionnaire
from services.classifier.reading import Reader
from services.classifier.schema import ClassifyRequest, GetQuestionnaireRequest
from services.classifier.signals import SignalBook, load_signals
from services.common.errors import InvalidArgument
from services.common.events import CLASSIFICATION_MADE, Publish
from services.common.validation import parse

NOT_ENGLISH = "the description does not look like English; only English is supported"


class ClassifierApp:
    def __init__(
        self,
        questionnaire: Questionnaire | None = None,
        frameworks: Frameworks | None = None,
        signals: SignalBook | None = None,
        language: LanguageDetector | None = None,
    ) -> None:
        self.questionnaire = questionnaire or load_questionnaire()
        self.frameworks = frameworks or load_frameworks()
        self.reader = Reader(signals or load_signals(), self.questionnaire)
        self.language = language or default_detector()
        self._questionnaire_json = questionnaire_json(self.questionnaire)
        _check_user_led_facts(self.frameworks, self.questionnaire)

    def get_questionnaire(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """The questions, options and help text, for a portal to render (schema.Questionnaire)."""
        parse(GetQuestionnaireRequest, request or {})
        return self._questionnaire_json

    def classify(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(ClassifyRequest, request)
        answers = parsed.answer_lists()
        description = parsed.description
        if description is None and not answers:
            raise InvalidArgument([
                {"field": "description", "description": "give a description, answers, or both"},
                {"field": "answers", "description": "give a description, answers, or both"},
            ])
        if description is not None:
            self._check_description(description)
        validate_answers(self.questionnaire, answers)
        reading = self.reader.read(description) if description is not None else None
        assessment = assess(self.questionnaire, answers, reading)
        classification = classification_json(assessment, self.frameworks)
        publish(CLASSIFICATION_MADE, {
            "rung": classification["rung"],
            "confidence": classification["confidence"],
            "answered": len(answers),
        })
        return classification

    def _check_description(self, description: str) -> None:
        if not description.strip():
            raise InvalidArgument.one("description", "is empty; describe the project, or leave it out")
        if not self.language.check(description).english:
            raise InvalidArgument.one("description", NOT_ENGLISH)


def _check_user_led_facts(frameworks: Frameworks, questionnaire: Questionnaire) -> None:
    """The crosswalk names questionnaire facts; a typo there must fail at start-up."""
    for name in frameworks.crosswalk.user_led.when_facts:
        if questionnaire.fact(name) is None:
            raise ValueError(f"frameworks.yaml: crosswalk.user_led names an unknown fact {name}")
