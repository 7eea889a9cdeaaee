"""General reading rules of issue 3, round 20, read from the tuning halves of the
twenty-first set (written blind as contrast pairs: the same project twice, one deciding fact
changed) and the twenty-second (very short texts: register fields, posts, notices). Every
sentence here was written for these tests, from the ladder's definitions, not copied from a
set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, scored

READ = [
    # Shown what is finished, and not open to change.
    ("Tenants were invited to a showcase of the new bathroom designs.", "told-about-decisions"),
    ("Officers said the layout will not change.", "nothing-open-to-change"),
    ("The ward's advisory group was formed before the refurbishment options were drawn up.",
     "before-decisions"),
    # Participatory budgeting in few words.
    ("1,400 residents voted on how to spend the £80k neighbourhood pot.", "people-decide"),
    ("The council funds each winning bid exactly as residents voted.", "people-decide"),
    # Peer research and joint work.
    ("Carers are interviewing carers for the evaluation.", "involved-in-evaluation"),
    ("Joint patient-staff workshops met monthly.", "work-alongside"),
    ("The small design groups produced five changes, all implemented by the hospital.", "design-adopted"),
    # Influence, and the answers to it.
    ("We made 4 of your 7 changes to the leaflet.", "influence-within-limits"),
    ("3 of 5 recommendations accepted by the board.", "influence-within-limits"),
    ("Because of them we've changed how detentions work.", "influence-within-limits"),
    ("The note explains why not the rest.", "told-what-changed"),
    ("Four of six recommendations accepted, written reply to each.", "told-what-changed"),
    ("Each week we tell them what we've done about it.", "told-what-changed"),
    # Views asked: in short texts too.
    ("Thank you for all your comments on the draft timetable.", "asked-for-views"),
    ("We've got loads of ideas on post-its from Saturday.", "asked-for-views"),
    ("A member of our team will ask you what was easy or hard to use.", "asked-for-views"),
    # Who decides.
    ("Uniform was kept by the governors, who still make the decisions.", "organisation-decides"),
    # Ongoing.
    ("The tenant scrutiny panel reviews repairs data quarterly.", "ongoing"),
    ("The group meets every Wednesday in period 5.", "ongoing"),
    ("Thanks for your comments. Next meeting 4 June.", "ongoing"),
    # Teaching.
    ("A trainer will show you, step by step, how to top up your card.", "taught"),
    ("You can practise on a demonstration machine until you feel confident.", "taught"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # Trying out a prototype is testing it, not designing it.
    ("You can try a prototype machine at the station.", "involved-in-design"),
    # A questionnaire people wrote is not one they answered.
    ("The parents designed the questionnaire.", "asked-for-views"),
    ("The parents designed the questionnaire.", "one-off"),
    # What a review of this round found the new cues misread, and must not.
    ("When you apply, we will ask you for proof of address.", "asked-for-views"),
    ("The panel is made up of tenants, who make the decisions about which bids are funded.",
     "organisation-decides"),
    ("The layout will not change without residents' agreement.", "nothing-open-to-change"),
    ("The county council reports its performance figures quarterly.", "ongoing"),
    ("The survey asked for a response to each option.", "told-what-changed"),
    ("The Youth Council unveiled its manifesto at City Hall.", "told-about-decisions"),
    ("The officer working group proposed five changes, all accepted by cabinet.", "design-adopted"),
    ("The trust made 40 of them redundant.", "influence-within-limits"),
    ("We are a GP practice with a training doctor every year.", "taught"),
    ("The supplier developed a prototype app for residents to try.", "involved-in-design"),
    ("Thank you for your feedback. Your complaint has been passed to the service manager.",
     "asked-for-views"),
    ("The design the young people drew was approved by the council's cabinet in May.",
     "decision-already-made"),
]


def test_a_survey_the_organisation_developed_still_asks_views():
    assert scored(classify("We developed an online survey and 300 tenants replied."), "asked-for-views")


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not counted(classify(said), signal), said


def test_a_date_next_year_is_not_an_intention():
    said = "Winning groups run their projects and report back at next year's vote."
    result = classify(said)
    assert scored(result, "involved-in-delivery")
    assert not [e for e in result["evidence"] if e["signal"] == "text/involved-in-delivery" and e["hedged"]]
