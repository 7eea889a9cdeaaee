"""General reading rules of issue 3, round 11, read from the tenth set's tuning half (written
blind, as published case studies): two things fixed together leave nothing open; a group
that met nine times keeps meeting; a maternity and neonatal voices partnership is parents;
running a survey is asking views, not delivering the service; reviewing a draft is
commenting, however far the subject; a cookery demonstration or a talk on a condition's
risks is a lesson; asking staff to tell families about something asks no views; a feedback
form at the end of a course rates the course; a behaviour policy's sanctions are not a
penalty for not taking part; a co-chair named in a quote's attribution is the speaker's
title. Every sentence here was written for these tests, from the ladder's definitions, not
copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- Decisions: fixed before anyone came in ----------------------------------------------------


def test_two_things_fixed_together_leave_nothing_open():
    result = classify("Under the funding terms, the route and budget are fixed.")
    assert scored(result, "nothing-open-to-change")


# ---- Ongoing and who people are ----------------------------------------------------------------


def test_a_group_that_met_nine_times_keeps_meeting():
    result = classify("Tenant members met with the repairs team nine times over a year.")
    assert scored(result, "ongoing")


def test_a_maternity_and_neonatal_voices_partnership_is_parents():
    result = classify("The MNVP designed the new signs for the labour ward.")
    assert scored(result, "involved-in-design")


# ---- Delivery and evaluation: what it is not --------------------------------------------------


def test_running_a_survey_is_asking_views_not_delivering_the_service():
    result = classify("The carers' forum ran a survey of its members about respite.")
    assert not found(result, "involved-in-delivery")
    assert scored(result, "asked-for-views")
    assert scored(classify("The carers' forum ran the respite service."), "involved-in-delivery")


def test_reviewing_a_draft_is_commenting_however_far_the_subject():
    result = classify("Parents on the forum met most months, and in March reviewed the draft pages.")
    assert not found(result, "involved-in-evaluation")
    result = classify("Parents on the forum met most months, and in March reviewed the results.")
    assert scored(result, "involved-in-evaluation")


# ---- Taught: demonstrations and health talks ---------------------------------------------------


def test_a_cookery_demonstration_is_a_lesson():
    assert scored(classify("A dietitian gave a cookery demonstration at the mosque."), "taught")


def test_a_talk_on_a_conditions_risks_is_a_lesson():
    result = classify("A nurse gave a short talk on the risk factors for stroke.")
    assert scored(result, "taught")


# ---- Views: asked of whom, and when ------------------------------------------------------------


def test_asking_staff_to_tell_families_about_something_asks_no_views():
    result = classify("We asked midwives to tell every family about the new clinic.")
    assert not found(result, "asked-for-views")
    result = classify("We asked families to tell us what the new clinic should offer.")
    assert scored(result, "asked-for-views")


def test_a_feedback_form_at_the_end_of_a_course_rates_the_course():
    result = classify("At the end of the course, every learner completes a feedback form.")
    assert not found(result, "asked-for-views")
    # A form in the middle of a project, asking what to change, is asking views.
    result = classify("Every learner completes a feedback form on what the course should change.")
    assert scored(result, "asked-for-views")


# ---- Compulsion: a penalty for not taking part -------------------------------------------------


def test_a_behaviour_policys_sanctions_are_not_a_penalty_for_taking_part():
    result = classify("Pupils commented on the draft sanctions ladder in the new behaviour policy.")
    assert not found(result, "compulsory")
    result = classify("Claimants who miss the workshop face a sanction.")
    assert scored(result, "compulsory")


# ---- Leadership: who spoke, not who leads -----------------------------------------------------


def test_a_co_chair_named_in_a_quotes_attribution_is_the_speakers_title():
    result = classify('"We were in the room every month." – Forum Co-Chair')
    assert not found(result, "shared-leadership")
    result = classify("The board is co-chaired by a parent and the director.")
    assert scored(result, "shared-leadership")
