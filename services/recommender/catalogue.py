"""The involvement-method catalogue: reviewed data in data/methods.yaml, validated on load.

The figures live in YAML so that practitioners and people with lived experience can review
them without reading Python. This module only checks that the data is well formed and
consistent, so that a bad edit fails at start-up with a message naming the method and the
field, not later as an odd recommendation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services.common.rungs import Rung

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "methods.yaml"

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class CatalogueError(ValueError):
    """The catalogue file cannot be read, or an entry in it is malformed or inconsistent."""


class AccessNeed(StrEnum):
    BSL = "bsl"
    CAPTIONS = "captions"
    EASY_READ = "easy-read"
    LARGE_PRINT = "large-print"
    HEARING_LOOP = "hearing-loop"
    STEP_FREE = "step-free"
    PERSONAL_ASSISTANT = "personal-assistant"
    QUIET_SPACE = "quiet-space"
    PAPER = "paper"


class Mode(StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Purpose(StrEnum):
    INFORM = "inform"
    GATHER_VIEWS = "gather-views"
    DELIBERATE = "deliberate"
    DESIGN = "design"
    DECIDE = "decide"
    DELIVER = "deliver"
    EVALUATE = "evaluate"
    RESEARCH = "research"
    BUILD_RELATIONSHIPS = "build-relationships"


class Effort(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class LivedExperience(StrEnum):
    PHYSICAL_IMPAIRMENT = "physical-impairment"
    SENSORY_IMPAIRMENT = "sensory-impairment"
    LEARNING_DISABILITY = "learning-disability"
    MENTAL_HEALTH = "mental-health"
    AUTISM = "autism"
    LONG_TERM_CONDITIONS = "long-term-conditions"
    CARERS = "carers"
    YOUNG_PEOPLE = "young-people"
    OLDER_PEOPLE = "older-people"
    PEOPLE_OFFLINE = "people-offline"


class CostBand(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very-high"

    def contains(self, gbp: int) -> bool:
        low, high = _BAND_BOUNDS[self]
        return low <= gbp and (high is None or gbp < high)

    @property
    def label(self) -> str:
        low, high = _BAND_BOUNDS[self]
        if low == 0:
            return f"< £{high:,}"
        if high is None:
            return f"£{low:,} or more"
        return f"£{low:,} to under £{high:,}"


# Lower bound inclusive, upper exclusive, so every whole-pound figure has exactly one band.
_BAND_BOUNDS: dict[CostBand, tuple[int, int | None]] = {
    CostBand.LOW: (0, 2_000),
    CostBand.MEDIUM: (2_000, 10_000),
    CostBand.HIGH: (10_000, 50_000),
    CostBand.VERY_HIGH: (50_000, None),
}

# Strict, so a quoted "1500" or a stray `true` in a number field is reported, not coerced.
Count = Annotated[int, Field(strict=True, ge=1)]
Pounds = Annotated[int, Field(strict=True, ge=0)]
Text = Annotated[str, Field(min_length=1)]


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def no_repeats(values: Sequence[Any]) -> Sequence[Any]:
    """The values, unchanged, if none is listed twice; else ValueError naming it."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{str(value)!r} is listed more than once")
        seen.add(value)
    return values


def _not_below_min(value: int, info: ValidationInfo) -> int:
    low = info.data.get("min")
    if low is not None and value < low:
        raise ValueError(f"{value} is less than min {low}")
    return value


class GroupSize(FrozenModel):
    min: Count
    max: Count

    _max_not_below_min = field_validator("max")(_not_below_min)


class Duration(FrozenModel):
    min: Count
    typical: Count

    _typical_not_below_min = field_validator("typical")(_not_below_min)


class Cost(FrozenModel):
    band: CostBand
    fixed_gbp: Pounds
    per_participant_gbp: Pounds
    components: tuple[Text, ...] = Field(min_length=1)

    @field_validator("fixed_gbp")
    @classmethod
    def _inside_band(cls, value: int, info: ValidationInfo) -> int:
        band = info.data.get("band")
        if band is not None and not band.contains(value):
            raise ValueError(f"{value} is outside band '{band}' ({band.label})")
        return value


class AccessProvision(FrozenModel):
    can_meet: Annotated[bool, Field(strict=True)]
    cost_per_session_gbp: Pounds
    note: Text

    @field_validator("cost_per_session_gbp")
    @classmethod
    def _free_when_unmet(cls, value: int, info: ValidationInfo) -> int:
        if info.data.get("can_meet") is False and value != 0:
            raise ValueError(f"{value} must be 0 when can_meet is false")
        return value


class WelshProvision(FrozenModel):
    """What running the method in Welsh as well as English adds (language "cy")."""

    translation_gbp: Pounds  # once: translating and proofreading its written materials
    cost_per_session_gbp: Pounds  # each session: interpretation or Welsh-speaking facilitation
    note: Text


class Source(FrozenModel):
    publisher: Text
    title: Text
    url: Text

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError(f"{value!r} is not an https URL")
        return value


class Method(FrozenModel):
    id: str
    name: Text
    summary: Text
    purpose: tuple[Purpose, ...] = Field(min_length=1)
    rungs: tuple[Rung, ...] = Field(min_length=1)
    group_size: GroupSize
    duration_weeks: Duration
    sessions: Count
    participant_hours: Annotated[float, Field(strict=True, gt=0)]
    effort: Effort
    cost: Cost
    modes: tuple[Mode, ...] = Field(min_length=1)
    access: dict[AccessNeed, AccessProvision]
    welsh: WelshProvision
    skills: tuple[Text, ...] = Field(min_length=1)
    payment: Text
    works_well_with: tuple[LivedExperience, ...] = ()
    when_not_to_use: Text
    sources: tuple[Source, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _kebab_case(cls, value: str) -> str:
        if not _KEBAB.fullmatch(value):
            raise ValueError(f"{value!r} is not kebab-case (lowercase words joined by hyphens)")
        return value

    @field_validator("purpose", "modes", "skills", "works_well_with")
    @classmethod
    def _distinct(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        return no_repeats(value)

    @field_validator("rungs")
    @classmethod
    def _real_rungs_in_ladder_order(cls, value: tuple[Rung, ...]) -> tuple[Rung, ...]:
        no_repeats(value)
        # Coercion is a failure to avoid, never something to recommend.
        if Rung.COERCION in value:
            raise ValueError("'coercion' is not a rung a method should aim for")
        return tuple(sorted(value))

    @field_validator("access")
    @classmethod
    def _every_need_answered(
        cls, value: dict[AccessNeed, AccessProvision]
    ) -> dict[AccessNeed, AccessProvision]:
        # Silence would read as "no cost"; each need must be answered, even with "not needed".
        missing = [need.value for need in AccessNeed if need not in value]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        return {need: value[need] for need in AccessNeed}

    @property
    def top_rung(self) -> Rung:
        return self.rungs[-1]


class Catalogue(FrozenModel):
    version: Literal[1]
    methods: tuple[Method, ...] = Field(min_length=1)

    _by_id: dict[str, Method] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        repeats = _repeated_ids([method.id for method in self.methods])
        if repeats:
            raise ValueError("\n".join(repeats))
        self._by_id = {method.id: method for method in self.methods}
        return self

    def by_id(self, method_id: str) -> Method:
        try:
            return self._by_id[method_id]
        except KeyError:
            raise KeyError(f"no method with id {method_id!r} in the catalogue") from None


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and validate the catalogue; raise CatalogueError listing every problem found."""
    path = DEFAULT_PATH if path is None else Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue: {exc}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("methods"), list):
        raise CatalogueError(f"{path}: expected a mapping with 'version' and a 'methods' list")

    # Validate entry by entry so each message can name the method, even a broken one.
    problems: list[str] = []
    methods: list[Method] = []
    ids: list[Any] = []
    for index, raw in enumerate(data["methods"]):
        method_id = raw.get("id") if isinstance(raw, dict) else None
        ids.append(method_id)
        try:
            methods.append(Method.model_validate(raw))
        except ValidationError as exc:
            problems.extend(describe_errors(exc, f"methods[{index}] ({method_id or '?'})"))
    problems.extend(_repeated_ids(ids))
    if not problems:
        try:
            return Catalogue(version=data.get("version"), methods=tuple(methods))
        except ValidationError as exc:
            problems.extend(describe_errors(exc, ""))
    raise CatalogueError(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems))


def _repeated_ids(ids: list[Any]) -> list[str]:
    first: dict[Any, int] = {}
    repeats = []
    for index, method_id in enumerate(ids):
        if not isinstance(method_id, str):
            continue  # a missing or malformed id is reported by the field check
        if method_id in first:
            repeats.append(
                f"methods[{index}] ({method_id}).id: {method_id!r} is already used by "
                f"methods[{first[method_id]}]"
            )
        else:
            first[method_id] = index
    return repeats


def describe_errors(exc: ValidationError, label: str) -> list[str]:
    lines = []
    for error in exc.errors():
        where = _path(error["loc"])
        prefix = ".".join(part for part in (label, where) if part)
        lines.append(f"{prefix}: {_reason(error)}" if prefix else _reason(error))
    return lines


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            text += " (key)"
        else:
            text += f".{part}" if text else str(part)
    return text


def _reason(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    got = repr(error.get("input"))
    return f"{error['msg']} (got {got[:60]})"
