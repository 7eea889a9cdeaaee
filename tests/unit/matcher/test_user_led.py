"""User-led status from governance facts, against the thresholds in data/user_led.yaml."""

from __future__ import annotations

import pytest

from services.matcher.records import Governance
from services.matcher.user_led import Status, assess, rules


def status(**facts) -> Status:
    return assess(Governance(**facts)).status


@pytest.mark.parametrize(("facts", "expected"), [
    ({"governing_body_percent": 90, "staff_percent": 60, "volunteers_percent": 70,
      "social_model": True, "peer_support": True}, Status.USER_LED),
    ({"governing_body_percent": 75}, Status.USER_LED),  # the guidance is "at least 75%"
    ({"governing_body_percent": 74.9}, Status.PROBABLY_USER_LED),
    ({"governing_body_percent": 60, "self_declared_user_led": True}, Status.PROBABLY_USER_LED),
    ({"governing_body_percent": 50.1}, Status.PROBABLY_USER_LED),
    ({"governing_body_percent": 50}, Status.NOT_USER_LED),  # "more than 50%" is the minimum
    ({"governing_body_percent": 90, "staff_percent": 30}, Status.PROBABLY_USER_LED),
    ({"governing_body_percent": 90, "volunteers_percent": 49}, Status.PROBABLY_USER_LED),
    ({"governing_body_percent": 90, "social_model": False}, Status.PROBABLY_USER_LED),
    ({"governing_body_percent": 90, "peer_support": False}, Status.USER_LED),  # supporting only
    ({"self_declared_user_led": True}, Status.PROBABLY_USER_LED),
    ({}, Status.NOT_USER_LED),
    ({"self_declared_user_led": False, "social_model": True}, Status.NOT_USER_LED),
])
def test_status_follows_the_thresholds(facts, expected):
    assert status(**facts) is expected


def test_a_charity_run_for_disabled_people_is_not_user_led_even_if_it_says_so():
    verdict = assess(Governance(governing_body_percent=20, staff_percent=10, self_declared_user_led=True))
    assert verdict.status is Status.NOT_USER_LED
    assert "20% of the governing body" in verdict.reasons[0]
    assert any("Run for the people it serves rather than by them" in r for r in verdict.reasons)


def test_reasons_name_every_fact_that_counted_and_every_missing_one():
    verdict = assess(Governance(governing_body_percent=80, staff_percent=40))
    text = " ".join(verdict.reasons)
    assert "40% of staff" in text and "Short of the guidance" in text
    assert "80% of the governing body" in text
    assert "Not stated:" in text and "volunteers" in text and "social model" in text


def test_self_declared_without_facts_says_what_is_missing():
    verdict = assess(Governance(self_declared_user_led=True))
    assert verdict.status is Status.PROBABLY_USER_LED
    assert "says it is a user-led organisation" in verdict.reasons[0]
    assert "governing body" in verdict.reasons[-1]


def test_every_criterion_has_a_source_and_the_minimum_is_below_the_guidance():
    criteria = {c.id: c for c in rules().criteria}
    assert all(c.sources for c in criteria.values())
    assert criteria["governing-body-majority"].more_than == 50
    assert criteria["governing-body-guidance"].at_least == 75
    assert criteria["staff"].at_least == criteria["volunteers"].at_least == 50
