"""General reading rules of issue 3, round 5, read from the fifth set's tuning half (written
blind): a questionnaire that measures a course, or rates the course just taken, asks no views
of anything still open; "told us they had found work" is an outcome, not a view; starting a
course is attending it; skills listed as a course's content are teaching; "did the
evaluation" is evaluating; what the writers plan to do next is not a fact. Every sentence
here was written for these tests, from the ladder's definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- Asked: measuring or rating a course is not consulting ---------------------------------

def test_a_questionnaire_that_measures_a_course_asks_no_views():
    for purpose in ("at the start and end so we can measure changes in their sleep",
                    "to track progress over the twelve weeks",
                    "at the end of the course"):
        result = classify(f"Learners complete a short questionnaire {purpose}.")
        assert not scored(result, "asked-for-views"), purpose
    assert scored(classify("Tenants were asked to complete a questionnaire about the new repairs contract."),
                  "asked-for-views")


def test_feedback_on_an_evaluation_form_rates_the_course_just_taken():
    result = classify("Parents can give feedback on the evaluation form handed out after the class.")
    assert not scored(result, "asked-for-views")
    assert scored(classify("Parents gave feedback on the draft timetable."), "asked-for-views")


def test_an_outcome_people_report_is_not_a_view_asked_for():
    result = classify("Of the 40 carers who came, 12 told us they had found paid work since.")
    assert not scored(result, "asked-for-views")
    result = classify("Carers told us what they wanted from the respite service.")
    assert scored(result, "asked-for-views")


# ---- Planning: starting a course is attending it ---------------------------------------------

def test_people_who_started_a_course_attended_it_and_did_not_plan_it():
    result = classify("Last year 200 people started the programme and most finished it.")
    assert not found(result, "involved-in-planning")
    assert scored(classify("Parents started the group in 2019 after the play scheme closed."),
                  "involved-in-planning")


# ---- Taught: a course's content listed as skills -----------------------------------------------

def test_skills_listed_as_what_sessions_cover_are_taught():
    result = classify("The sessions cover budgeting basics, reading energy bills and switching supplier.")
    assert scored(result, "taught")


# ---- Evaluation: doing it ----------------------------------------------------------------------

def test_people_who_did_the_evaluation_took_part_in_evaluation():
    result = classify("The young people did the evaluation themselves, with a researcher's help.")
    assert scored(result, "involved-in-evaluation")


# ---- Facts: what the writers plan to do next ------------------------------------------------

def test_what_the_writers_plan_to_do_next_is_not_a_fact():
    result = classify("Next, we plan to apply for a grant for a larger trial with a lived experience "
                      "advisory group involved from the outset.")
    assert not scored(result, "from-the-start")
    assert scored(classify("A lived experience advisory group was involved from the outset."),
                  "from-the-start")
