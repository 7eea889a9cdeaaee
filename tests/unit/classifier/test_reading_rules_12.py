"""General reading rules of issue 3, round 12, read from the eleventh set's tuning half
(written blind, as reports by someone other than the organisation: evaluations, inspections,
news, letters, FOI answers): a negation does not reach past a comma and a new subject; what a
practice means in general ("the usual definition of co-production, in which...") is not
what the project did; "14 staff" is people, not a verb; no say in decisions is about power,
not compulsion; a written response to each issue, or reasons explained to the group, is
feedback; a board accepting six of the recommendations is influence; examining performance
data is evaluating; a corporate parenting panel is councillors, not the people. Every
sentence here was written for these tests, from the ladder's definitions, not copied from
a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, counted, found, scored

# ---- Negation and framing: whose clause, and whether it happened ---------------------------------


def test_a_negation_does_not_reach_past_a_comma_and_a_new_subject():
    result = classify("No referral is needed, and learners may leave the course at any time.")
    assert counted(result, "voluntary")
    # Within the same subject's clause it still turns the words round.
    result = classify("No learners may leave the course before the end.")
    assert not counted(result, "voluntary")
    # "it" and "you" start a clause too (added after round 23's review).
    result = classify("Nobody's made to come, it's up to them.")
    quotes = [e["span"]["quote"] for e in counted(result, "voluntary")]
    assert quotes == ["Nobody's made to come", "it's up to them"]
    assert result["rung"] != "coercion"
    result = classify("The plan was not written by officers, it was drawn up by tenants.")
    assert counted(result, "involved-in-design")


def test_what_a_practice_means_in_general_is_not_what_the_project_did():
    result = classify("It does not meet the usual definition of co-production, in which power is "
                      "shared from planning through to delivery and evaluation.")
    assert not scored(result, "whole-cycle")
    result = classify("Full EBCD involves patients and staff designing improvements together.")
    assert not scored(result, "involved-in-design")
    result = classify("Patients and staff designed the improvements together.")
    assert scored(result, "involved-in-design")


def test_staff_counted_beside_people_are_people_not_a_verb():
    result = classify("We interviewed 11 patients or relatives and 14 staff, over 20 months.")
    assert not found(result, "involved-in-delivery")
    result = classify("Volunteers with lived experience staff the café every day.")
    assert scored(result, "involved-in-delivery")


# ---- Power: a say in decisions, and answers to what people raised ---------------------------------


def test_no_say_in_decisions_is_about_power_not_compulsion():
    result = classify("Parents had no say in decisions about the building.")
    assert not found(result, "compulsory")
    result = classify("Parents had no say in whether they attend the course.")
    assert scored(result, "compulsory")


def test_a_written_response_to_each_issue_is_feedback():
    result = classify("The panel gives the council a written response to each issue raised.")
    assert scored(result, "told-what-changed")


def test_reasons_explained_to_the_group_are_feedback():
    result = classify("The director will explain the reasons to the tenants' panel in writing.")
    assert scored(result, "told-what-changed")


def test_a_board_accepting_six_recommendations_is_influence():
    result = classify("The Board agreed to accept six recommendations in full.")
    assert scored(result, "influence-within-limits")


# ---- Evaluation and who the people are ------------------------------------------------------------


def test_examining_performance_data_is_evaluating():
    result = classify("Tenants on the scrutiny panel examined performance data on repairs.")
    assert scored(result, "involved-in-evaluation")


def test_a_corporate_parenting_panel_is_not_the_people():
    result = classify("The corporate parenting panel sets the agenda for each meeting.")
    assert not found(result, "involved-in-planning")
