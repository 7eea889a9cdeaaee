"""General reading rules of issue 3, round 13, read from the twelfth set's tuning half (written
blind, aimed at the middle of the ladder): a body that meets every three weeks keeps
meeting; members presenting their views give views; a request turned down with the reasons
explained is feedback; "changes made as a result" is influence. Every sentence here was
written for these tests, from the ladder's definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored


def test_a_body_that_meets_every_three_weeks_keeps_meeting():
    result = classify("The residents' forum meets the housing manager every three weeks.")
    assert scored(result, "ongoing")


def test_members_presenting_their_views_give_views():
    result = classify("Two tenants attended the board meeting to present their views.")
    assert scored(result, "asked-for-views")


def test_a_request_turned_down_with_the_reasons_explained_is_feedback():
    result = classify("The trust decided to keep the visiting hours, and the manager explained the reasons "
                      "to the ward's patient group.")
    assert scored(result, "told-what-changed")
    # Reasons for a decision nobody asked about are not feedback on what people said.
    result = classify("The trust explained the reasons for the new visiting hours.")
    assert not found(result, "told-what-changed")


def test_changes_made_as_a_result_are_influence():
    result = classify("Members of the carers' group commented on the leaflet. Changes made as a result: "
                      "larger print and a map.")
    assert scored(result, "influence-within-limits")


def test_an_organisation_presenting_its_own_recommendations_or_changes_is_neither_views_nor_influence():
    result = classify("The council presented its recommendations to the board.")
    assert not found(result, "asked-for-views")
    result = classify("Changes made as a result of the national review include new opening hours.")
    assert not found(result, "influence-within-limits")
