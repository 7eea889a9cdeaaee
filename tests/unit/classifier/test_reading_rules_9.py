"""General reading rules of issue 3, round 9, read from the eighth set's tuning half (written
blind): being told about something is not giving views; a writer who left care, or stayed
in the service, speaks as one of the people; reviewing a layout is commenting, not
evaluating; a quiz, a certificate or "we learned three rules" is a lesson; no time for the
say item is no views asked; working with the engineers from the first stage is design; a
plan approved, unchanged, is the design adopted; before the brief was written is before
the decisions. Every sentence here was written for these tests, from the ladder's
definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- Asked: being told is not telling -------------------------------------------------------------


def test_someone_telling_people_about_a_topic_asks_no_views():
    assert not found(classify("A nurse came and told us about the flu jab."), "asked-for-views")
    assert scored(classify("Residents told us about the damp in their flats."), "asked-for-views")


def test_no_time_for_the_say_item_means_no_views_were_asked():
    result = classify("There was no time for the 'Your Say' part of the meeting in March.")
    assert scored(result, "views-not-sought")


# ---- Voice: the writer's own time in care or in the service ----------------------------------------


def test_a_writer_who_left_care_speaks_as_one_of_the_people():
    result = classify("I left care three years ago. We wrote the new guide for care leavers ourselves.")
    assert scored(result, "involved-in-design")
    # The same words from an organisation are its staff writing.
    assert not found(classify("We wrote the new guide for care leavers ourselves."), "involved-in-design")


# ---- Evaluation: reviewing a draft is commenting ----------------------------------------------------


def test_reviewing_a_layout_is_not_evaluating():
    result = classify("The tenants met the architects, and they also reviewed the layout of the hall.")
    assert not found(result, "involved-in-evaluation")
    result = classify("The tenants met the managers each quarter, and they reviewed the results.")
    assert scored(result, "involved-in-evaluation")


# ---- Taught: lessons and their signs -----------------------------------------------------------


def test_a_quiz_a_certificate_and_rules_learned_are_a_lesson():
    for said in ("We learned three rules about passwords.", "We did a quiz at the end.",
                 "Everyone got a certificate."):
        assert scored(classify(f"The police came to our group. {said}"), "taught"), said


# ---- Design: from the first stage, and adopted unchanged ----------------------------------------------


def test_people_who_worked_with_the_engineers_from_the_first_stage_took_part_in_design():
    result = classify("A panel of disabled passengers worked with the engineers from the first stage.")
    assert scored(result, "involved-in-design")


def test_a_layout_approved_unchanged_is_the_design_adopted():
    result = classify("Residents drew the layout, which became the plan the council approved, unchanged.")
    assert scored(result, "design-adopted")


def test_before_the_brief_was_written_is_before_the_decisions():
    result = classify("Parents joined before the architect's brief had been written.")
    assert scored(result, "before-decisions")
