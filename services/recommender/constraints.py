"""What a request asks of a method, what running it would cost, and whether it fits.

Hard constraints (budget, weeks, mode, access needs) are checked here and only here, so a
method that breaks one can never be recommended or planned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from services.recommender.catalogue import AccessNeed, LivedExperience, Method, Mode

NEED_LABELS: dict[AccessNeed, str] = {
    AccessNeed.BSL: "BSL interpreters",
    AccessNeed.CAPTIONS: "captions",
    AccessNeed.EASY_READ: "Easy Read",
    AccessNeed.LARGE_PRINT: "large print",
    AccessNeed.HEARING_LOOP: "a hearing loop",
    AccessNeed.STEP_FREE: "step-free access",
    AccessNeed.PERSONAL_ASSISTANT: "personal assistants",
    AccessNeed.QUIET_SPACE: "a quiet space",
    AccessNeed.PAPER: "paper for people offline",
}

PEOPLE_LABELS: dict[LivedExperience, str] = {
    LivedExperience.PHYSICAL_IMPAIRMENT: "people with physical impairments",
    LivedExperience.SENSORY_IMPAIRMENT: "people with sensory impairments",
    LivedExperience.LEARNING_DISABILITY: "people with learning disabilities",
    LivedExperience.MENTAL_HEALTH: "people with mental health problems",
    LivedExperience.AUTISM: "autistic people",
    LivedExperience.LONG_TERM_CONDITIONS: "people with long-term conditions",
    LivedExperience.CARERS: "carers",
    LivedExperience.YOUNG_PEOPLE: "young people",
    LivedExperience.OLDER_PEOPLE: "older people",
    LivedExperience.PEOPLE_OFFLINE: "people who are offline",
}

MODE_LABELS: dict[Mode, str] = {
    Mode.IN_PERSON: "in person",
    Mode.ONLINE: "online",
    Mode.HYBRID: "hybrid (in person and online at once)",
}


class Hard(StrEnum):
    """The hard constraints, named by their request field."""

    MODE = "mode"
    ACCESS_NEEDS = "access_needs"
    WEEKS = "weeks"
    BUDGET = "budget_gbp"


@dataclass(frozen=True)
class Constraints:
    budget_gbp: float | None = None
    weeks: int | None = None
    participants: int | None = None
    mode: Mode | None = None
    access_needs: tuple[AccessNeed, ...] = ()
    lived_experience: tuple[LivedExperience, ...] = ()
    welsh: bool = False
    payment_rate_gbp_per_hour: float = 25.0


@dataclass(frozen=True)
class Estimate:
    """One method under one request's constraints."""

    method: Method
    constraints: Constraints
    people: int  # participants costed
    total_gbp: float
    weeks: int  # planned: the typical length, or what the request allows (never below the minimum)
    failures: frozenset[Hard]

    @property
    def fits(self) -> bool:
        return not self.failures

    def items(self) -> list[tuple[str, float]]:
        """The cost line by line, labelled: (what for, pounds)."""
        return list(cost_lines(self.method, self.constraints, self.people, labelled=True))


def gbp(amount: float) -> str:
    """£1,250 or £1,250.50."""
    return f"£{amount:,.0f}" if float(amount).is_integer() else f"£{amount:,.2f}"


def count(n: int, thing: str) -> str:
    """count(1, "participant") -> "1 participant"; count(3, ...) -> "3 participants"."""
    return f"{n:,} {thing}" if n == 1 else f"{n:,} {thing}s"


def join_words(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def in_text(method: Method) -> str:
    """The name in running text, quoted as a title: names need no article that way
    ("would make “Citizens' jury” possible")."""
    return f"“{method.name}”"


def people_costed(method: Method, participants: int | None) -> int:
    """The expected participants, up to the method's largest group (a panel of 20 does not
    grow to 200); unstated, its smallest group."""
    if participants is None:
        return method.group_size.min
    return min(participants, method.group_size.max)


def estimate(method: Method, constraints: Constraints) -> Estimate:
    c = constraints
    people = people_costed(method, c.participants)
    # The same sum as cost_lines() itemises (tests hold the two together), without the
    # generator: every method is costed on every request.
    cost, sessions = method.cost, method.sessions
    exact = cost.fixed_gbp + people * cost.per_participant_gbp
    exact += people * method.participant_hours * c.payment_rate_gbp_per_hour
    for need in c.access_needs:
        exact += sessions * method.access[need].cost_per_session_gbp
    if c.welsh:
        exact += method.welsh.translation_gbp + sessions * method.welsh.cost_per_session_gbp

    typical, shortest = method.duration_weeks.typical, method.duration_weeks.min
    weeks = typical if c.weeks is None else max(shortest, min(typical, c.weeks))

    failures = set()
    if c.mode is not None and c.mode not in method.modes:
        failures.add(Hard.MODE)
    if any(not method.access[need].can_meet for need in c.access_needs):
        failures.add(Hard.ACCESS_NEEDS)
    if c.weeks is not None and shortest > c.weeks:
        failures.add(Hard.WEEKS)
    if c.budget_gbp is not None and exact > c.budget_gbp:  # not even half a penny over
        failures.add(Hard.BUDGET)
    return Estimate(method, c, people, round(exact, 2), weeks, frozenset(failures))


def cost_lines(
    method: Method, c: Constraints, people: int, labelled: bool
) -> Iterator[tuple[str, float]]:
    """What running the method costs, line by line. Labels are written only when asked for:
    every method is costed on every request, but only the few returned are shown."""
    cost, sessions = method.cost, method.sessions
    yield ("running the method (" + ", ".join(cost.components) + ")" if labelled else "",
           float(cost.fixed_gbp))
    if cost.per_participant_gbp:
        yield (f"{count(people, 'participant')} at {gbp(cost.per_participant_gbp)} each"
               if labelled else "", float(people * cost.per_participant_gbp))
    if c.payment_rate_gbp_per_hour:
        hours = method.participant_hours
        yield (f"paying {count(people, 'participant')} {hours:g} hours each at "
               f"{gbp(c.payment_rate_gbp_per_hour)} an hour" if labelled else "",
               round(people * hours * c.payment_rate_gbp_per_hour, 2))
    for need in c.access_needs:
        provision = method.access[need]
        if provision.can_meet and provision.cost_per_session_gbp:
            yield (per_session(NEED_LABELS[need], sessions, provision.cost_per_session_gbp)
                   if labelled else "", float(sessions * provision.cost_per_session_gbp))
    if c.welsh:
        welsh = method.welsh
        if welsh.translation_gbp:
            yield ("Welsh translation of the materials", float(welsh.translation_gbp))
        if welsh.cost_per_session_gbp:
            yield (per_session("Welsh interpretation or Welsh-speaking facilitation", sessions,
                               welsh.cost_per_session_gbp) if labelled else "",
                   float(sessions * welsh.cost_per_session_gbp))


def per_session(label: str, sessions: int, each: int) -> str:
    if sessions == 1:
        return label
    return f"{label}: {count(sessions, 'session')} at {gbp(each)}"
