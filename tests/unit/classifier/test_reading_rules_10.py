"""General reading rules of issue 3, round 10, read from the ninth set's tuning half (written
blind): minutes that name the next meeting are a body that keeps meeting, and a sentence that
opens with a pronoun is not about staff alone, whatever staff it names later; layouts set by
the people are their design, and plans that follow them with no changes adopt it; a decision
delegated to residents, with no power to change the result, is theirs; people who write the
evaluation report evaluate; every issue answered in writing, or declined with reasons, is
feedback; a preference between options is a view, and a change made as the group suggested is
influence; a view taken to the meeting that decides leaves the decision there; a patient
participation group is patients; a condition, a penalty avoided or a penalty served makes
taking part compulsory; whom a lesson taught, a household talked through a plan, and a
demonstration stand are teaching. Every sentence here was written for these tests, from the
ladder's definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- Ongoing: a standing body's calendar ---------------------------------------------------------


def test_minutes_that_name_the_next_meeting_are_a_body_that_keeps_meeting():
    minutes = ("Carers' group minutes\nPresent: nine members and the team leader.\n1. Parking.\n"
               "Next meeting: 3 June.")
    assert [e["span"]["quote"] for e in scored(classify(minutes), "ongoing")][-1] == "Next meeting"
    # Not when the words fall mid-sentence about something else.
    assert not found(classify("Carers were told about the next meeting of the board."), "ongoing")


def test_a_sentence_opening_with_a_pronoun_is_not_about_staff_alone():
    result = classify("It meets the Governor and two managers on the first Tuesday of every month.")
    assert scored(result, "ongoing")
    # With staff as the subject and nobody else named, it says nothing of people taking part.
    result = classify("The managers meet the Governor on the first Tuesday of every month.")
    assert not found(result, "ongoing")
    assert not found(classify("IT staff meet on the first Tuesday of every month."), "ongoing")


# ---- Design: set by them, and kept as they set it ------------------------------------------------


def test_layouts_set_by_the_people_are_their_design():
    result = classify("The trust agreed that the ward layout would be set by patients and carers, "
                      "not by its estates team.")
    assert scored(result, "involved-in-design")
    # Targets set by people are not a design.
    assert not found(classify("Targets for repairs were set by tenants."), "involved-in-design")


def test_plans_that_follow_their_layouts_with_no_changes_adopt_their_design():
    result = classify("The final drawings follow the residents' layouts with no changes except a wider door.")
    assert scored(result, "design-adopted")


# ---- Decisions: handed over, and binding -------------------------------------------------------


def test_a_decision_delegated_to_residents_is_theirs():
    result = classify("The board delegated the decision on the community chest to a jury of residents.")
    assert scored(result, "people-decide")


def test_a_result_the_organisation_cannot_change_is_theirs():
    for said in ("The council has no power to overturn the result.",
                 "The council agreed that the vote would be binding."):
        assert scored(classify(f"Tenants voted on the plans. {said}"), "people-decide"), said


# ---- Evaluation: writing the evaluation report -------------------------------------------------


def test_people_who_write_the_evaluation_report_evaluate():
    result = classify("Young people on the panel will visit each club after a year and write "
                      "the evaluation report.")
    assert scored(result, "involved-in-evaluation")


# ---- Feedback: answered one by one ---------------------------------------------------------------


def test_every_issue_answered_in_writing_is_feedback():
    result = classify("Patients on the forum raise issues, and every issue gets a written "
                      "reply within a month.")
    assert scored(result, "told-what-changed")


def test_requests_declined_with_reasons_given_are_feedback():
    result = classify("The forum asked for later opening; this was declined, with reasons given.")
    assert scored(result, "told-what-changed")


# ---- Views, influence and who decides, in a group's minutes ------------------------------------


def test_a_preference_between_options_is_a_view():
    result = classify("Members preferred the second design because of its larger print.")
    assert scored(result, "asked-for-views")


def test_a_change_made_as_the_group_suggested_is_influence():
    result = classify("As the parents suggested at the last meeting, the clinic now opens at eight.")
    assert scored(result, "influence-within-limits")


def test_a_view_taken_to_the_meeting_that_decides_leaves_the_decision_there():
    result = classify("The manager will take the group's view to the board meeting, which will decide.")
    assert scored(result, "organisation-decides")


def test_a_patient_participation_group_is_patients():
    result = classify("The PPG designed the new waiting room.")
    assert scored(result, "involved-in-design")


# ---- Compulsory: conditions and penalties --------------------------------------------------------


def test_a_session_that_forms_part_of_their_conditions_is_compulsory():
    result = classify("The workshop forms part of their reporting conditions.")
    assert scored(result, "compulsory")


def test_a_course_offered_instead_of_a_money_penalty_is_compulsory():
    result = classify("Cyclists stopped by officers are offered the course instead of a £50 fixed penalty.")
    assert scored(result, "compulsory")


def test_a_penalty_served_on_those_who_do_not_book_makes_it_compulsory():
    result = classify("Anyone who does not finish the module within a month is sent the "
                      "original penalty notice.")
    assert scored(result, "compulsory")


# ---- Taught: whom, how and where ----------------------------------------------------------------


def test_whom_a_lesson_taught_then_what_is_teaching():
    result = classify("The roadshow taught 4,500 children in Years 3 and 4 what to do if a dog bites.")
    assert scored(result, "taught")


def test_talking_a_household_through_a_plan_is_teaching():
    result = classify("Officers talked each household through a flood plan.")
    assert scored(result, "taught")


def test_a_demonstration_stand_is_teaching():
    result = classify("Paramedics ran demonstration stands at three markets.")
    assert scored(result, "taught")
    # A protest is not a lesson.
    assert not found(classify("Residents held a demonstration outside the town hall."), "taught")
