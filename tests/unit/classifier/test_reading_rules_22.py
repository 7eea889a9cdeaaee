"""General reading rules of issue 3, round 22, read from the tuning halves of the
twenty-fifth set (long reports full of incidental detail) and the twenty-sixth (working
documents written inside public bodies: minutes, action logs, impact assessments, role
descriptions). Every sentence here was written for these tests, from the ladder's
definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, scored

READ = [
    # Payment written as working documents write it.
    ("Each young adviser receives GBP 25 per meeting attended.", "paid-for-time"),
    ("Advisers on the panel get GBP 18/hr for their panel work.", "paid-for-time"),
    # No views sought, in a form's own fields.
    ("No lived experience input was sought for the options appraisal.", "views-not-sought"),
    ("Public involvement: none planned for this phase of the project.", "views-not-sought"),
    # Nothing open, in the verbless words of minutes and logs.
    ("Decision final; changes start on 1 April.", "nothing-open-to-change"),
    ("Options appraisal closed: no options remain open.", "nothing-open-to-change"),
    ("Public responses will be read but will not alter the implementation.", "nothing-open-to-change"),
    ("Decision status: approved by the executive in January.", "decision-already-made"),
    ("Drop-in sessions cancelled (decision taken; the building will close).", "decision-already-made"),
    # Every idea answered.
    ("The ward manager replies to every suggestion on the feedback board.", "told-what-changed"),
]


# What a review of round 22 found its first cues missed, and must read.
REVIEW_STILL_READ = [
    ("Consultation undertaken: none. The savings were agreed in the budget.", "views-not-sought"),
    ("Lived experience advisers get £25 per hr for each meeting they attend.", "paid-for-time"),
    ("Comments will be noted but cannot alter the decision taken by the board.", "nothing-open-to-change"),
]


@pytest.mark.parametrize(("said", "signal"), READ + [case for case in REVIEW_STILL_READ if case[1]])
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # Writing one's views on a flipchart is giving views, not designing.
    ("Tenants wrote their ideas on a flipchart during the workshop.", "involved-in-design"),
    ("At the open day, families wrote their views on the post-it wall.", "involved-in-design"),
    # What a commissioner pays its providers pays no one for their time.
    ("Payment rates for home care providers rise in April each year.", "paid-for-time"),
    # A staff post named after the people it serves is staff.
    ("The estate walkabouts were led by the Resident Involvement Officer.", "involved-in-delivery"),
    ("The drop-in is run by our Patient Experience Manager.", "involved-in-delivery"),
    # A wellbeing café is a place to drop in, not a lesson.
    ("The group meets at the Wellbeing Café every Thursday afternoon.", "taught"),
    # A decision taken by the people themselves is not one made before they came in.
    ("The decision taken by the tenants' panel was final.", "decision-already-made"),
]


# What a review of round 22 found its first cues misread, and must not.
REVIEW_NOT_READ = [
    ("Residents each wrote their top three ideas on a card for the council.", "involved-in-design"),
    ("Members wrote their personal stories on cards displayed at the event.", "involved-in-design"),
    ("Concerns raised during consultation: none. All 58 respondents supported the change.",
     "views-not-sought"),
    ("Engagement: none yet; the resident panel will be set up in May to shape the plans.",
     "views-not-sought"),
    ("No staff feedback was sought, but 40 patients were surveyed about the new clinic.",
     "views-not-sought"),
    ("No further views were sought because the panel had already agreed the design together.",
     "views-not-sought"),
    ("Payment rates for domiciliary care providers rose by 6% in April.", "paid-for-time"),
    ("The BSL interpreter was booked at GBP 45/hr for the two sessions.", "paid-for-time"),
    ("Is the decision final? Not yet: the panel will make the final decision in June.",
     "nothing-open-to-change"),
    ("No options are open to families who miss the deadline for school applications.",
     "nothing-open-to-change"),
    ("Residents' comments did not change the decision, as the panel found the evidence clear.",
     "nothing-open-to-change"),
    ("Patient feedback will not change the implementation unless the panel agrees it should.",
     "nothing-open-to-change"),
    ("Decision status: made by the young people's panel at its March meeting.", "decision-already-made"),
    ("Decision status: agreed, subject to the outcome of the public consultation.", "decision-already-made"),
    ("The fund was shared out by the tenants (decision taken by ballot of all tenants).",
     "decision-already-made"),
    ("Tenants replied to each of the proposals in the consultation questionnaire.", "told-what-changed"),
    ("Parents replied to every suggestion from the school in the online poll.", "told-what-changed"),
    ("Workshops were led by our Patient Experience Lead at each of the three sites.",
     "involved-in-delivery"),
    ("The group is facilitated by the Carer Support Worker employed by the trust.",
     "involved-in-delivery"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ + REVIEW_NOT_READ)
def test_not_read(said, signal):
    assert not counted(classify(said), signal), said


# Involvement that ends with the design, whoever's it is. Said alone, with nothing of
# people designing, it is reported but weighs nothing, so these are read, not scored.
ENDED_WITH_THE_DESIGN = [
    "Panel involvement ends with the design phase, as the grant allows.",
    "Advisory group involvement concluded at the co-design stage.",
    # From the review: a future tense.
    "Carers' involvement will end with the design phase; delivery is led by the provider.",
]


@pytest.mark.parametrize("said", ENDED_WITH_THE_DESIGN)
def test_involvement_ended_with_the_design_is_read(said):
    assert counted(classify(said), "involvement-ended"), said


# What the narrowings must keep.
STILL_READ = [
    # Writing the service's own content is design.
    ("Parents wrote the questions for the new assessment form.", "involved-in-design"),
    ("They wrote their own guide to the ward for new patients.", "involved-in-design"),
    # A peer worker delivering is still people delivering.
    ("The course is run by a peer worker with lived experience.", "involved-in-delivery"),
    ("Payments for panel members' time are made monthly.", "paid-for-time"),
    ("The digital skills café runs every Tuesday in the library.", "taught"),
    ("Carers wrote their ideas into the new carers' strategy, which was adopted in full.",
     "involved-in-design"),
    ("The course is delivered by a peer worker who has used the service.", "involved-in-delivery"),
]


@pytest.mark.parametrize(("said", "signal"), STILL_READ)
def test_still_read(said, signal):
    assert counted(classify(said), signal), said
