"""An outline plan: one method for each rung climbed, in order, within the budget and the
weeks taken together (the steps run one after another).

Each step takes the best-ranked method for its rung that leaves enough money and weeks for
the cheapest and quickest possible later steps, so an early step never starves a later one
when a whole plan could fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.rungs import Rung
from services.recommender.climbing import Climbing
from services.recommender.constraints import Constraints, gbp, in_text
from services.recommender.ranking import Ranked


@dataclass(frozen=True)
class Step:
    rung: Rung
    chosen: Ranked | None
    why: str
    weeks: int
    starts_week: int | None


def rungs_to_climb(current: Rung, target: Rung) -> tuple[Rung, ...]:
    """Each rung above current up to target; at the target already, the target itself (the
    plan then holds and deepens it)."""
    climb = tuple(r for r in Rung if current < r <= target)
    return climb or (target,)


def outline(
    steps: tuple[Rung, ...],
    ranked_at: dict[Rung, list[Ranked]],
    constraints: Constraints,
    climbing: Climbing,
) -> list[Step]:
    """`ranked_at[rung]`: methods that fit the request on their own and reach that rung, best
    first."""
    c = constraints
    money = c.budget_gbp if c.budget_gbp is not None else float("inf")
    time = c.weeks if c.weeks is not None else None
    cheapest = {r: min((x.estimate.total_gbp for x in ranked_at[r]), default=float("inf")) for r in steps}
    quickest = {r: min((x.estimate.method.duration_weeks.min for x in ranked_at[r]), default=10**6)
                for r in steps}
    used: set[str] = set()
    week = 1
    plan: list[Step] = []
    for index, rung in enumerate(steps):
        later = steps[index + 1:]
        money_for_later = sum(cheapest[r] for r in later if cheapest[r] != float("inf"))
        weeks_for_later = sum(quickest[r] for r in later if quickest[r] != 10**6)
        options = [x for x in ranked_at[rung] if x.estimate.method.id not in used]
        affordable = [x for x in options if _fits(x, money, time)]
        leaves_room = [
            x for x in affordable
            if x.estimate.total_gbp + money_for_later <= money
            and (time is None or x.estimate.method.duration_weeks.min + weeks_for_later <= time)
        ]
        chosen = (leaves_room or affordable or [None])[0]
        step_text = climbing.rungs[rung].step
        if chosen is None:
            plan.append(Step(rung, None, f"{step_text} {_none_fits(rung, options, money, time, c)}", 0, None))
            continue
        method = chosen.estimate.method
        weeks = chosen.estimate.weeks
        if time is not None:
            # Leave the later steps their shortest runs, if this one can spare the weeks.
            weeks = max(method.duration_weeks.min, min(weeks, time - weeks_for_later))
        used.add(method.id)
        opener = "Start with" if not plan or all(s.chosen is None for s in plan) else "Then"
        further = (f" It can carry on up to {method.top_rung.value}." if method.top_rung > rung else "")
        why = (
            f"{step_text} {opener} {in_text(method)}: about {gbp(chosen.estimate.total_gbp)} over "
            f"{weeks} weeks (weeks {week} to {week + weeks - 1}).{further}"
        )
        plan.append(Step(rung, chosen, why, weeks, week))
        money -= chosen.estimate.total_gbp
        week += weeks
        if time is not None:
            time -= weeks
    return plan


def _fits(x: Ranked, money: float, time: int | None) -> bool:
    return x.estimate.total_gbp <= money and (time is None or x.estimate.method.duration_weeks.min <= time)


def _none_fits(rung: Rung, options: list[Ranked], money: float, time: int | None, c: Constraints) -> str:
    if not options:
        return f"No method that reaches {rung.value} fits your constraints on its own."
    cheapest = min(options, key=lambda x: x.estimate.total_gbp)
    quickest = min(options, key=lambda x: x.estimate.method.duration_weeks.min)
    if cheapest.estimate.total_gbp > money:
        return (
            f"Nothing that reaches {rung.value} fits what is left after the earlier steps: the "
            f"cheapest, {in_text(cheapest.estimate.method)}, costs {gbp(cheapest.estimate.total_gbp)} "
            f"and {gbp(max(money, 0))} of your {gbp(c.budget_gbp or 0)} is left."
        )
    return (
        f"Nothing that reaches {rung.value} fits the weeks left after the earlier steps: the "
        f"quickest, {in_text(quickest.estimate.method)}, needs "
        f"{quickest.estimate.method.duration_weeks.min} and {max(time or 0, 0)} of your "
        f"{c.weeks} are left."
    )
