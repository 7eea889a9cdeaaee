"""General reading rules of issue 3, round 24, read from the tuning halves of the
twenty-ninth set (as funders, commissioners, regulators and auditors write) and the
thirtieth (the two ends of the ladder, described without the ladder's words). Every
sentence here was written for these tests, from the ladder's definitions, not copied from a
set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, found, scored

READ = [
    # An employer's instruction to attend, and misconduct for staying away.
    ("Going to the review session is a formal management instruction.", "compulsory"),
    ("Refusing to attend the refresher will be treated as a disciplinary matter.", "compulsory"),
    # Settled by the approved plan before anyone could ask.
    ("The bus route and the budget are fixed by the agreed business case.", "decision-already-made"),
    # Owned and run by its local members.
    ("Forty homes in the village now belong to Hollin Community Land Trust.", "user-led"),
    # Each side's consent is needed to change anything.
    ("The peer worker and the nurse can alter the plan only with the other's agreement.",
     "joint-decisions"),
    ("Nothing in the leaflet is changed without the other partner's consent.", "joint-decisions"),
    # The reply to people's comments.
    ("Dear forum members, here's what we've changed since the last draft.", "told-what-changed"),
    # A talk's list of advice, and showing the whole group how.
    ("The nurse talked through the key tips for looking after your feet each day.", "taught"),
    ("The pharmacist went through the dos and don'ts of storing medicines.", "taught"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # A building phase expected to finish is a timetable.
    ("The new wing is expected to complete in spring 2027.", "compulsory"),
    # Futility, not unpaid work.
    ("After the vote, the whole campaign felt like it was for nothing.", "unpaid"),
    # How long someone has been a tenant, or has lived with a condition.
    ("Mr Khan, a tenant on the estate for 30 years, complained about the lifts.", "ongoing"),
    ("She has lived with epilepsy for 12 years.", "ongoing"),
    # Money owed for something else.
    ("The compensation was paid six weeks after the ruling.", "paid-for-time"),
    ("Her housing grant was paid in two instalments.", "paid-for-time"),
    # A quiz night raises money; it teaches nothing.
    ("The quiz night at the rugby club raised £300 for the hospice.", "taught"),
    # Found wide by the round's review: one side acting alone, a meeting's procedure, a
    # maybe that comes after a number.
    ("The council can change the budget without the other partner agreeing.", "joint-decisions"),
    ("The chair ran through the rules of the meeting.", "taught"),
    ("All that work felt like it was all for nothing.", "unpaid"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not scored(classify(said), signal), said


STILL_READ = [
    # A course people must finish by a date is still compulsion.
    ("Drivers are expected to complete the course before the licence is returned.", "compulsory"),
    # Booking a place yourself is still a free choice.
    ("Anyone can book a place online.", "voluntary"),
    # A course people must finish within a time is still compulsion (found by the review).
    ("All trainees must complete within six weeks of starting.", "compulsory"),
    ("The fee was paid to participants after each session.", "paid-for-time"),
    # A panel that meets for years is still ongoing.
    ("Seven people with arthritis will meet four times a year for three years.", "ongoing"),
    # People working without pay are still unpaid.
    ("The volunteers gave up their evenings for nothing.", "unpaid"),
]


@pytest.mark.parametrize(("said", "signal"), STILL_READ)
def test_still_read(said, signal):
    assert scored(classify(said), signal), said


def only_intended(result: dict, signal: str) -> bool:
    """Found, and every finding an intention (hedged) or not counted at all."""
    findings = found(result, signal)
    return bool(findings) and all(e["hedged"] or not e.get("counted", True) for e in findings)


def test_may_as_a_maybe_still_hedges():
    assert only_intended(classify("Members may be paid for their time next year."), "paid-for-time")
    assert only_intended(classify("The 12 may be paid for their time."), "paid-for-time")


def test_not_being_able_to_book_online_is_access_not_a_choice_refused():
    result = classify("Some carers were not able to book online.")
    assert not any(e["negated"] for e in found(result, "voluntary"))
    assert result["rung"] != "coercion"


def test_may_the_month_does_not_make_a_fact_a_maybe():
    result = classify("In May the practice sent every patient a survey about opening hours.")
    assert found(result, "asked-for-views")
    assert not any(e["hedged"] for e in found(result, "asked-for-views"))


def test_a_recommendation_is_not_what_was_done():
    said = "The council should set out how tenants will take part and report back on what changed."
    assert only_intended(classify(said), "told-what-changed")
