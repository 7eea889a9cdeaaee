"""Classifier requests and answers as JSON: the shape on the bus and in the HTTP API.

The gateway validates HTTP bodies and converted gRPC messages against these same models,
so there is one definition of what a valid request is.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from services.common.rungs import Rung

MAX_DESCRIPTION_CHARS = 20_000
MAX_QUESTIONS = 50
MAX_OPTIONS_PER_ANSWER = 20

# Organisation and project ids: chosen by the client systems, so plain and bounded.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
OptionId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
QuestionId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


# A single-choice answer may be sent as a bare option id; it is held as a list of one, so
# every answer has one shape (and bad input one error message, not one per shape).
Answer = Annotated[
    list[OptionId],
    BeforeValidator(_one_or_many, json_schema_input_type=OptionId | list[OptionId]),
    Field(max_length=MAX_OPTIONS_PER_ANSWER),
]


class ClassifyRequest(BaseModel):
    """A project to classify: a description, answers to the questionnaire, or both."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(
        default=None,
        max_length=MAX_DESCRIPTION_CHARS,
        description=(
            "Free-text description of the project, in English, up to 20,000 characters. "
            "Give a description, answers, or both; with both, answers take precedence."
        ),
    )
    answers: dict[QuestionId, Answer] = Field(
        default_factory=dict,
        max_length=MAX_QUESTIONS,
        description=(
            "Answers keyed by question id. A single-choice answer is an option id; a "
            'multiple-choice answer is a list of option ids (e.g. "stages": ["design"]).'
        ),
        examples=[{
            "first_involved": "after-decisions",
            "who_decides": "provider-after-listening",
            "stages": [],
            "payment": "expenses-only",
        }],
    )

    project_id: EntityId | None = Field(
        default=None,
        description=(
            "Store this classification as the project's latest, keeping its history. The "
            "project belongs to the organisation of the caller's credential; letters, digits "
            "and . _ : - (up to 128)."
        ),
    )

    def answer_lists(self) -> dict[str, list[str]]:
        """Every answer as a list of option ids."""
        return {question: list(chosen) for question, chosen in self.answers.items()}


class OrganisationClassifyRequest(ClassifyRequest):
    """What the gateway sends the classifier: the request, and the organisation of the
    caller's credential (never taken from the request body)."""

    organisation_id: EntityId | None = None


class ProjectRequest(BaseModel):
    """One project of one organisation (the organisation from the caller's credential)."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: EntityId
    project_id: EntityId


class ProjectHistoryRequest(ProjectRequest):
    limit: int = Field(default=50, ge=1, le=500, description="At most this many, newest first.")


class GetQuestionnaireRequest(BaseModel):
    """Nothing to ask for yet; a model so unexpected fields are refused by name."""

    model_config = ConfigDict(extra="forbid")


class GetFrameworksRequest(GetQuestionnaireRequest):
    """Likewise nothing to ask for."""


class QuestionOption(BaseModel):
    id: str = Field(description='The option id to send back in `answers`, e.g. "after-decisions".')
    label: str = Field(description="What to show the person answering.")
    help: str | None = Field(default=None, description="More explanation, if any.")


class Question(BaseModel):
    id: str = Field(description='The key to use in `answers`, e.g. "first_involved".')
    text: str = Field(description="The question, in plain English.")
    help: str = Field(description="Help text to show beside the question.")
    multiple: bool = Field(description="True when several options may be chosen (send a list).")
    options: list[QuestionOption]


class Questionnaire(BaseModel):
    version: str = Field(description="Changes when questions or options change.")
    questions: list[Question] = Field(description="In the order to ask them.")


class Span(BaseModel):
    start: int = Field(description="Offset of the first character (0-based, code points).")
    end: int = Field(description="Offset one past the last character.")
    quote: str = Field(description="The words themselves.")


class Evidence(BaseModel):
    signal: str = Field(description='Stable id of the signal, e.g. "payment/paid".')
    statement: str = Field(description="The fact in plain English.")
    points_to: Rung = Field(description="The rung this fact fits best on its own.")
    source: Literal["answer", "text"]
    question_id: str | None = None
    answer: list[str] = Field(default_factory=list)
    span: Span | None = None
    negated: bool = Field(default=False, description="Text only: the words say the opposite "
                          '("were not involved in delivery").')
    hedged: bool = Field(default=False, description="Text only: stated as a hope or plan, not a "
                         "fact; counted at a third of its strength.")
    counted: bool = Field(default=True, description="False when this evidence did not move the rung: "
                          "a project's own label, a fact an answer overrides, or one outweighed.")


class RungScore(BaseModel):
    rung: Rung
    score: float = Field(ge=0, le=1)


class Conflict(BaseModel):
    question_ids: list[str]
    description: str
    span: Span | None = Field(default=None, description="Where the description says otherwise, if it does.")


class FrameworkRung(BaseModel):
    id: str = Field(description='The rung\'s id on its framework, e.g. "placation" or "involve".')
    name: str
    group: str = Field(description='Its group, e.g. "tokenism" or "doing for".')


class DefinedRung(FrameworkRung):
    definition: str = Field(description="What the rung means, in plain English.")


class FrameworkDefinition(BaseModel):
    id: Literal["co-production-ladder", "arnstein", "iap2"]
    name: str
    rungs: list[DefinedRung] = Field(description="Bottom to top.")
    source_ids: list[str] = Field(description="See `sources`.")


class CrosswalkEntry(BaseModel):
    rung: Rung = Field(description="A rung of the ladder of co-production.")
    arnstein: list[str] = Field(description="Arnstein rung ids; two when it spans two.")
    iap2: list[str] = Field(description="IAP2 level ids; two when it spans two.")
    why: str


class ValueDefinition(BaseModel):
    value: Literal["equality", "diversity", "accessibility", "reciprocity"]
    name: str
    meaning: str = Field(description="What the value means, in plain English (SCIE).")
    step: str = Field(description="A step that would show it.")
    source_ids: list[str] = Field(description="See `sources`.")


class SourceReference(BaseModel):
    id: str
    publisher: str
    title: str
    url: str


class Frameworks(BaseModel):
    version: int = Field(description="Changes when a definition, the crosswalk or a value changes.")
    frameworks: list[FrameworkDefinition] = Field(
        description="The ladder of co-production, Arnstein's ladder and the IAP2 spectrum."
    )
    crosswalk: list[CrosswalkEntry] = Field(
        description="Where each rung of the ladder sits on the other two: Ladder's documented judgement."
    )
    crosswalk_note: str
    values: list[ValueDefinition] = Field(description="SCIE's four values of co-production.")
    sources: list[SourceReference]


class FrameworkPlacement(BaseModel):
    framework: Literal["co-production-ladder", "arnstein", "iap2"]
    framework_name: str
    rungs: list[FrameworkRung] = Field(
        description="Where the project sits; two when the crosswalk spans two positions. "
        "Definitions: GET /v1/frameworks."
    )
    crosswalk_judgement: bool = Field(
        description="True when the position comes from Ladder's crosswalk, a documented "
        "judgement rather than a published mapping."
    )
    note: str = Field(description="Why the crosswalk places it there (empty for the ladder itself).")


class ValueEvidence(BaseModel):
    value: Literal["equality", "diversity", "accessibility", "reciprocity"]
    evidenced: bool = Field(description="True when something given shows this value.")
    signals: list[str] = Field(description="The evidence signals that show it (see `evidence`).")
    step: str | None = Field(description="With no evidence: a step that would show the value.")


class Classification(BaseModel):
    rung: Rung = Field(description="The rung the facts support.")
    confidence: float = Field(ge=0, le=1)
    scores: list[RungScore] = Field(description=(
        "Every rung's score, bottom to top: with answers, how well the answered facts fit it; "
        "for a description alone, how likely it is given the facts read (summing to 1)."))
    evidence: list[Evidence]
    summary: str
    next_rung: Rung | None = Field(description="The rung above; null at the top.")
    missing_for_next_rung: list[str]
    unanswered: list[str] = Field(
        description="Question ids nothing speaks to: neither answered nor read from the description."
    )
    conflicts: list[Conflict] = Field(description="Answers that contradict each other.")
    frameworks: list[FrameworkPlacement] = Field(
        description="The rung on each framework: the ladder of co-production, Arnstein's "
        "ladder and the IAP2 spectrum."
    )
    values: list[ValueEvidence] = Field(
        description="SCIE's four values (equality, diversity, accessibility, reciprocity): which "
        "have evidence, and which have none."
    )
    project_id: str | None = Field(default=None, description="Set when the classification was stored.")
    assessment_id: int | None = Field(default=None, description="Its id in the project's history.")


class StoredClassification(BaseModel):
    project_id: str
    assessment_id: int
    assessed_at: str = Field(description="When it was made, UTC, ISO 8601.")
    classification: Classification


class ProjectHistory(BaseModel):
    project_id: str
    entries: list[StoredClassification] = Field(description="Newest first.")


class DeletedProject(BaseModel):
    project_id: str
    removed_assessments: int
