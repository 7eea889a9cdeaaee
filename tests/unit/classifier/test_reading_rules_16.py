"""General reading rules of issue 3, round 16, read from the fifteenth set's tuning half
(written blind, a balanced sample in many voices): a participant who counts the group
("there were six of us, all carers") writes as one of the people; starting from an empty
room is starting before anything was decided; "they built it how we designed it" is a design
adopted; agreeing to take part ("I said yes") gives no views; an agenda item "for
information" tells, and "no change possible" closes a question; a panel that "met three times
this quarter" meets at a rate, and one with next quarter's work set goes on; "made seven
recommendations. The director agreed five" is influence within limits; the panel's report
published with the organisation's response is feedback. Every sentence here was written for
these tests, from the ladder's definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored


def test_a_participant_who_counts_the_group_writes_as_one_of_the_people():
    said = ("There were six of us, all carers of people with dementia. "
            "We chose the furniture and wrote the signs for the day centre.")
    assert scored(classify(said), "involved-in-design")
    # The organisation's own "we" is not read as the people.
    assert not found(classify("We chose the furniture and wrote the signs for the day centre."),
                     "involved-in-design")


def test_starting_from_an_empty_room_is_starting_before_anything_was_decided():
    assert scored(classify("The architects started from a blank site and asked the tenants' group "
                           "what the hall should hold."), "from-the-start")


def test_built_how_the_people_designed_it_is_their_design_adopted():
    said = ("I'm one of the parents who planned the new play area. "
            "The council built it how we designed it.")
    assert scored(classify(said), "design-adopted")
    assert scored(classify("The young people drew the garden, and the contractor laid it out "
                           "the way they drew it."), "design-adopted")


def test_agreeing_to_take_part_gives_no_views():
    said = "I'm a carer. When the hospital asked me to join the group, I said yes straight away."
    assert not [e for e in found(classify(said), "asked-for-views")
                if e["span"]["quote"].lower().endswith("said")]


@pytest.mark.parametrize("said", [
    "3. New allocations policy, as agreed by the Board in May (for information: Lettings Manager)",
    "Item 5. Revised opening hours (for noting)",
])
def test_an_agenda_item_for_information_tells_people_about_a_decision(said):
    assert scored(classify(said), "told-about-decisions"), said


def test_for_information_in_a_contact_line_is_not_an_agenda_item():
    assert not found(classify("For information: call the office on 01234 567890."), "told-about-decisions")
    # An item marked for information after a colon, as agenda status lines are.
    assert scored(classify("Item 6, new parking permits. Status: for information"), "told-about-decisions")


def test_no_change_possible_closes_the_question():
    assert scored(classify("Response: the route is fixed by the funding agreement; no change possible."),
                  "nothing-open-to-change")


def test_a_panel_that_meets_at_a_rate_is_ongoing_not_a_short_series():
    result = classify("The Service Users' Panel met four times this year to look at repairs.")
    assert scored(result, "ongoing")
    assert not found(result, "short-series")
    # Met a few times, with no period it repeats in: a short series still.
    assert found(classify("The tenants' panel met three times to look at repairs."), "short-series")


def test_work_set_for_next_quarter_shows_a_body_that_goes_on():
    assert scored(classify("Next quarter the Panel will look at how complaints are handled."), "ongoing")


def test_some_of_the_recommendations_agreed_is_influence_within_limits():
    said = ("The residents' forum made nine recommendations. The Head of Housing agreed six, "
            "including a named officer for each block.")
    assert scored(classify(said), "influence-within-limits")


def test_the_peoples_report_published_with_the_response_is_feedback():
    said = "You can read the panel's full report and our response on the website."
    assert counted(classify(said), "told-what-changed")
