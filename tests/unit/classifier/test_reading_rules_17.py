"""General reading rules of issue 3, round 17, read from the sixteenth set's tuning half
(written blind, aimed at the cases read two rungs out): mothers and birth partners are people
who use services; building and trying mock-ups is designing, and what is built "is the
group's final mock-up" is their design adopted; a refresher, or brushing up, is teaching,
and how often a course is put on is a timetable, not a body that keeps meeting; attendance
"and progress" reported is compulsion, as is a plan not followed leading to court. Every
sentence here was written for these tests, from the ladder's definitions, not copied from a
set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored


def test_mothers_are_people_who_use_services():
    assert scored(classify("Mothers who had used the unit redesigned the birth rooms."), "involved-in-design")


def test_building_and_trying_mock_ups_is_designing():
    said = "Over six weekends the parents built cardboard mock-ups of the new playroom and tried them out."
    assert scored(classify(said), "involved-in-design")


def test_what_is_built_being_the_groups_final_design_is_their_design_adopted():
    assert scored(classify("The kiosks now being installed are the panel's final design."), "design-adopted")
    # The professionals' own final design is not the people's.
    assert not found(classify("The kiosks now being installed are the architects' final design."),
                     "design-adopted")


def test_a_refresher_or_brushing_up_is_teaching():
    said = "The library runs refresher sessions for anyone who wants to brush up on their computer skills."
    assert scored(classify(said), "taught")


def test_how_often_a_course_is_put_on_is_a_timetable_not_a_body_that_keeps_meeting():
    assert not found(classify("Our volunteers hold cookery classes for young parents on the first "
                              "Monday of every month."), "ongoing")
    assert scored(classify("The parents' forum meets on the first Tuesday of every month."), "ongoing")


def test_attendance_and_progress_reported_is_compulsion():
    assert scored(classify("Your attendance and progress will be reported to the review meeting."),
                  "compulsory")


def test_a_plan_not_followed_leading_to_court_is_compulsion():
    said = "If the agreement is not kept, the landlord may apply to the court for possession."
    assert scored(classify(said), "compulsory")
    # Not kept, with nothing imposed after it: no compulsion.
    assert not found(classify("Where the guidance was not followed, staff were offered more training."),
                     "compulsory")
