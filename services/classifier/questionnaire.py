"""The self-assessment questionnaire and its rules, loaded from data and validated.

The data file (data/questionnaire.yaml) is reviewed like code; this module only checks
that it is well formed, so a mistake in review fails at start-up, not in a request.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path

from pydantic import Field, model_validator

from services.classifier.datafile import Frozen as _Frozen
from services.classifier.datafile import Source, load_model
from services.common.rungs import RUNGS_BOTTOM_UP, Rung

DEFAULT_PATH = Path(__file__).with_name("data") / "questionnaire.yaml"


class ScieValue(StrEnum):
    """SCIE's four values of co-production; their meanings are in data/frameworks.yaml."""

    EQUALITY = "equality"
    DIVERSITY = "diversity"
    ACCESSIBILITY = "accessibility"
    RECIPROCITY = "reciprocity"


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"


class Option(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    help: str | None = None


class Condition(_Frozen):
    """Holds when every `all_of` option is chosen, at least one `any_of` option is
    chosen (if any are listed), and no `none_of` option is chosen."""

    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()

    def holds(self, chosen: frozenset[str]) -> bool:
        return (
            all(option in chosen for option in self.all_of)
            and (not self.any_of or any(option in chosen for option in self.any_of))
            and not any(option in chosen for option in self.none_of)
        )

    def options(self) -> set[str]:
        return {*self.all_of, *self.any_of, *self.none_of}


class Fact(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    when: Condition
    statement: str
    fits: tuple[Rung, ...] = Field(min_length=1)
    partly: tuple[Rung, ...] = ()
    action: str | None = None
    values: tuple[ScieValue, ...] = ()

    # Computed once and kept (cached_property writes to the instance dict): these are read
    # on every request.
    @cached_property
    def affinities(self) -> tuple[float, ...]:
        """Affinity to each rung, bottom to top: 1 fits, 0.5 partly, 0 otherwise."""
        return tuple(
            1.0 if rung in self.fits else 0.5 if rung in self.partly else 0.0
            for rung in RUNGS_BOTTOM_UP
        )

    def affinity(self, rung: Rung) -> float:
        return self.affinities[rung.position]

    @cached_property
    def clause(self) -> str:
        """The statement as a clause to run on in a sentence: no capital, no full stop."""
        statement = self.statement.rstrip(".")
        return statement[0].lower() + statement[1:]

    @cached_property
    def best_rung(self) -> Rung:
        """The highest rung this fact is fully consistent with."""
        return max(self.fits)

    @cached_property
    def compatible(self) -> frozenset[Rung]:
        return frozenset(self.fits) | frozenset(self.partly)


class Question(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    help: str
    kind: QuestionKind
    weight: float = Field(gt=0)
    sources: tuple[str, ...] = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)
    facts: tuple[Fact, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _facts_use_known_options(self) -> Question:
        known = set(self.option_ids)
        if len(known) != len(self.options):
            raise ValueError(f"question {self.id}: option ids repeat")
        for fact in self.facts:
            unknown = fact.when.options() - known
            if unknown:
                raise ValueError(f"question {self.id}, fact {fact.id}: unknown options {sorted(unknown)}")
        return self

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)

    def fact_for(self, chosen: frozenset[str]) -> Fact | None:
        """The first fact whose condition holds: the meaning of this answer. Remembered:
        a question has few possible answers (its options' subsets), asked every request."""
        try:
            return self._fact_by_answer[chosen]
        except KeyError:
            fact = next((fact for fact in self.facts if fact.when.holds(chosen)), None)
            self._fact_by_answer[chosen] = fact
            return fact

    @cached_property
    def _fact_by_answer(self) -> dict[frozenset[str], Fact | None]:
        return {}

    @cached_property
    def action_towards(self) -> dict[Rung, str | None]:
        """For each rung, the action of the first fact that fully fits it: the step that
        answers this question in that rung's way."""
        return {
            rung: next((f.action for f in self.facts if f.affinity(rung) == 1.0 and f.action), None)
            for rung in RUNGS_BOTTOM_UP
        }

    @cached_property
    def check_towards(self) -> dict[Rung, str | None]:
        """action_towards, worded as a check for when nobody has said how it is now."""
        return {
            rung: f"If it is not already so: {step[0].lower()}{step[1:]}" if step else None
            for rung, step in self.action_towards.items()
        }


class Contradiction(_Frozen):
    """Holds when, for every question listed, one of the listed options was chosen."""

    answers: dict[str, tuple[str, ...]] = Field(min_length=2)
    description: str

    def holds(self, answers: dict[str, list[str]]) -> bool:
        return all(
            question_id in answers and not options.isdisjoint(answers[question_id])
            for question_id, options in self._option_sets
        )

    @cached_property
    def _option_sets(self) -> tuple[tuple[str, frozenset[str]], ...]:
        return tuple((question_id, frozenset(options)) for question_id, options in self.answers.items())


class Questionnaire(_Frozen):
    version: int
    needs_own_fact: tuple[Rung, ...] = ()
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    contradictions: tuple[Contradiction, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        ids = [question.id for question in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids repeat")
        source_ids = {source.id for source in self.sources}
        for question in self.questions:
            missing = set(question.sources) - source_ids
            if missing:
                raise ValueError(f"question {question.id}: unknown sources {sorted(missing)}")
            # Every possible answer must mean something, or a valid answer would give no
            # evidence: check each single choice (and the empty set for multiple choice).
            answers = [frozenset([o]) for o in question.option_ids]
            if question.kind is QuestionKind.MULTIPLE:
                answers.append(frozenset())
            for chosen in answers:
                if question.fact_for(chosen) is None:
                    raise ValueError(f"question {question.id}: no fact covers answer {sorted(chosen)}")
        by_id = {question.id: question for question in self.questions}
        for contradiction in self.contradictions:
            for question_id, options in contradiction.answers.items():
                if question_id not in by_id:
                    raise ValueError(f"contradiction: unknown question {question_id}")
                unknown = set(options) - set(by_id[question_id].option_ids)
                if unknown:
                    raise ValueError(f"contradiction: {question_id} has no options {sorted(unknown)}")
        return self

    def fact(self, signal: str) -> Fact | None:
        """The fact named "question_id/fact_id", or None."""
        question_id, _, fact_id = signal.partition("/")
        question = self.question(question_id)
        return next((f for f in question.facts if f.id == fact_id), None) if question else None

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @cached_property
    def total_weight(self) -> float:
        return sum(question.weight for question in self.questions)


class QuestionnaireError(ValueError):
    pass


@cache
def load_questionnaire(path: Path = DEFAULT_PATH) -> Questionnaire:
    return load_model(path, Questionnaire, QuestionnaireError)
