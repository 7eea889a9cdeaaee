"""Is an organisation user-led? Its governance facts against the criteria in
data/user_led.yaml, with a reason for every fact that counted or was missing."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.matcher.records import Governance
from services.matcher.vocabulary import load_yaml


class Status(StrEnum):
    USER_LED = "user-led"
    PROBABLY_USER_LED = "probably-user-led"  # self-declared, or facts short of the guidance
    NOT_USER_LED = "not-user-led"


FactName = Literal[
    "governing_body_percent",
    "staff_percent",
    "volunteers_percent",
    "social_model",
    "peer_support",
    "self_declared_user_led",
]


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    fact: FactName
    kind: Literal["required", "guidance", "supporting"]
    more_than: float | None = None
    at_least: float | None = None
    equals: bool | None = None
    says: str
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> Criterion:
        if sum(t is not None for t in (self.more_than, self.at_least, self.equals)) != 1:
            raise ValueError(f"{self.id}: give exactly one of more_than, at_least, equals")
        return self

    def holds(self, value: float | bool) -> bool:
        if self.more_than is not None:
            return value > self.more_than
        if self.at_least is not None:
            return value >= self.at_least
        return value is self.equals


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["percent", "yes_no"]
    label: str


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str
    criteria: list[Criterion] = Field(min_length=1)
    facts: dict[FactName, Fact]

    @model_validator(mode="after")
    def _governing_body_required(self) -> Rules:
        if not any(c.fact == "governing_body_percent" and c.kind == "required" for c in self.criteria):
            raise ValueError("a required criterion on governing_body_percent is needed")
        return self


class Verdict(BaseModel):
    model_config = ConfigDict(frozen=True)
    status: Status
    reasons: list[str]


@cache
def rules() -> Rules:
    return Rules.model_validate(load_yaml("user_led.yaml"))


def assess(governance: Governance, with_rules: Rules | None = None) -> Verdict:
    """user-led, probably user-led or not, and why, from the organisation's facts."""
    current = with_rules or rules()
    failed_required: list[str] = []
    failed_guidance: list[str] = []
    reasons: list[str] = []
    missing: list[str] = []
    failed_facts: set[str] = set()
    met: dict[str, str] = {}  # per fact, the strictest criterion met (listed last in the data)
    for criterion in current.criteria:
        value = getattr(governance, criterion.fact)
        if value is None:
            if criterion.fact not in missing:
                missing.append(criterion.fact)
            continue
        shown = _shown(criterion.fact, value, current)
        if criterion.holds(value):
            met[criterion.fact] = f"Meets: {criterion.says} ({shown})."
        elif criterion.kind == "required":
            failed_required.append(f"Fails: {criterion.says} ({shown}).")
            failed_facts.add(criterion.fact)
        elif criterion.kind == "guidance":
            if criterion.fact not in failed_facts:  # the failed minimum says it already
                failed_guidance.append(f"Short of the guidance: {criterion.says} ({shown}).")
        else:
            reasons.append(f"Not met (the status does not depend on it): {criterion.says} ({shown}).")
    reasons = [*met.values(), *reasons]

    if failed_required:
        return Verdict(
            status=Status.NOT_USER_LED,
            reasons=[
                *failed_required,
                "Run for the people it serves rather than by them: not a user-led organisation.",
                *failed_guidance,
                *reasons,
            ],
        )
    if governance.governing_body_percent is None:
        unstated = ", ".join(current.facts[name].label for name in missing)
        if governance.self_declared_user_led:
            return Verdict(
                status=Status.PROBABLY_USER_LED,
                reasons=[
                    "It says it is a user-led organisation, but the share of its governing body who "
                    "are disabled people or people who use services is not given.",
                    *failed_guidance,
                    *reasons,
                    f"Not stated: {unstated}.",
                ],
            )
        return Verdict(
            status=Status.NOT_USER_LED,
            reasons=[
                "Nothing shows it is run by the people it serves: it does not say it is user-led "
                "and the share of its governing body who are disabled people or people who use "
                "services is not given.",
                *failed_guidance,
                *reasons,
                f"Not stated: {unstated}.",
            ],
        )
    tail = [f"Not stated: {', '.join(current.facts[name].label for name in missing)}."] if missing else []
    if failed_guidance:
        return Verdict(status=Status.PROBABLY_USER_LED, reasons=[*failed_guidance, *reasons, *tail])
    return Verdict(status=Status.USER_LED, reasons=[*reasons, *tail])


def _shown(fact: FactName, value: float | bool, current: Rules) -> str:
    if current.facts[fact].kind == "percent":
        return f"{value:g}% of {_whom(fact)}"
    return "yes" if value else "no"


def _whom(fact: str) -> str:
    return {
        "governing_body_percent": "the governing body",
        "staff_percent": "staff",
        "volunteers_percent": "volunteers",
    }[fact]
