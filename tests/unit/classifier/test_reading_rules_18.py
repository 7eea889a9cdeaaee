"""General reading rules of issue 3, round 18, read from the tuning halves of the seventeenth
set (written blind in the institutions and jargon of the four nations, aimed at the cases read
two rungs out) and the eighteenth (mixed documents: forms, reports and letters describing more
than one activity). Every sentence here was written for these tests, from the ladder's
definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored

READ = [
    # Who the people are: relatives, prisoners and their representatives, resident champions.
    ("Relatives were told about the new visiting hours in a letter.", "told-about-decisions"),
    ("The Prisoners' Council meets monthly with the governor.", "ongoing"),
    ("Twelve community health champions run the walking groups.", "involved-in-delivery"),
    # Before anything was decided: from scratch; before the professionals drew or wrote a thing.
    ("The parents planned the sessions from scratch.", "from-the-start"),
    ("Residents set out what the garden needed before the council drafted a word.", "from-the-start"),
    ("We were asked to plan the reception area before they brought the architects in.", "from-the-start"),
    # Design: "they set" the questions; a design built almost exactly as drawn; adopted unchanged.
    ("The members met for a year and they set the criteria for the new grants.", "involved-in-design"),
    ("I'm a parent carer. The contractors built it almost exactly how we drew it.", "design-adopted"),
    ("The board approved the carers' charter unchanged.", "design-adopted"),
    # Delivery, evaluation and pay shared with staff.
    ("Peer mentors are employed on the same pay band as support workers.", "paid-for-time"),
    ("Course reviews are carried out by students and tutors together.", "involved-in-evaluation"),
    ("Residents and the council's senior estates officer carry out a joint review every spring.",
     "involved-in-evaluation"),
    # Teaching.
    ("You'll learn what a stroke is and what to do when you see the signs.", "taught"),
    ("Everyone who finishes the six weeks receives a certificate.", "taught"),
    ("Test yourself with our two-minute quiz on knife crime.", "taught"),
    ("The average quiz score went up from 6 to 9.", "taught"),
    ("Drop-in sessions for parents and grandparents on what to do when a baby will not settle.", "taught"),
    ("A money adviser will take you through budgeting and your first rent statement.", "taught"),
    ("It teaches what the numbers on a blood test mean.", "taught"),
    # A free choice.
    ("No referral is needed: just turn up on the day.", "voluntary"),
    ("The group is not part of any court order or licence condition.", "voluntary"),
    # Already decided.
    ("Residents heard about the closure after the board had met.", "decision-already-made"),
    ("The scheme has been approved and the contract awarded.", "decision-already-made"),
    ("Planning permission for the 200 homes and the health centre was granted in May.",
     "decision-already-made"),
    ("The exhibition boards were showing the approved layout.", "decision-already-made"),
    ("The route cannot now be changed.", "nothing-open-to-change"),
    ("The manager said there was no scope to alter the rota.", "nothing-open-to-change"),
    # Views, and who decides on them.
    ("Tables of residents came up with ideas for the square.", "asked-for-views"),
    ("Officers will bring options to the portfolio holder, who will decide in June.", "organisation-decides"),
    # Influence within limits the organisation sets.
    ("Their suggestion of later opening on Thursdays was adopted.", "influence-within-limits"),
    ("The patients' choices were adopted for the colours and the signs.", "influence-within-limits"),
    ("The leaflet photographs were replaced after the panel said they were stigmatising.",
     "influence-within-limits"),
    ("The request for a second lift was outside the remit of the group.", "influence-within-limits"),
    # Feedback on what changed.
    ("Each meeting begins with a note of how the previous comments had been handled.", "told-what-changed"),
    ("A summary of changes was shared with the forum at its last meeting.", "told-what-changed"),
    ("Pupils get a 'what happened' update in assembly every half term.", "told-what-changed"),
    ("The council keeps a tracker of previous issues, with a response for each.", "told-what-changed"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # The people asking the organisation is not the organisation asking for their views.
    ("We have asked the Trust to tell us when the service will be reviewed.", "asked-for-views"),
    # A form that rates the course just taken asks no views of anything still open.
    ("At the end we'll ask you to fill in a short form, so we know how useful the course was.",
     "asked-for-views"),
    ("Everyone is asked to fill in a feedback form on the last day.", "asked-for-views"),
    # Ideas taken forward are not a decision taken before people came in.
    ("They were told which of their ideas had been taken forward.", "decision-already-made"),
    # What the organisation had not yet done when people came in.
    ("Tenants wrote the standards before officers drafted a single line.", "designed-by-others"),
    # Agreeing to take part, in a byline that is not a service user's, is no participant voice:
    # the organisation's "we" stays the organisation.
    ("By Jane Hill, who used to manage the service\nWe chose the furniture.", "involved-in-design"),
    ("I have been a member of staff on the ward for ten years. We chose the new menu.", "involved-in-design"),
    ("Four of us met with the tenants' panel in March. We chose the new menu.", "involved-in-design"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not counted(classify(said), signal), said


def test_a_byline_naming_the_writer_as_a_service_user_makes_their_we_the_people():
    said = "By Kerry, who uses the day centre\nWe chose the furniture and wrote the signs."
    assert scored(classify(said), "involved-in-design")
    said = "The manager asked if some of us would plan the garden. We drew the beds and paths."
    assert scored(classify(said), "involved-in-design")


def test_no_evidence_that_denies_the_rest_of_its_clause():
    said = "We found no evidence that residents or their families had been asked for their views."
    assert [e for e in found(classify(said), "asked-for-views") if e["negated"]]


def test_a_recommendation_is_not_what_was_done():
    assert not scored(classify("The provider should make sure that residents choose the menu each month."),
                      "involved-in-design")
    assert not scored(classify("This should include seeking people's views before changes are made."),
                      "asked-for-views")
