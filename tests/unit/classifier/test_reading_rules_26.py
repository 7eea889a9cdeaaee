"""General reading rules of issue 3, round 26.

From the tuning halves of the thirty-third set (the four nations' own public-sector words)
and the thirty-fourth (public services beyond the NHS and social care). Every sentence
here was written for these tests, from the ladder's definitions; none is copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored

READ = [
    # A decision on a named thing, made; settled in a document people never saw.
    ("The decision about the library's hours has been made.", "decision-already-made"),
    ("The depot's site was locked in in the approved masterplan before the forum began.",
     "decision-already-made"),
    ("Our group began meeting before the full masterplan was signed off.", "before-decisions"),
    # Closed to discussion, however it is put.
    ("The new timetable is not up for debate.", "nothing-open-to-change"),
    ("Those timings weren't up for discussion.", "nothing-open-to-change"),
    ("Nothing about the charging rules was open for discussion.", "nothing-open-to-change"),
    # Sessions that never asked what people think.
    ("The evenings were never meant to hear what tenants thought of the rules.", "views-not-sought"),
    # Told what happened to what they said.
    ("In May the group came back to hear what had changed.", "told-what-changed"),
    ("Its reasons were set out to the members in June.", "told-what-changed"),
    ("Re: what changed after your two workshops", "told-what-changed"),
    # Their words changed something, within the organisation's limits.
    ("Changes agreed in response to the tenants' panel: a new ramp.", "influence-within-limits"),
    ("The signs were changed to the design the group suggested.", "influence-within-limits"),
    # What people made is what was used.
    ("The access group's design was built as drawn.", "design-adopted"),
    ("The leaflets now in use are the ones the parents wrote.", "design-adopted"),
    # Teaching, named as such or by what it does.
    ("Honestly, the workshops were really training.", "taught"),
    ("A pharmacist took us through how the inhalers work.", "taught"),
    ("Volunteers ran practical how-to sessions in the library.", "taught"),
    ("The nurses offer three sessions at the village hall on checking your blood sugar.", "taught"),
    ("Staff helped 40 residents set up online banking.", "taught"),
    # A court's unpaid work: a sentence, not a free choice.
    ("Every lad in the team is serving an unpaid work order.", "compulsory"),
    ("Her Saturdays count towards the hours on her licence.", "compulsory"),
    # Delivering, as paid peers in a named role.
    ("The old hands deliver the evening sessions as paid mentors.", "involved-in-delivery"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # Court-imposed unpaid work says nothing of whether people taking part are paid.
    ("Every lad in the team is serving an unpaid work order.", "unpaid"),
    # A rate someone will track is not a rule anyone must keep.
    ("Managers will look at lateness and non-attendance rates.", "compulsory"),
    # A report people asked for is not one they got.
    ("We asked for a you said, we did report but got no promise of one.", "told-what-changed"),
    # Setting up an app for yourself is not setting up the project.
    ("Staff helped twelve patients set up the GP app on their phones.", "involved-in-planning"),
    # Checking dates in a warehouse is not judging how the work went.
    ("They unload the vans and check the stock.", "involved-in-evaluation"),
    # An act of choosing denied (unable to come, did not sign up) is not being made to come
    # (found looking over the cues for false reads).
    ("Those who could not attend were emailed the slides.", "compulsory"),
    ("Several carers could not come because of the bus times.", "compulsory"),
    ("Tenants could not stop the sale of the block.", "compulsory"),
    ("Lots of dads did not sign up, as the groups clashed with work.", "compulsory"),
    ("Nobody chose to leave the choir.", "compulsory"),
    ("Parents could not book online.", "compulsory"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not scored(classify(said), signal), said


# Negations that do not reach the cue after them, found by a sweep over the cues for
# negations turned the wrong way: a relative clause's own negated verb, thanks put as a double
# negative, "not easy", "don't just", and not knowing or not being told that something was so.
NOT_TURNED = [
    ("Carers who were unable to come gave their views by phone.", "asked-for-views"),
    ("Parents who did not attend the court-ordered sessions were referred back.", "compulsory"),
    ("Members who could not attend were still paid for their time.", "paid-for-time"),
    ("This report would not have been possible without the peer researchers.", "involved-in-evaluation"),
    ("It's not easy sharing power, but we do.", "joint-decisions"),
    ("We don't just consult people, we decide jointly.", "asked-for-views"),
    ("Residents were not told that the plans had already been approved.", "decision-already-made"),
    ("We didn't realise attendance was compulsory until week two.", "compulsory"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_TURNED)
def test_a_negation_that_belongs_elsewhere_does_not_turn_the_cue_round(said, signal):
    assert scored(classify(said), signal), said


@pytest.mark.parametrize("said", [
    "Residents who were not asked for their views complained.",  # the clause's own verb
    "Panel members who were never properly asked for their views left.",  # past a qualifier
])
def test_a_relative_clause_still_denies_its_own_verb(said):
    assert not counted(classify(said), "asked-for-views")


def test_an_act_of_choosing_denied_is_reported_but_says_nothing():
    # Found and shown turned round, but it answers no question: not voluntary, not compulsory.
    result = classify("Many residents did not sign up, as the times clashed with work.")
    [evidence] = found(result, "voluntary")
    assert evidence["negated"] and evidence["answer"] == [] and evidence["counted"] is False
    assert evidence["statement"].startswith("Said not to have happened")
    assert "compulsory" in result["unanswered"]


def test_a_negation_inside_brackets_does_not_turn_round_what_people_did():
    # The "will not" belongs to the aside about a child, not to the parents' design work.
    result = classify("Parents set the themes (sleep, and what happens when a child will not "
                      "eat), wrote the booklet and tested it.")
    assert counted(result, "involved-in-design")
