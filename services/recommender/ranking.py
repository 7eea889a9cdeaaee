"""Rank the methods that fit, and say why: each factor of the score becomes a reason (when it
counts for the method) or a trade-off (when it counts against), so the ranking explains itself.

The score is a weighted mean of the factors that apply to the request: a factor about
participants, say, only counts when the request says how many there are.
"""

from __future__ import annotations

from collections.abc import Callable
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


Text = Callable[[], str]  # written only for the methods shown: most are ranked, few returned


@dataclass(frozen=True)
class Ranked:
    estimate: Estimate
    score: float
    _reasons: tuple[tuple[float, Text], ...]  # (weighted factor value, text)
    _trade_offs: tuple[Text, ...]

    @property
    def reasons(self) -> list[str]:
        """Why it fits, the factor that counts most for it first."""
        return [text() for _, text in sorted(self._reasons, key=lambda r: -r[0])]

    @property
    def trade_offs(self) -> list[str]:
        return [text() for text in self._trade_offs]


def rank(estimates: list[Estimate], target: Rung, constraints: Constraints) -> list[Ranked]:
    """Fitting estimates, best first: by score, then the cheaper, then by id (stable)."""
    costliest = max((e.total_gbp for e in estimates), default=0.0)
    ranked = [_assess(e, target, constraints, costliest) for e in estimates]
    ranked.sort(key=lambda r: (-r.score, r.estimate.total_gbp, r.estimate.method.id))
    return ranked


def _assess(e: Estimate, target: Rung, c: Constraints, costliest: float) -> Ranked:
    method = e.method
    reasons: list[tuple[float, Text]] = []
    trade_offs: list[Text] = []
    weighed = [0.0, 0.0]  # sum of weight x value, sum of weights: of the factors that apply

    def factor(name: str, value: float, reason: Text | None = None) -> None:
        weight = WEIGHTS[name]
        weighed[0] += weight * value
        weighed[1] += weight
        if reason:
            reasons.append((weight * value, reason))
    top = method.top_rung
    if top == target:
        factor("aim", 1.0, lambda: f"Reaches {target.value}, the rung you are aiming for.")
    else:
        factor("aim", AIM_BEYOND,
               lambda: f"Reaches {target.value}, and can go further, up to {top.value}.")

    if c.lived_experience:
        suits = [PEOPLE_LABELS[p] for p in c.lived_experience if p in method.works_well_with]
        others = [PEOPLE_LABELS[p] for p in c.lived_experience if p not in method.works_well_with]
        factor("people", len(suits) / len(c.lived_experience),
               (lambda: f"Known to work well with {join_words(suits)}.") if suits else None)
        if others:
            trade_offs.append(lambda: (
                f"Not known for working with {join_words(others)}: ask them how they would "
                "like to take part."
            ))

    size, wanted = method.group_size, c.participants
    if wanted is None:
        trade_offs.append(lambda: (
            f"Costed for {count(e.people, 'participant')}, its smallest group: say how many "
            "you expect for your own figure."
        ))
    elif size.min <= wanted <= size.max:
        factor("group", 1.0,
               lambda: f"Suits a group of {wanted} (it works with {size.min} to {size.max}).")
    elif wanted > size.max:
        factor("group", max(0.2, size.max / wanted))
        trade_offs.append(lambda: (
            f"Involves at most {size.max} people: the other {wanted - size.max:,} of your "
            f"{wanted:,} need another way in."
        ))
    else:
        factor("group", wanted / size.min)
        trade_offs.append(lambda: (
            f"Works best with at least {size.min} people; with {wanted} its results will be thin."
        ))

    total, budget = e.total_gbp, c.budget_gbp
    if budget is not None:
        share = total / budget if budget else 1.0
        factor("cost", 1.0 - share, lambda: (
            f"About {gbp(total)} in all, within your {gbp(budget)} budget "
            f"({gbp(budget - total)} to spare)."
        ))
        if share > TIGHT_BUDGET:
            trade_offs.append(
                lambda: f"Uses {share:.0%} of your budget, leaving little for the unexpected.")
    else:
        factor("cost", 1.0 - total / costliest if costliest else 1.0,
               lambda: f"About {gbp(total)} in all, paying participants included.")

    typical, shortest, weeks = method.duration_weeks.typical, method.duration_weeks.min, c.weeks
    if weeks is not None:
        if typical <= weeks:
            factor("time", 1.0, lambda: f"Fits your {weeks} weeks: it typically takes {typical}.")
        else:
            factor("time", COMPRESSED)
            trade_offs.append(lambda: (
                f"Typically takes {typical} weeks; your {weeks} allow a shorter run "
                f"(it needs at least {shortest})."
            ))

    effort = method.effort
    factor("effort", EFFORT_VALUE[effort],
           (lambda: "Low effort to organise.") if effort is Effort.LOW else None)
    if effort is Effort.HIGH:
        trade_offs.append(lambda: f"High effort: it needs {join_words(list(method.skills))}.")

    # What the hard constraints asked for, confirmed: listed after the factors that ranked it.
    if c.mode is not None:
        mode = c.mode
        reasons.append((0.0, lambda: f"Runs {MODE_LABELS[mode]}, as you asked."))
    if c.access_needs:
        reasons.append((0.0, lambda: "Meets every access need you named. " + "; ".join(
            f"{NEED_LABELS[need]}: {method.access[need].note}" for need in c.access_needs
        ) + "."))
    if c.welsh:
        reasons.append(
            (0.0, lambda: f"Can run in Welsh as well as English: {method.welsh.note}."))
    if not c.payment_rate_gbp_per_hour:
        trade_offs.append(lambda: (
            f"No payment: each participant would give {method.participant_hours:g} hours "
            "unpaid. Paying people for their time is part of co-production (reciprocity)."
        ))
    trade_offs.append(lambda: f"When not to use it: {method.when_not_to_use}")

    return Ranked(e, round(weighed[0] / weighed[1], 2), tuple(reasons), tuple(trade_offs))
