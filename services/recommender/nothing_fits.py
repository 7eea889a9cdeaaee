"""When no method fits: which constraints ruled out how many methods, and what would change
that, worked out from the estimates themselves (the extra money, the extra weeks, another
mode, fewer people, or a nearer rung first).

Access needs and Welsh are never offered as things to drop: they are people's right to take
part, not preferences to trade.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from services.common.rungs import Rung
from services.recommender.catalogue import Method, Mode
from services.recommender.constraints import (
    MODE_LABELS,
    NEED_LABELS,
    Constraints,
    Estimate,
    Hard,
    count,
    gbp,
    in_text,
    join_words,
)

# Constraints a person could loosen, and the order suggestions of one kind are listed in.
RELAXABLE = (Hard.BUDGET, Hard.WEEKS, Hard.MODE)
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Explanation:
    reasons: list[str]
    what_would_change_it: list[str]
    excluded: list[tuple[Hard, int]]
    reaching: int


def explain(
    estimates: list[Estimate],
    target: Rung,
    constraints: Constraints,
    fitting_at: Callable[[Rung], list[Estimate]],
    current: Rung,
) -> Explanation:
    """`estimates`: every method that reaches the target, none of which fits.
    `fitting_at(rung)`: the methods that fit and reach another rung."""
    c = constraints
    reaching = len(estimates)
    if not reaching:
        return Explanation([f"No method in the catalogue reaches {target.value}."], [], [], 0)

    reasons: list[str] = []
    excluded: list[tuple[Hard, int]] = []
    of = f"of the {reaching} methods that reach {target.value}"
    for hard in Hard:
        ruled_out = [e for e in estimates if hard in e.failures]
        if not ruled_out:
            continue
        excluded.append((hard, len(ruled_out)))
        reasons.append(_why(hard, ruled_out, of, c))
    if len(excluded) > 1:
        reasons.append("No method passes all of these together.")

    changes = _single_method_changes(estimates, c)
    changes += _fewer_people(estimates, c)
    changes += _nearer_rung(target, current, fitting_at)
    return Explanation(reasons, changes[:MAX_SUGGESTIONS], excluded, reaching)


def _why(hard: Hard, ruled_out: list[Estimate], of: str, c: Constraints) -> str:
    n = len(ruled_out)
    if hard is Hard.BUDGET:
        cheapest = min(ruled_out, key=lambda e: e.total_gbp)
        return (
            f"A budget of {gbp(c.budget_gbp or 0)} rules out {n} {of}: the cheapest of them, "
            f"{in_text(cheapest.method)}, costs {gbp(cheapest.total_gbp)} with your needs."
        )
    if hard is Hard.WEEKS:
        quickest = min(ruled_out, key=lambda e: e.method.duration_weeks.min)
        return (
            f"A limit of {count(c.weeks or 0, 'week')} rules out {n} {of}: the quickest of them, "
            f"{in_text(quickest.method)}, needs at least {quickest.method.duration_weeks.min}."
        )
    if hard is Hard.MODE:
        mode = MODE_LABELS[c.mode] if c.mode else ""
        return f"Running {mode} rules out {n} {of}."
    unmet = sorted(
        {need for e in ruled_out for need in c.access_needs if not e.method.access[need].can_meet},
        key=list(NEED_LABELS).index,
    )
    names = ", ".join(in_text(e.method) for e in ruled_out)
    return (
        f"The need for {join_words([NEED_LABELS[n] for n in unmet])} rules out {n} {of} ({names}), "
        "which cannot meet it."
    )


def _single_method_changes(estimates: list[Estimate], c: Constraints) -> list[str]:
    """For each kind of change (more money; more weeks; both; another mode...), the smallest
    one that would make some method possible."""
    best: dict[frozenset[Hard], tuple[float, str]] = {}
    for e in estimates:
        if not e.failures <= set(RELAXABLE):
            continue  # an unmet access need: no change we would suggest makes it possible
        size = 0.0
        parts = []
        if Hard.BUDGET in e.failures:
            extra = max(1, math.ceil(e.total_gbp - (c.budget_gbp or 0)))  # over by pence: £1
            size += extra / max(c.budget_gbp or 1, 1)
            parts.append(f"an extra {gbp(extra)} ({gbp(e.total_gbp)} in all)")
        if Hard.WEEKS in e.failures:
            more = e.method.duration_weeks.min - (c.weeks or 0)
            size += more / max(c.weeks or 1, 1)
            parts.append(f"{count(more, 'more week')} ({e.method.duration_weeks.min} in all)")
        if Hard.MODE in e.failures:
            size += 0.5
            wanted = MODE_LABELS[c.mode].split(" (")[0] if c.mode else ""
            parts.append(f"running it {MODE_LABELS[_other_mode(e.method, c.mode)]} rather than {wanted}")
        text = f"{_capital(' and '.join(parts))} would make {in_text(e.method)} possible."
        kind = e.failures
        if kind not in best or (size, text) < best[kind]:
            best[kind] = (size, text)
    # Fewest things to change first, then the smallest change.
    ordered = sorted(best.items(), key=lambda item: (len(item[0]), item[1][0]))
    return [text for _, (_, text) in ordered]


def _fewer_people(estimates: list[Estimate], c: Constraints) -> list[str]:
    """Where paying and hosting the people is what breaks the budget, how many could take part
    within it (only when that is still a group the method works with)."""
    if c.budget_gbp is None or c.participants is None:
        return []
    best: tuple[int, str] | None = None
    for e in estimates:
        if e.failures != {Hard.BUDGET} or e.people < c.participants:
            continue
        method = e.method
        per_person = method.cost.per_participant_gbp + method.participant_hours * c.payment_rate_gbp_per_hour
        if per_person <= 0:
            continue
        fixed = e.total_gbp - e.people * per_person
        most = math.floor((c.budget_gbp - fixed) / per_person + 1e-9)
        if most < max(method.group_size.min, 1) or most >= c.participants:
            continue
        text = (
            f"Involving {most} people rather than {c.participants} would bring "
            f"{in_text(method)} within your budget."
        )
        if best is None or most > best[0]:
            best = (most, text)
    return [best[1]] if best else []


def _nearer_rung(target: Rung, current: Rung, fitting_at: Callable[[Rung], list[Estimate]]) -> list[str]:
    nearer = current.next_up()
    if nearer is None or nearer >= target:
        return []
    fitting = fitting_at(nearer)
    if not fitting:
        return []
    names = join_words([in_text(e.method) for e in fitting[:3]])
    return [
        f"Aiming first for {nearer.value}, the rung above {current.value}, leaves "
        f"{len(fitting)} method{'s' if len(fitting) != 1 else ''} that fit, such as {names}."
    ]


def _other_mode(method: Method, wanted: Mode | None) -> Mode:
    # Hybrid keeps an in-person option for people who need one; prefer it where possible.
    for mode in (Mode.HYBRID, Mode.IN_PERSON, Mode.ONLINE):
        if mode in method.modes and mode != wanted:
            return mode
    return method.modes[0]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
