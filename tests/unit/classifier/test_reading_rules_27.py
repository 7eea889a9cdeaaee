"""General reading rules of issue 3, round 27.

From the tuning halves of the thirty-fifth set (the young, and the families that look after them) and
the thirty-sixth (housing, homelessness and neighbourhoods). Every sentence here was written
for these tests, from the ladder's definitions; none is copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored

READ = [
    # A refusal with its adverbs still has its consequence.
    ("If you wilfully refuse to attend, the council may end its duty to you.", "compulsory"),
    # Views given while they speak; observations invited on works.
    ("The care leavers spent a morning with us, saying what they felt about the draft pledge.",
     "asked-for-views"),
    ("Leaseholders may make written representations on the proposed charges.", "asked-for-views"),
    # A standing body on its calendar.
    ("The Voice Squad meets every other month at the town hall.", "ongoing"),
    ("The Voice Squad meets every other Monday after school.", "ongoing"),
    # A request refused, with reasons given after a semicolon.
    ("The pupils' bid for a later start was turned down this year; the head set out the reasons.",
     "told-what-changed"),
    # People doing the interviews of a study or a review themselves.
    ("Three of the parents carried out most of the exit interviews.", "involved-in-evaluation"),
    ("Two of the care leavers conducted 20 of the 30 interviews with their peers.", "involved-in-evaluation"),
    ("Parents took part in fieldwork and analysis.", "involved-in-evaluation"),
    ("Tenants and the landlord's performance officer jointly led this year's review.",
     "involved-in-evaluation"),
    # Out on the work with staff (past an aside about their training), or making the calls.
    ("The residents go out with the wardens on their evening rounds.", "involved-in-delivery"),
    ("Four tenant champions, each given a day's first-aid course, go out with officers on patrol.",
     "involved-in-delivery"),
    ("Tenant champions make the welcome calls to new tenants.", "involved-in-delivery"),
    # Two leads named, one of them the people's own.
    ("The youth forum and the head of service will run the project jointly.", "shared-leadership"),
    # Left out of the choice, in so many words.
    ("Pupils were not consulted on choosing the new uniform supplier.", "organisation-decides-alone"),
    # Checking each piece of work as it is finished; a survey people designed and ran.
    ("The residents' panel signs off every repair once it is complete.", "involved-in-evaluation"),
    ("The yearly satisfaction survey, written and run by three of the tenants, went to all homes.",
     "involved-in-evaluation"),
    # Each side with its vote.
    ("Pupils and governors each had one vote on the shortlist.", "joint-decisions"),
    # The landlord took on all of it; the group's part ended with the design.
    ("We gave them our design and the landlord took the lot on.", "design-adopted"),
]


@pytest.mark.parametrize(("said", "signal"), READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # A policy's list of related documents names a procedure; it compels no one.
    ("This policy should be read with the other documents listed here: the Rent Arrears Policy; "
     "the Tenancy Enforcement Policy.", "compulsory"),
    # A problem's history is not people's ongoing part.
    ("There have been leaks in the stairwell since 2021, the tenants say.", "ongoing"),
    ("Call volumes have halved since 2018, as more people use the app.", "ongoing"),
    # People who did the interviewing gave no views of their own in them.
    ("Two of the young people did the staff interviews.", "asked-for-views"),
    # Being told what you need is not being asked for views.
    ("The leaflet keeps telling us what we need to bring.", "asked-for-views"),
    # Heritage interviews are the project's work, not an evaluation.
    ("Residents recorded and carried out 30 oral history interviews.", "involved-in-evaluation"),
    # Setting up a system is delivery's work, not the choice.
    ("The two dads weren't involved in setting it up.", "organisation-decides-alone"),
    # Staff counted as a number are not people staffing anything.
    ("At the first meeting there were nine residents and three staff, and the staff took notes.",
     "involved-in-delivery"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ)
def test_not_read(said, signal):
    assert not scored(classify(said), signal), said


def test_the_end_of_it_for_the_group_ends_its_part():
    # Counted against delivery and evaluation; with no stage said, no stage is answered.
    assert counted(classify("That was the end of it for the panel, once the plan was signed off."),
                   "involvement-ended")


def test_a_checklist_people_wrote_is_read_whole_as_their_design():
    # Read before only as far as "wrote a", the weak cue for any writing.
    said = "Young carers wrote a checklist for school staff to use."
    [design] = found(classify(said), "involved-in-design")
    assert design["span"]["quote"].endswith("checklist")


def test_jointly_by_is_two_leads_not_the_organisation_alone():
    # Ruling delivery out is not counted when no stage is said, so look for the finding.
    assert not found(classify("The course was taught jointly by the college, with two parents."),
                     "delivered-by-others")


def test_staff_who_interviewed_people_still_asked_for_their_views():
    # Only the people themselves doing the interviewing is peer research.
    assert scored(classify("Officers carried out interviews with thirty tenants about repairs."),
                  "asked-for-views")


def test_an_enforcement_procedure_applied_to_people_still_compels():
    said = "Absence is handled under our enforcement procedure for the scheme."
    assert scored(classify(said), "compulsory")


def test_evidence_not_found_denies_what_follows_it():
    # "Could not find evidence that" is "no evidence that", put as a verb: it reaches the end
    # of its clause, past the negation window and the second "or that".
    result = classify("The regulator could not find evidence that the board had asked for residents' "
                      "views before the vote, or that residents have reviewed the firm's results.")
    assert not counted(result, "involved-in-evaluation")
    assert found(result, "involved-in-evaluation")


def test_counted_apart_from_the_staff_the_writer_is_one_of_the_people():
    # "Six of us and two staff": the writer takes part, so "we" are people who use services.
    result = classify("There were six of us and two staff from the landlord. We drew the new "
                      "repairs process ourselves and wrote the letters tenants now get.")
    assert scored(result, "involved-in-design")


@pytest.mark.parametrize("said", [
    "Speak Up Now is our peer-led anti-bullying programme.",
    "The whole scheme is youth-led right from the start.",
])
def test_an_activity_called_led_by_a_group_is_its_label(said):
    # A user-led organisation is run by its members; a programme so called, or a slogan of
    # leadership from start to finish, says nothing of who runs it: a label, not counted.
    result = classify(said)
    assert not found(result, "user-led")
    [label] = found(result, "label-co-production")
    assert label["counted"] is False


def test_an_organisation_led_by_its_members_is_still_user_led():
    assert scored(classify("Voices Together is a youth-led charity in the city."), "user-led")
