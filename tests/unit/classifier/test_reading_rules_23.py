"""General reading rules of issue 3, round 23, read from the tuning halves of the
twenty-seventh set (digital, data and research settings) and the twenty-eighth (spoken and
informal words: transcripts, posts, messages, a councillor's speech). Every sentence here
was written for these tests, from the ladder's definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, found, scored

READ = [
    # Asked, in the passive and as a purpose.
    ("Tenants were asked which repairs mattered most to them.", "asked-for-views"),
    ("Carers were asked to rank the five options in order.", "asked-for-views"),
    ("The aim of the evening is to get views on the two layouts.", "asked-for-views"),
    # Nothing more to come after the one meeting.
    ("We met the panel in May. No further meetings are planned.", "one-off"),
    # A small sum to each person is pay for their time.
    ("Each parent received a £15 voucher and their bus fare.", "paid-for-time"),
    # The other road is prosecution, however it is said.
    ("Finish the course or the case is referred back to the fiscal.", "compulsory"),
    ("To be fair she's no got much choice about going.", "compulsory"),
    # Everyone comes because they want to.
    ("Folk turn up because they want to and nobody is forced to.", "voluntary"),
    # Told flatly that the decision is made, or taken on a date.
    ("I'll be straight with you: the decision is made.", "decision-already-made"),
    ("Trustees took that decision on the 3rd of June.", "decision-already-made"),
    ("The executive took this decision on 14 October.", "decision-already-made"),
    # Asked to lay out the service themselves, and what opened is what they drew.
    ("The trust asked patients to draw up the new pathway.", "involved-in-design"),
    ("The garden that opened last spring is what the residents planned.", "design-adopted"),
    # The design group's part ended with the design, however it is worded.
    ("Parents designed the new play space, and the forum's remit ended in June.", "involvement-ended"),
    ("Young people designed the app but have no part in the management or evaluation of it.",
     "involvement-ended"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # Opting out of a record or of data sharing, or a question, is no choice to take part.
    ("Patients may opt out of data sharing by calling the practice.", "voluntary"),
    ("Can I opt out? Ring the records office to ask.", "voluntary"),
    # Not wanting one's own information used is not a view refused.
    ("If you do not want your son's records used, tell the clinic.", "views-not-sought"),
    # Showing people what is happening is news, not a lesson.
    ("Staff were at the library to show residents what is happening to the roads.", "taught"),
    # A note to oneself is not a notice to the public.
    ("Remind me to ring the printers on Monday.", "told-about-decisions"),
    # Reviewing a document is commenting on it, not evaluating the service, and not being told.
    ("Four patients were paid to review the consent form for the trial.", "involved-in-evaluation"),
    ("Two carers helped us redraft the information leaflet.", "told-about-decisions"),
    # An organisation's grant is not pay; nor is a decision that waits on something.
    ("The charity received a £40,000 payment from the lottery fund.", "paid-for-time"),
    ("If the decision is made in March, residents will hear first.", "decision-already-made"),
    ("The decision taken by the tenants' vote is final.", "decision-already-made"),
    # The organisation asking its contractors to design is not people designing.
    ("The council asked the architects to draw up the new layout.", "involved-in-design"),
]


# What a review of round 23 found its first cues misread, and must not.
REVIEW_NOT_READ = [
    ("Nobody is made to wait longer than a fortnight for a first visit.", "voluntary"),
    ("Patients are asked whether they take any blood thinners before surgery.", "asked-for-views"),
    ("Pupils were asked to choose a poem to learn by heart.", "asked-for-views"),
    ("The aim is to get staff feedback on the new shift pattern.", "asked-for-views"),
    ("Frankly we haven't got much choice in where we can afford to rent.", "compulsory"),
    ("No more sessions are planned for staff this term.", "one-off"),
    ("No further meetings are planned until the panel has read the draft.", "one-off"),
    ("Families on the scheme received a £10 food voucher each week.", "paid-for-time"),
    ("The church received a £300 payment from the diocese.", "paid-for-time"),
    ("We'll tell you as soon as the decision is made.", "decision-already-made"),
    ("The decision is made by the GP together with the patient.", "decision-already-made"),
    ("The therapist asked patients to draw how the week had felt.", "involved-in-design"),
    ("Researchers asked carers to map out their own support networks.", "involved-in-design"),
    ("The play area is what the children designed, but it was never built.", "design-adopted"),
]

# What the review found the first cues had narrowed too far, and must still read.
REVIEW_STILL_READ = [
    ("We want your say on the future of the market hall.", "asked-for-views"),
    ("The booklet shows parents what is happening in a baby's brain in the first year.", "taught"),
    ("They checked the letters the repairs team sent and scored each one.", "involved-in-evaluation"),
    ("Please review the enclosed leaflet on the new charges from May.", "told-about-decisions"),
]


@pytest.mark.parametrize(("said", "signal"), REVIEW_STILL_READ)
def test_review_still_read(said, signal):
    assert scored(classify(said), signal), said


@pytest.mark.parametrize(("said", "signal"), NOT_READ + REVIEW_NOT_READ)
def test_not_read(said, signal):
    assert not scored(classify(said), signal), said


def test_no_opting_out_of_a_record_is_no_compulsion():
    # Turned round, "cannot opt out" would read as taking part being compulsory: coercion.
    result = classify("You cannot opt out of the shared record, which staff need to treat you.")
    assert not found(result, "voluntary")
    assert result["rung"] != "coercion"


STILL_READ = [
    # What the narrowings must keep.
    ("People can opt out at any time and there is no penalty.", "voluntary"),
    ("We want your views on the new opening hours.", "asked-for-views"),
    ("The nurses will show parents how to use the inhaler.", "taught"),
    ("Residents were reminded that the bins change on Monday.", "told-about-decisions"),
    ("Peer researchers reviewed the results of the survey.", "involved-in-evaluation"),
]


@pytest.mark.parametrize(("said", "signal"), STILL_READ)
def test_still_read(said, signal):
    assert scored(classify(said), signal), said
