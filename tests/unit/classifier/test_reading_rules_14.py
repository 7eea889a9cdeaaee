"""General reading rules of issue 3, round 14, read from the thirteenth set's tuning half
(written blind, as short register and portal entries): a role offered is not a role taken;
quality checkers and voice-hearers are the people; a design adopted with formatting edits
only is adopted as made; an organisation with no say in who does the work has handed the
decision over. Every sentence here was written for these tests, from the ladder's
definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored


def test_a_role_offered_is_not_a_role_taken():
    result = classify("Tenants were offered a role in monitoring the new process, but the project "
                      "closed first.")
    assert not found(result, "involved-in-evaluation")
    assert not found(result, "evaluation-role")
    result = classify("Tenants have a role in monitoring the new process.")
    assert scored(result, "evaluation-role")


def test_quality_checkers_and_voice_hearers_are_the_people():
    assert scored(classify("Quality checkers designed the new visit checklist."), "involved-in-design")
    assert scored(classify("Three voice-hearers wrote the course handbook."), "involved-in-design")


def test_a_design_adopted_with_formatting_edits_only_is_adopted_as_made():
    result = classify("The college adopted it with formatting edits only.")
    assert scored(result, "design-adopted")


def test_an_organisation_with_no_say_in_who_does_the_work_has_handed_the_decision_over():
    result = classify("The council has no say in who runs each session.")
    assert scored(result, "people-decide")
