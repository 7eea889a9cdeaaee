"""Recommender requests and answers as JSON: the shape on the bus and in the HTTP API.

The gateway validates HTTP bodies and converted gRPC messages against these same models, so
a request is valid or invalid in the same way everywhere, and each bad field is named.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from services.common.rungs import Rung
from services.recommender.catalogue import AccessNeed, LivedExperience, Mode, no_repeats
from services.recommender.climbing import JigsawPiece

# Twice the costliest run in the catalogue at its largest (deliberative polling with 500
# people paid £25 an hour, every access adjustment and Welsh: about £0.48 million). A bigger
# figure is far more likely a typo (pence for pounds) than a budget for one piece of work.
MAX_BUDGET_GBP = 1_000_000
MAX_WEEKS = 520  # ten years: longer than any plan the catalogue's durations could fill
MAX_PARTICIPANTS = 100_000
# Well above any UK involvement rate (NIHR's is £25 an hour); a bigger figure is a typo.
MAX_PAYMENT_RATE_GBP_PER_HOUR = 200


class Language(StrEnum):
    ENGLISH = "en"
    WELSH = "cy"  # bilingual: Welsh as well as English, costed from each method's `welsh` entry


def _invalid(message: str) -> PydanticCustomError:
    """An error whose message is shown as written (a ValueError's gets "Value error, ")."""
    return PydanticCustomError("invalid", message)




class RecommendRequest(BaseModel):
    """Where a project stands, where it wants to get to, and what it has to get there with.

    Every field is optional, except that one of current_rung and answers is needed."""

    model_config = ConfigDict(extra="forbid")

    current_rung: Rung | None = Field(
        default=None,
        description=(
            "Where the project stands now. If absent, `answers` are assessed first (by the "
            "classifier) and the rung they support is used. If both are given, current_rung "
            "wins and answers are not assessed."
        ),
    )
    answers: dict[str, str | list[str]] | None = Field(
        default=None,
        description=(
            "Self-assessment answers, exactly as for POST /v1/classifications, keyed by "
            "question id: an inline assessment, used when current_rung is absent."
        ),
    )
    target_rung: Rung | None = Field(
        default=None,
        description="Where the project wants to get to; not below current_rung. Default: the rung above.",
    )
    budget_gbp: float | None = Field(
        default=None, strict=True, allow_inf_nan=False,
        json_schema_extra={"minimum": 0, "maximum": MAX_BUDGET_GBP},
        description=(
            "The most the organisation can spend, in pounds, everything included: running the "
            "method, access adjustments, Welsh, and paying participants. No method whose "
            "estimated total is higher is recommended. 0 to 1,000,000; absent: no limit."
        ),
    )
    weeks: int | None = Field(
        default=None, strict=True, json_schema_extra={"minimum": 1, "maximum": MAX_WEEKS},
        description=(
            "Weeks available from now. No method that needs longer (its shortest run) is "
            "recommended. 1 to 520; absent: no limit."
        ),
    )
    participants: int | None = Field(
        default=None, strict=True, json_schema_extra={"minimum": 1, "maximum": MAX_PARTICIPANTS},
        description=(
            "How many people are expected to take part. Costs are estimated for this many, up "
            "to the method's largest group; absent: each method is costed for its smallest group."
        ),
    )
    mode: Mode | None = Field(
        default=None,
        description="in-person, online or hybrid: only methods that can run this way. Absent: any.",
    )
    access_needs: list[AccessNeed] = Field(
        default_factory=list, max_length=len(AccessNeed),
        description=(
            "Access needs the work must meet. Only methods that can meet every one are "
            "recommended, and their adjustments are costed."
        ),
    )
    lived_experience: list[LivedExperience] = Field(
        default_factory=list, max_length=len(LivedExperience),
        description=(
            "The people whose lived experience the work centres on. Methods known to work well "
            "with them rank higher."
        ),
    )
    language: Language = Field(
        default=Language.ENGLISH,
        description=(
            '"en" (English) or "cy" (Welsh as well as English: translation and interpretation '
            "or Welsh-speaking facilitation are added to each cost)."
        ),
    )
    payment_rate_gbp_per_hour: float | None = Field(
        default=None, strict=True, allow_inf_nan=False,
        json_schema_extra={"minimum": 0, "maximum": MAX_PAYMENT_RATE_GBP_PER_HOUR},
        description=(
            "What participants are paid per hour of their time, in pounds. Absent: the "
            "service's setting LADDER_PAYMENT_RATE_GBP_PER_HOUR (default 25, after NIHR's "
            "payment guidance)."
        ),
    )
    limit: int = Field(default=10, ge=1, le=50, description="At most this many methods.")

    @field_validator("budget_gbp")
    @classmethod
    def _budget_in_range(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise _invalid("must not be negative: the most you can spend, in pounds (0 or more)")
        if value is not None and value > MAX_BUDGET_GBP:
            raise _invalid(
                f"must be at most £{MAX_BUDGET_GBP:,}: far above the costliest method in the "
                "catalogue, so a larger figure is taken for a typo (pence for pounds?)"
            )
        return value

    @field_validator("weeks")
    @classmethod
    def _weeks_in_range(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise _invalid("must be at least 1: no involvement work fits in no time")
        if value is not None and value > MAX_WEEKS:
            raise _invalid(f"must be at most {MAX_WEEKS} (ten years)")
        return value

    @field_validator("participants")
    @classmethod
    def _participants_in_range(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= MAX_PARTICIPANTS:
            raise _invalid(f"must be from 1 to {MAX_PARTICIPANTS:,} people")
        return value

    @field_validator("payment_rate_gbp_per_hour")
    @classmethod
    def _rate_in_range(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= MAX_PAYMENT_RATE_GBP_PER_HOUR:
            raise _invalid(
                f"must be from £0 to £{MAX_PAYMENT_RATE_GBP_PER_HOUR} an hour (NIHR suggests "
                "£25); a larger figure is taken for a typo"
            )
        return value

    @field_validator("access_needs", "lived_experience")
    @classmethod
    def _no_repeats(cls, value: list[Any]) -> list[Any]:
        try:
            no_repeats(value)
        except ValueError as error:
            raise _invalid(str(error)) from None
        return value

    @field_validator("target_rung")
    @classmethod
    def _target_above_coercion_and_not_below_current(
        cls, value: Rung | None, info: ValidationInfo
    ) -> Rung | None:
        if value is Rung.COERCION:
            raise _invalid("'coercion' is not a rung to aim for; choose educating or above")
        current = info.data.get("current_rung")
        if value is not None and current is not None and value < current:
            raise _invalid(
                f"{value.value!r} is below current_rung {current.value!r}; aim at "
                f"{current.value!r} or above"
            )
        return value

    def missing_start(self) -> bool:
        """Neither where the project stands nor answers to find out. Checked after parsing
        (by the app and the gateway) so that the error names current_rung, not the body."""
        return self.current_rung is None and not self.answers

    def target_from(self, current: Rung) -> Rung:
        return self.target_rung or current.next_up() or current


NO_START = (
    "give current_rung (where the project stands now), or answers to assess it from, as for "
    "POST /v1/classifications"
)


# --- the answer ------------------------------------------------------------------------


class MethodSummary(BaseModel):
    id: str
    name: str
    summary: str
    rungs: list[Rung]
    modes: list[Mode]
    when_not_to_use: str
    sources: list[str] = Field(description="URLs the catalogue entry draws on.")


class CostItem(BaseModel):
    item: str = Field(description='What the money is for, e.g. "BSL interpreters: 6 sessions at £350".')
    gbp: float


class EstimatedCost(BaseModel):
    total_gbp: float = Field(description="Everything: never above budget_gbp when one was given.")
    items: list[CostItem]


class Recommendation(BaseModel):
    method: MethodSummary
    score: float = Field(ge=0, le=1, description="How well it fits, 0 to 1; the reasons say why.")
    reasons: list[str] = Field(description="Why it fits, the strongest first.")
    trade_offs: list[str] = Field(description="What to weigh against it.")
    weeks: int = Field(
        description="Weeks planned for it: its typical length, or fewer if that is all there is."
    )
    estimated_cost: EstimatedCost


class PlanStep(BaseModel):
    rung: Rung
    method_ids: list[str] = Field(description="Methods for this step, in order; empty if none fits.")
    why: str
    estimated_cost_gbp: float = Field(description="This step's cost; 0 when no method fits.")
    weeks: int = Field(description="This step's weeks; 0 when no method fits.")
    starts_week: int | None = Field(description="Week the step starts (1 is the first); null if none fits.")


class OrganisationActionOut(BaseModel):
    piece: JigsawPiece = Field(description="SCIE's jigsaw: culture, structure, practice or review.")
    action: str
    rung: Rung = Field(description="The rung climbed that calls for it.")
    sources: list[str]


class Exclusion(BaseModel):
    constraint: str = Field(description="The request field, e.g. budget_gbp, weeks, mode, access_needs.")
    methods: int = Field(description="How many of the methods that reach the target it rules out.")


class NothingFits(BaseModel):
    reasons: list[str]
    what_would_change_it: list[str]
    excluded: list[Exclusion]
    methods_reaching_target: int


class RecommendResponse(BaseModel):
    current_rung: Rung
    target_rung: Rung = Field(description="The rung the recommendations aim at.")
    payment_rate_gbp_per_hour: float = Field(description="The rate participants' time was costed at.")
    recommendations: list[Recommendation] = Field(description="Best first; never breaking a hard constraint.")
    plan: list[PlanStep] = Field(
        description="One step per rung climbed, in order, within budget and weeks together."
    )
    organisation_actions: list[OrganisationActionOut]
    nothing_fits: NothingFits | None = Field(description="Why no method fits, when none does; else null.")
