"""General reading rules of issue 3, round 4: the misreadings behind misses of two rungs or
more. A date is not a start of involvement; being briefed on a decision is being told; a
consultation named by someone else is a label; a workshop to shape something does not
teach; the end of a group's role after sign-off is not a decision made before it came in;
a missed session without consequence is not compulsion. Every sentence here was written
for these tests, from the ladder's definitions, not copied from a development set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- When: a date is not the start of involvement ----------------------------------------

def test_a_change_from_the_start_of_a_term_or_year_is_a_date_not_involvement():
    for when in ("the start of next term", "the beginning of the new financial year",
                 "the start of April", "the beginning of the school year"):
        result = classify(f"The library will close on Sundays from {when}.")
        assert not found(result, "from-the-start"), when
    assert scored(classify("Carers were involved from the start of the project."), "from-the-start")


# ---- Told: briefed on a decision -----------------------------------------------------------

def test_being_briefed_on_a_decision_is_being_told_about_it():
    result = classify("The tenants' panel chair was briefed on the closure a week later.")
    assert scored(result, "told-about-decisions")
    result = classify("Youth workers were briefed about the new opening hours in May.")
    assert scored(result, "told-about-decisions")


def test_a_board_taking_the_decision_to_stop_a_service_decided_before_anyone_came_in():
    result = classify("The hospital board took the decision to suspend the night clinic in March.")
    assert scored(result, "decision-already-made")


# ---- Asked: a consultation in name only ----------------------------------------------------

def test_a_consultation_someone_else_calls_it_is_a_label_not_a_fact():
    result = classify('The council has described the two roadshows as "consultation" with residents.')
    assert not scored(result, "named-consultation")
    result = classify("Calling these briefings a consultation does not make them one.")
    assert not scored(result, "named-consultation")
    assert scored(classify("Residents responded to the consultation on the parking plan."),
                   "named-consultation")


def test_no_questions_invited_means_views_not_sought():
    result = classify("At the briefing no questions were taken from the floor.")
    assert scored(result, "views-not-sought")


# ---- Taught: a workshop to shape something does not teach ------------------------------------

def test_a_workshop_to_help_shape_a_service_is_not_teaching():
    for aim in ("shape", "design", "plan", "decide"):
        result = classify(f"We ran a workshop to help {aim} the new respite service.")
        assert not found(result, "taught"), aim
    assert scored(classify("The workshop helps parents understand how the benefit works."), "taught")


# ---- Ended: a role that ends at sign-off ------------------------------------------------------

def test_a_groups_role_on_a_project_coming_to_an_end_is_involvement_ended():
    result = classify("The panel's role on the bridge project came to an end in June.")
    assert [e for e in found(result, "involvement-ended") if not e["negated"]]


def test_a_role_ending_once_a_design_was_signed_off_is_not_a_decision_made_before():
    result = classify("Once the play area design was signed off, the parents' role ended.")
    assert not scored(result, "decision-already-made")
    result = classify("Once the play area design was signed off, parents were invited to comment.")
    assert scored(result, "decision-already-made")


# ---- Compulsion: missing a session without consequence ---------------------------------------

def test_missing_a_session_without_a_consequence_is_not_compulsion():
    result = classify("If you miss a week, don't worry: the tutor will help you catch up.")
    assert not scored(result, "compulsory")
    result = classify("If parents miss a session, their social worker will be told.")
    assert scored(result, "compulsory")


# ---- Asked: a poll after a course measures it --------------------------------------------------

def test_a_poll_after_a_course_reporting_what_people_gained_is_not_asking_views():
    result = classify("In a survey at the end, 64% said they felt safer using the cycle lane.")
    assert not scored(result, "asked-for-views")
    result = classify("In an online poll, 58% said they would prefer the library to open later.")
    assert scored(result, "asked-for-views")


# ---- Who decides: a vote that binds ---------------------------------------------------------

def test_voting_to_decide_how_money_is_spent_is_people_deciding():
    result = classify("Over 900 tenants voted at the annual meeting to decide how the estate fund is spent.")
    assert scored(result, "people-decide")


def test_an_organisation_bound_in_advance_or_without_a_veto_leaves_the_decision_to_people():
    result = classify("The board agreed beforehand that it would fund the chosen bids as voted.")
    assert scored(result, "people-decide")
    result = classify("Council officers have no veto over what the residents' panel picks.")
    assert scored(result, "people-decide")
