"""The signals a description can carry, and their cue patterns, loaded from data and checked.

data/signals.yaml says, for each signal, which words show it and what it means in the
questionnaire's own terms (question and option ids), so a description and a set of
answers are scored by the same rules. This module checks the file against the
questionnaire and compiles the patterns, so a mistake fails at start-up, not in a request.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from services.classifier.questionnaire import QuestionKind, Questionnaire, ScieValue, load_questionnaire
from services.common.rungs import Rung

DEFAULT_PATH = Path(__file__).with_name("data") / "signals.yaml"
_MACRO = re.compile(r"\{([a-z]+)\}")
# Words that turn a statement round. The reader uses the same list (reading.py).
NEGATION_WORD = re.compile(
    r"\b(?:not|no|never|without|nor|neither|none|nobody|nothing|cannot|rather than|instead of|"
    r"lack of|unable to|failed to|no longer|little or no)\b|n't\b"
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    id: str
    publisher: str
    title: str
    url: str = Field(pattern=r"^https://")


class AnswerRef(_Frozen):
    """One thing a signal says about the questionnaire: `option` of `question` holds (or,
    with `against`, does not hold), with this strength."""

    question: str
    option: str
    strength: float = Field(default=1.0, gt=0, le=1)
    against: bool = False


class Cue(_Frozen):
    pattern: str
    strength: float = Field(default=1.0, gt=0, le=1)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"pattern": value} if isinstance(value, str) else value


class Signal(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    statement: str
    negated_statement: str | None = None
    comment: str = Field(min_length=20)
    sources: tuple[str, ...] = Field(min_length=1)
    answers: tuple[AnswerRef, ...]
    negated: tuple[AnswerRef, ...] | None = None
    values: tuple[ScieValue, ...] = ()
    unless: str | None = None
    label: Rung | None = None
    points_to: Rung | None = None
    cues: tuple[Cue, ...] = Field(min_length=1)

    @field_validator("statement", "negated_statement")
    @classmethod
    def _sentence(cls, value: str | None) -> str | None:
        if value is not None and not value.endswith("."):
            raise ValueError("a statement is a sentence ending in a full stop")
        return value


class SignalBook(_Frozen):
    """Every signal, with its compiled cues (see `compiled`)."""

    version: int
    no_facts_rung: Rung
    sources: tuple[Source, ...]
    macros: dict[str, str]
    signals: tuple[Signal, ...]

    @model_validator(mode="after")
    def _consistent(self) -> SignalBook:
        ids = [signal.id for signal in self.signals]
        if len(ids) != len(set(ids)):
            raise ValueError("signal ids repeat")
        source_ids = {source.id for source in self.sources}
        for signal in self.signals:
            unknown = set(signal.sources) - source_ids
            if unknown:
                raise ValueError(f"signal {signal.id}: unknown sources {sorted(unknown)}")
            if signal.label is not None and signal.answers:
                raise ValueError(f"signal {signal.id}: a label is never counted, so it has no answers")
            for cue in signal.cues:
                try:
                    re.compile(self.expand(cue.pattern))
                except re.error as error:
                    raise ValueError(f"signal {signal.id}: bad cue {cue.pattern!r}: {error}") from None
            if signal.unless:
                re.compile(signal.unless)
        return self

    def expand(self, pattern: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.macros:
                raise ValueError(f"unknown macro {{{name}}} in {pattern!r}")
            return self.macros[name].strip()

        return _MACRO.sub(replace, pattern)

    def check_against(self, questionnaire: Questionnaire) -> None:
        """Every answer a signal gives must be a real option; `against` only where a
        question takes several options; a signal needs a rung it points to."""
        for signal in self.signals:
            for ref in (*signal.answers, *(signal.negated or ())):
                question = questionnaire.question(ref.question)
                if question is None:
                    raise ValueError(f"signal {signal.id}: unknown question {ref.question}")
                if ref.option not in question.option_ids:
                    raise ValueError(f"signal {signal.id}: {ref.question} has no option {ref.option}")
                if ref.against and question.kind is not QuestionKind.MULTIPLE:
                    raise ValueError(f"signal {signal.id}: 'against' needs a multiple-choice question")
            if _points_to(signal, questionnaire) is None:
                raise ValueError(f"signal {signal.id}: say which rung it points to (points_to)")

    @cached_property
    def compiled(self) -> tuple[tuple[Signal, tuple[CompiledCue, ...]], ...]:
        # Matched against lower-cased text; the edges keep cues to whole words, and a
        # hyphen before a cue is part of a longer word ("co-designed" is not "designed").
        return tuple(
            (
                signal,
                tuple(
                    CompiledCue(
                        re.compile(r"(?<![\w-])(?:" + self.expand(cue.pattern) + r")(?!\w)"),
                        cue.strength,
                        # A cue written with a negation in it ("were not paid") already
                        # means the negative; one that only picks a "not" up in a gap has not.
                        says_negative=bool(NEGATION_WORD.search(cue.pattern)),
                    )
                    for cue in signal.cues
                ),
            )
            for signal in self.signals
        )


class CompiledCue(NamedTuple):
    pattern: re.Pattern[str]
    strength: float
    says_negative: bool


def _points_to(signal: Signal, questionnaire: Questionnaire) -> Rung | None:
    if signal.points_to is not None:
        return signal.points_to
    if signal.label is not None:
        return signal.label
    for ref in signal.answers:
        if not ref.against:
            question = questionnaire.question(ref.question)
            fact = question.fact_for(frozenset([ref.option])) if question else None
            if fact is not None:
                return fact.best_rung
    return None


def points_to(signal: Signal, questionnaire: Questionnaire) -> Rung:
    rung = _points_to(signal, questionnaire)
    assert rung is not None  # checked on load  # noqa: S101
    return rung


class SignalsError(ValueError):
    pass


@cache
def load_signals(path: Path = DEFAULT_PATH) -> SignalBook:
    """Load and check the signals against the default questionnaire; an app built with
    another questionnaire checks them against that one too (see Reader)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        book = SignalBook.model_validate(data)
        book.check_against(load_questionnaire())
        return book
    except (OSError, yaml.YAMLError, ValidationError, ValueError, re.error) as error:
        raise SignalsError(f"{path}: {error}") from error
