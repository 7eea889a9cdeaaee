"""General reading rules of issue 3, round 21, read from the tuning halves of the
twenty-third set (write-ups in the genres UK public bodies publish) and the twenty-fourth
(labels and facts that disagree). Every sentence here was written for these tests, from the
ladder's definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored

READ = [
    # Teaching a technique.
    ("The nurse demonstrates correct technique with a spacer.", "taught"),
    ("Drop-in inhaler technique sessions are open to all.", "taught"),
    ("Over four weeks you'll learn practical relaxation techniques.", "taught"),
    # Shaping part of what was built; being shown what changed.
    ("The parents' group shaped much of the new layout.", "influence-within-limits"),
    ("Each time, the architects showed us what they had changed.", "told-what-changed"),
    ("A report of what changed has been published.", "told-what-changed"),
    # Told about a settled change, and what it means.
    ("We held six forums to share our new admissions policy.", "told-about-decisions"),
    ("Families came to hear the thinking behind the changes.", "told-about-decisions"),
    ("The finance team will explain what it means for your household.", "told-about-decisions"),
    ("The campaign made sure everyone knew where to go.", "told-about-decisions"),
    ("This paper sets out how we will tell patients about the change.", "told-about-decisions"),
    ("The Trust Board took these decisions in March.", "decision-already-made"),
    ("The board had agreed in December to close the centre.", "decision-already-made"),
    # Still read after the narrowing below: involved at each stage of the work.
    ("Tenants were involved at every stage of the project.", "whole-cycle"),
]


# What a review of round 21 found its first cues misread, and must not.
REVIEW_NOT_READ = [
    ("The forum is chaired by one of the carer partners.", "staff-led"),
    ("The evaluation was carried out by two of the community researchers.", "evaluated-by-others"),
    ("We surveyed residents at each stage of the design process.", "whole-cycle"),
    ("Views were sought at every stage of the project.", "whole-cycle"),
    ("Staff worked on it at every stage.", "whole-cycle"),
    ("The council has agreed in partnership with tenants to build 40 new homes.",
     "decision-already-made"),
    ("The joint committee of tenants and officers took these decisions last month.",
     "decision-already-made"),
    ("The co-production board took these decisions in March.", "decision-already-made"),
    ("Training ward staff will be done by the liaison nurses and two of our experts by experience.",
     "delivered-by-others"),
    ("A report of the consultation and the changes we are proposing will go to cabinet.",
     "told-what-changed"),
    ("The parent carer forum made sure everyone knew about the consultation.", "told-about-decisions"),
    ("The council's enforcement team co-designed the new signs with residents.", "compulsory"),
]


# And what it found they missed, and must read.
REVIEW_STILL_READ = [
    # A count of people after a comma starts a new subject: the question does not frame it.
    ("The manager asked if some of us would plan the garden, and six of us designed it over the summer.",
     "involved-in-design"),
    ("Mums expecting to give birth at the new unit helped design the birthing rooms.", "involved-in-design"),
    # A people's body that asks each term is a body that goes on.
    ("Each term the school council asks pupils what they want changed.", "ongoing"),
    # The annual-survey exception is only for consulting or surveying people, not a body.
    ("Every year the panel meets the board to review the annual report.", "ongoing"),
    ("Carers shaped the service at every stage.", "whole-cycle"),
    ("Members of the panel contributed to the design of the app.", "involved-in-design"),
    ("The dementia adviser is there to help families understand the diagnosis.", "taught"),
    ("Members of People First Dorset, a user-led organisation, run the whole project themselves.",
     "user-led"),
]


@pytest.mark.parametrize(("said", "signal"), READ + REVIEW_STILL_READ)
def test_read(said, signal):
    assert scored(classify(said), signal), said


NOT_READ = [
    # A group "run by and for" disabled people is user-led; that says nothing of who delivers.
    ("It was written by Voices Together, a group run by and for disabled people.",
     "involved-in-delivery"),
    # Members of a user-led group, named in apposition, do not make the project user-led.
    ("It was written by members of Speak Out, a self-advocacy group.", "user-led"),
    # Traffic wardens enforce parking, not attendance.
    ("Civil enforcement officers will check permits with handheld devices.", "compulsory"),
    # The redesign is the topic of the consultation, not what patients did.
    ("We consulted patients on the redesign of the clinic.", "involved-in-design"),
    # A request for a peer support programme is not peer support.
    ("The group asked for a peer support programme.", "involved-in-delivery"),
    # Stages of a consultation are not the whole cycle of a project.
    ("Responses at each stage shaped the next.", "whole-cycle"),
    # Attending a day centre for years is using it, not taking part in it.
    ("My dad went to the day centre for six years.", "ongoing"),
    # One survey each year is the same one-off exercise, repeated.
    ("Every year the association consults tenants before setting rents.", "ongoing"),
    # Staff on hand to help are a service, not a lesson.
    ("Staff will be on hand to help you use the new kiosks.", "taught"),
    # Going through someone's own figures explains their case; it teaches no skill.
    ("Your social worker can go through your own figures with you.", "taught"),
    # Information sessions tell people things; they are not a course.
    ("We will run three information sessions in August.", "taught"),
]


@pytest.mark.parametrize(("said", "signal"), NOT_READ + REVIEW_NOT_READ)
def test_not_read(said, signal):
    assert not counted(classify(said), signal), said


# Delivery kept by staff: "two of our nurses" are staff. Said alone, with nothing of people
# taking part, it is reported but weighs nothing, so these are read, not scored.
DELIVERED_BY_STAFF = [
    "The course is delivered by two of our occupational therapists.",
    "Rolling it out and training ward staff will be done by the practice nurses.",
]


@pytest.mark.parametrize("said", DELIVERED_BY_STAFF)
def test_delivery_by_staff_is_read(said):
    assert counted(classify(said), "delivered-by-others"), said


def test_an_expectation_is_not_a_fact():
    # Often one let down: "I went, thinking we'd have a say."
    said = found(classify("I went, thinking we'd have a say."), "asked-for-views")
    assert said and all(e["hedged"] for e in said)


def test_an_indirect_question_is_not_a_fact():
    result = classify("Asked whether patients had been told how their comments were used, officers said no.")
    assert found(result, "told-what-changed")
    assert not scored(result, "told-what-changed")


def test_a_claim_of_lived_experience_leadership_is_a_label_not_a_fact():
    result = classify("Sleep Well is our lived experience led course, written by psychologists.")
    assert not found(result, "user-led")
    assert found(result, "label-co-production")


def test_young_people_leading_a_meeting_is_no_label():
    assert not found(classify("Young people led the meeting with the cabinet member."), "label-co-production")
