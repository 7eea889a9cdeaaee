"""General reading rules of issue 3, round 28.

From the tuning halves of the thirty-seventh set (services for mental health, for learning
disability and for autism) and the thirty-eighth (older people, unpaid carers and adult social care).
Every sentence here was written for these tests, from the ladder's definitions; none is
copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored

READ = [
    # What leaving or moving on waits for.
    ("Finishing the anger group is a precondition of discharge from the unit.", "compulsory"),
    ("The clinic cited non-completion of the induction as a reason to stop her treatment.", "compulsory"),
    # A series of talks, each on a subject of its own; practising what is taught.
    ("The dietitian runs the club, with a different topic every week.", "taught"),
    ("The officer had everyone rehearse hanging up on a cold caller.", "taught"),
    # Lay trainers delivering, and sessions co-facilitated by one of the people.
    ("Two carer facilitators run the evening course.", "involved-in-delivery"),
    ("Each workshop is co-presented by a member of the carers' group and a nurse.",
     "involved-in-delivery"),
    # Judging the work: every cohort's results; a review the people commissioned.
    ("The parent panel reviews each term's results.", "involved-in-evaluation"),
    ("The forum commissioned its own evaluation of the befriending scheme.", "involved-in-evaluation"),
    ("Members are conducting the follow-up interviews this spring.", "involved-in-evaluation"),
    # Nothing came back.
    ("It was the last the panel ever heard of the idea.", "not-told-what-changed"),
    # Changed in the light of what was heard from people trying it.
    ("Between rounds the team changed the form based on what they heard.", "influence-within-limits"),
    # What people made, used as they made it.
    ("The surgery uses the welcome sheet exactly how the patients wrote it.", "design-adopted"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # A rate of not finishing says nothing of whether finishing was required.
    ("Non-completion rose among those who worked nights.", "compulsory"),
    # Missing a dose or a payment is not missing a session.
    ("The leaflet says what to do if you miss a tablet.", "compulsory"),
    # Forms that track a course's effect on the learner ask no views of anything open.
    ("At every visit you're asked to complete a brief form so that you and your therapist can see "
     "how you are doing.", "asked-for-views"),
    # A talk series on the calendar is not a body that keeps meeting.
    ("The nurse gives the talk, with a different subject each month.", "ongoing"),
    # A report of people's suggestions is their views, not their design.
    ("I'm one of the carers on the panel. We wrote a short report with nine suggestions for the ward.",
     "involved-in-design"),
    # Supported living is a kind of service, not people supporting anyone.
    ("Members checked six supported living services this year.", "involved-in-delivery"),
    # Found reading every read rounds 27 and 28 changed (a review of the cues for false reads):
    # "did" as a helping verb is not people doing the interviewing;
    ("Carers did attend two focus groups.", "involved-in-evaluation"),
    # a survey carried out with residents is one they answered;
    ("The annual tenant survey was carried out with 900 residents.", "involved-in-evaluation"),
    # relatives visiting, and staff observing patients, are neither delivery nor views asked;
    ("Families make regular visits to residents on Sundays.", "involved-in-delivery"),
    ("Nurses make observations of every patient each hour.", "asked-for-views"),
    # the state of a patient is not a condition set on leave;
    ("The doctor checks the condition of each patient before transfer.", "compulsory"),
    # a rate of non-completion that was counted, not acted on;
    ("Non-completion recorded by the provider fell to 9% this year.", "compulsory"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not scored(classify(said), signal), said


def test_a_commissioned_contractor_is_not_taken_for_the_people():
    # "Commissioned us to review": a consultancy's words; "we" stay the writer's organisation.
    result = classify("The trust commissioned us to review its discharge letters. We rewrote the "
                      "letters.")
    assert not scored(result, "involved-in-design")


def test_people_who_led_campaigns_did_not_give_them_a_label():
    # Young people leading two campaigns is what they did; "youth-led campaign" is a name.
    assert not found(classify("The young people led two campaigns."), "label-co-production")


def test_a_figure_that_rose_does_not_stop_a_group_that_keeps_meeting():
    # Only how a problem or a figure has gone, just before "since", is its history.
    said = "Membership has doubled and the residents' forum has met monthly since 2019."
    assert scored(classify(said), "ongoing")


def test_a_charity_led_by_its_members_that_runs_projects_is_still_user_led():
    assert scored(classify("Speak Out is a youth-led charity running projects in the town."), "user-led")


def test_a_panel_choosing_a_topic_on_a_calendar_still_keeps_meeting():
    # Only "a different topic each month" is a talk series; choosing one each year goes on.
    assert scored(classify("The tenants' panel chooses one topic every year to look into."), "ongoing")


def test_both_sides_of_a_contrast_are_not_a_negation():
    # "What it is and is not": the "not" belongs to the contrast, not to the tips that follow.
    result = classify("The talk covers what a stroke is and is not, and gives practical tips for "
                      "spotting one.")
    assert counted(result, "taught")
    assert not [e for e in found(result, "taught") if e["negated"]]


def test_asked_by_an_organisation_to_make_something_the_writer_is_one_of_the_people():
    # "The library asked us to choose the new signs": we are not the library, so "we" are
    # people who use it, and what "we" did is theirs.
    result = classify("The library asked us to design the new signs. We picked the colours and "
                      "the words ourselves.")
    assert len(scored(result, "involved-in-design")) >= 2
