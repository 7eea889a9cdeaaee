"""General reading rules of issue 3, round 19, read from the tuning halves of the nineteenth
set (written blind in the voices of people who use services, carers and families: posts, chat
messages, testimony, Easy Read minutes, in dialect) and the twentieth (how researchers,
evaluators and commissioners write about involvement). Every sentence here was written for
these tests, from the ladder's definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored

# The writer is one of the people, so their "we" is the people's.
VOICED = [
    "I've been a tenant rep on the estate panel for two years. We chose the new door colours.",
    "I was one of the carers who planned the respite house. We chose the furniture.",
    "Parent, 34, quoted in the review:\n\"We chose the pictures for the welcome pack.\"",
    "Twenty of us from the flats spent the winter on it. We chose the play equipment.",
]


@pytest.mark.parametrize("said", VOICED)
def test_a_writer_who_says_they_are_one_of_the_people_speaks_for_them(said):
    assert scored(classify(said), "involved-in-design"), said


def test_named_to_a_lay_role_the_writer_is_one_of_the_people():
    said = "I was named as the lay co-applicant on the grant. We chose the outcome measures."
    assert scored(classify(said), "involved-in-design")


READ = [
    ("We literally started with blank paper.", "from-the-start"),
    ("Nothing decided yet, the planner said.", "before-decisions"),
    ("Glad you're asking before it's decided.", "asked-for-views"),
    ("Glad you're asking before it's decided.", "before-decisions"),
    ("The new layout was decided months ago.", "decision-already-made"),
    ("About forty neighbours did a Planning for Real weekend in the church hall.", "involved-in-design"),
    ("I'm a parent carer. The designers drew up exactly what we'd put on the model.", "design-adopted"),
    ("The museum built it just like the children's drawings.", "design-adopted"),
    ("The trial team showed us the leaflet and asked what we thought.", "asked-for-views"),
    ("Or there is an online consultation until Friday.", "asked-for-views"),
    ("My involvement was one meeting on Zoom.", "one-off"),
    ("We meet the ward manager and the matron every fortnight.", "ongoing"),
    ("The termly meetings with the transport team carry on.", "ongoing"),
    ("At least they keep coming back to us.", "ongoing"),
    ("They moved the clinic to Saturday mornings because of us.", "influence-within-limits"),
    ("Anything about staffing is not on the table.", "influence-within-limits"),
    ("The minutes go round with what's agreed and what's not.", "told-what-changed"),
    ("They said the timetable is policy and it's the council's call.", "organisation-decides"),
    ("She said it was about keeping us informed.", "told-about-decisions"),
    ("The engineer showed us what the warning lights mean.", "taught"),
    # Compulsion in a pupil's words, and in Scots.
    ("So it's not really a choice.", "compulsory"),
    ("I had to do four mornings in the unit before I was allowed back.", "compulsory"),
    ("If I didnae complete them, my exclusion would get longer.", "compulsory"),
    ("Twelve young people on referral orders attended.", "compulsory"),
    ("The panel writes the course into each young person's order.", "compulsory"),
    # A free choice, in a research information sheet.
    ("It is up to you.", "voluntary"),
    ("Saying no will not affect your benefits.", "voluntary"),
    # Views, while still open, and the answers to them.
    ("We want to hear from parents and carers.", "asked-for-views"),
    ("The draft strategy is now open for consultation until May.", "before-decisions"),
    ("A table of comments with the group's responses will be published.", "told-what-changed"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    ("Did anyone get asked what we thought?", "asked-for-views"),
    ("Worth going to the next one if you missed it.", "compulsory"),
    ("Do I have to take part? No.", "compulsory"),
    ("Of course, the cafe stays open late.", "taught"),
    ("The new homes back onto the golf course.", "taught"),
    # Who decides after the consultation, not a question already closed.
    ("The panel's decisions on changes are final.", "nothing-open-to-change"),
    # A survey before and after a campaign measures its effect; it asks no views.
    ("We ran a pre/post household survey of knowledge.", "asked-for-views"),
    # "Our" drawings, in an organisation's voice, are its own.
    ("The contractor built it exactly like our drawings.", "design-adopted"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not counted(classify(said), signal), said


@pytest.mark.parametrize("said", ["The council didnae ask us for our views.",
                                  "The council dinnae ask us for our views."])
def test_scots_negation_turns_a_cue_round(said):
    assert [e for e in found(classify(said), "asked-for-views") if e["negated"]]


def test_not_negotiable_does_not_turn_round_what_follows_it():
    said = "Attendance is not negotiable, and non-attendance can lead to a return to court."
    result = classify(said)
    assert scored(result, "compulsory")
    assert not [e for e in found(result, "compulsory") if e["negated"]]
