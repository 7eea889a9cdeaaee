"""The classifier's application layer: JSON in, JSON out, no transport.

The nameko service and the gateway's in-process client both call this class, so the
bus and the embedded mode run the same code.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.classifier.answer import classification_json, questionnaire_json
from services.classifier.assessment import assess, validate_answers
from services.classifier.frameworks import Frameworks, load_frameworks
from services.classifier.language import LanguageDetector, default_detector
from services.classifier.projects import ProjectStore, utc_now
from services.classifier.questionnaire import Questionnaire, load_questionnaire
from services.classifier.reading import Reader
from services.classifier.schema import (
    GetFrameworksRequest,
    GetQuestionnaireRequest,
    OrganisationClassifyRequest,
    ProjectHistoryRequest,
    ProjectRequest,
)
from services.classifier.signals import SignalBook, load_signals
from services.classifier.text_model import TextModel, load_text_model
from services.common.database import create_engine
from services.common.errors import InvalidArgument, ServiceUnavailable
from services.common.events import CLASSIFICATION_MADE, PROJECT_RUNG_DROPPED, Publish
from services.common.rungs import Rung
from services.common.settings import Settings
from services.common.validation import parse

NOT_ENGLISH = "the description does not look like English; only English is supported"


class ClassifierApp:
    def __init__(
        self,
        questionnaire: Questionnaire | None = None,
        frameworks: Frameworks | None = None,
        signals: SignalBook | None = None,
        language: LanguageDetector | None = None,
        text_model: TextModel | None = None,
        store: ProjectStore | None = None,
        description_retention_days: int = 90,
    ) -> None:
        self.store = store
        self.description_retention_days = description_retention_days
        self.questionnaire = questionnaire or load_questionnaire()
        self.frameworks = frameworks or load_frameworks()
        self.reader = Reader(signals or load_signals(), self.questionnaire)
        self.language = language or default_detector()
        self.text_model = text_model or load_text_model()
        self.text_model.check_against(self.questionnaire)
        self._questionnaire_json = questionnaire_json(self.questionnaire)
        _check_user_led_facts(self.frameworks, self.questionnaire)

    @classmethod
    def from_settings(cls, settings: Settings) -> ClassifierApp:
        """As the service and the embedded mode run it: projects stored in the database."""
        store = ProjectStore(create_engine(settings.database_url))
        app = cls(store=store, description_retention_days=settings.description_retention_days)
        app.purge_expired_descriptions()
        return app

    def get_questionnaire(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """The questions, options and help text, for a portal to render (schema.Questionnaire)."""
        parse(GetQuestionnaireRequest, request or {})
        return self._questionnaire_json

    def get_frameworks(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """The frameworks, crosswalk and values a classification points to (schema.Frameworks)."""
        parse(GetFrameworksRequest, request or {})
        return self.frameworks.reference

    def classify(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(OrganisationClassifyRequest, request)
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
        assessment = assess(self.questionnaire, answers, reading, self.text_model)
        classification = classification_json(assessment, self.frameworks)
        if parsed.project_id is not None:
            self._store(parsed, classification, answers, publish)
        publish(CLASSIFICATION_MADE, {
            "rung": classification["rung"],
            "confidence": classification["confidence"],
            "answered": len(answers),
        })
        return classification

    def project(self, request: dict[str, Any]) -> dict[str, Any]:
        """The project's latest stored classification (schema.StoredClassification)."""
        parsed = parse(ProjectRequest, request)
        return self._projects().latest(parsed.organisation_id, parsed.project_id)

    def project_history(self, request: dict[str, Any]) -> dict[str, Any]:
        """Its stored classifications, newest first (schema.ProjectHistory)."""
        parsed = parse(ProjectHistoryRequest, request)
        entries = self._projects().history(parsed.organisation_id, parsed.project_id, parsed.limit)
        return {"project_id": parsed.project_id, "entries": entries}

    def delete_project(self, request: dict[str, Any]) -> dict[str, Any]:
        """Remove the project and its whole history (schema.DeletedProject)."""
        parsed = parse(ProjectRequest, request)
        removed = self._projects().delete(parsed.organisation_id, parsed.project_id)
        return {"project_id": parsed.project_id, "removed_assessments": removed}

    def purge_expired_descriptions(self) -> int:
        """Forget stored descriptions older than the retention period; returns how many."""
        if self.store is None:
            return 0
        return self.store.purge_descriptions(
            older_than=utc_now() - timedelta(days=self.description_retention_days)
        )

    def _store(self, parsed: OrganisationClassifyRequest, classification: dict[str, Any],
               answers: dict[str, list[str]], publish: Publish) -> None:
        if parsed.organisation_id is None:
            raise InvalidArgument.one(
                "project_id", "storing a project needs a credential that names its organisation"
            )
        # A retention of 0 days: descriptions are never kept, only what was concluded.
        kept = parsed.description if self.description_retention_days > 0 else None
        recorded = self._projects().record(
            parsed.organisation_id, parsed.project_id, classification, answers, kept
        )
        classification["project_id"] = parsed.project_id
        classification["assessment_id"] = recorded.assessment_id
        rung = Rung(classification["rung"])
        if recorded.dropped_from(rung):
            publish(PROJECT_RUNG_DROPPED, {
                "organisation_id": parsed.organisation_id,
                "project_id": parsed.project_id,
                "from_rung": recorded.previous_rung.value,
                "to_rung": rung.value,
                "assessment_id": recorded.assessment_id,
            })

    def _projects(self) -> ProjectStore:
        if self.store is None:
            raise ServiceUnavailable("projects cannot be stored: this classifier has no database")
        return self.store

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
