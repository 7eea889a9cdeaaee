"""Rank the methods that fit, and say why: each factor of the score becomes a reason (when it
counts for the method) or a trade-off (when it counts against), so the ranking explains itself.

The score is a weighted mean of the factors that apply to the request: a factor about
participants, say, only counts when the request says how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.rungs import Rung
from services.recommender.catalogue import Effort
from services.recommender.constraints import (
    MODE_LABELS,
    NEED_LABELS,
    PEOPLE_LABELS,
    Constraints,
    Estimate,
    count,
    gbp,
    join_words,
)

# How much each factor weighs. Reaching the rung asked for matters most; then who the method
# suits; money, time and effort break the rest. Reviewed with the catalogue.
WEIGHTS = {
    "aim": 0.30,
    "people": 0.20,
    "group": 0.20,
    "cost": 0.10,
    "time": 0.10,
    "effort": 0.10,
}
# A method that can go beyond the target still gets there, but it asks for more (time, power
# shared, skills) than the request is ready for.
AIM_BEYOND = 0.7
EFFORT_VALUE = {Effort.LOW: 1.0, Effort.MEDIUM: 0.7, Effort.HIGH: 0.4}
COMPRESSED = 0.5  # run in fewer weeks than it typically takes
TIGHT_BUDGET = 0.9  # share of the budget above which a trade-off warns of no contingency


@dataclass(frozen=True)
class Ranked:
    estimate: Estimate
    score: float
    reasons: tuple[str, ...]
    trade_offs: tuple[str, ...]


def rank(estimates: list[Estimate], target: Rung, constraints: Constraints) -> list[Ranked]:
    """Fitting estimates, best first: by score, then the cheaper, then by id (stable)."""
    costliest = max((e.total_gbp for e in estimates), default=0.0)
    ranked = [_assess(e, target, constraints, costliest) for e in estimates]
    ranked.sort(key=lambda r: (-r.score, r.estimate.total_gbp, r.estimate.method.id))
    return ranked


def _assess(e: Estimate, target: Rung, c: Constraints, costliest: float) -> Ranked:
    method = e.method
    factors: list[tuple[str, float]] = []  # (factor, value 0..1)
    reasons: list[tuple[float, str]] = []  # (weighted value, text): strongest first
    trade_offs: list[str] = []

    def factor(name: str, value: float, reason: str | None = None) -> None:
        factors.append((name, value))
        if reason:
            reasons.append((WEIGHTS[name] * value, reason))

    top = method.top_rung
    if top == target:
        factor("aim", 1.0, f"Reaches {target.value}, the rung you are aiming for.")
    else:
        factor("aim", AIM_BEYOND,
               f"Reaches {target.value}, and can go further, up to {top.value}.")

    if c.lived_experience:
        suits = [p for p in c.lived_experience if p in method.works_well_with]
        others = [p for p in c.lived_experience if p not in method.works_well_with]
        factor("people", len(suits) / len(c.lived_experience),
               f"Known to work well with {join_words([PEOPLE_LABELS[p] for p in suits])}." if suits else None)
        if others:
            trade_offs.append(
                f"Not known for working with {join_words([PEOPLE_LABELS[p] for p in others])}: ask them "
                "how they would like to take part."
            )

    size = method.group_size
    if c.participants is not None:
        if size.min <= c.participants <= size.max:
            factor("group", 1.0,
                   f"Suits a group of {c.participants} (it works with {size.min} to {size.max}).")
        elif c.participants > size.max:
            factor("group", max(0.2, size.max / c.participants))
            trade_offs.append(
                f"Involves at most {size.max} people: the other {c.participants - size.max} of "
                f"your {c.participants} need another way in."
            )
        else:
            factor("group", c.participants / size.min)
            trade_offs.append(
                f"Works best with at least {size.min} people; with {c.participants} its results "
                "will be thin."
            )
    else:
        trade_offs.append(
            f"Costed for {count(e.people, 'participant')}, its smallest group: say how many you expect "
            "for your own figure."
        )

    total = e.total_gbp
    if c.budget_gbp is not None:
        spare = c.budget_gbp - total
        share = total / c.budget_gbp if c.budget_gbp else 1.0
        factor("cost", 1.0 - share,
               f"About {gbp(total)} in all, within your {gbp(c.budget_gbp)} budget "
               f"({gbp(spare)} to spare).")
        if share > TIGHT_BUDGET:
            trade_offs.append(
                f"Uses {share:.0%} of your budget, leaving little for the unexpected."
            )
    else:
        factor("cost", 1.0 - total / costliest if costliest else 1.0,
               f"About {gbp(total)} in all, paying participants included.")

    typical, shortest = method.duration_weeks.typical, method.duration_weeks.min
    if c.weeks is not None:
        if typical <= c.weeks:
            factor("time", 1.0, f"Fits your {c.weeks} weeks: it typically takes {typical}.")
        else:
            factor("time", COMPRESSED)
            trade_offs.append(
                f"Typically takes {typical} weeks; your {c.weeks} allow a shorter run "
                f"(it needs at least {shortest})."
            )

    effort = method.effort
    factor("effort", EFFORT_VALUE[effort], "Low effort to organise." if effort is Effort.LOW else None)
    if effort is Effort.HIGH:
        trade_offs.append(f"High effort: it needs {join_words(list(method.skills))}.")

    if c.mode is not None:
        reasons.append((0.0, f"Runs {MODE_LABELS[c.mode]}, as you asked."))
    if c.access_needs:
        notes = "; ".join(
            f"{NEED_LABELS[need]}: {method.access[need].note}" for need in c.access_needs
        )
        reasons.append((0.0, f"Meets every access need you named. {notes}."))
    if c.welsh:
        reasons.append((0.0, f"Can run in Welsh as well as English: {method.welsh.note}."))
    if not c.payment_rate_gbp_per_hour:
        trade_offs.append(
            f"No payment: each participant would give {method.participant_hours:g} hours unpaid. "
            "Paying people for their time is part of co-production (reciprocity)."
        )
    trade_offs.append(f"When not to use it: {method.when_not_to_use}")

    weight = sum(WEIGHTS[name] for name, _ in factors)
    score = sum(WEIGHTS[name] * value for name, value in factors) / weight
    ordered = [text for _, text in sorted(reasons, key=lambda r: -r[0])]
    return Ranked(e, round(score, 2), tuple(ordered), tuple(trade_offs))
