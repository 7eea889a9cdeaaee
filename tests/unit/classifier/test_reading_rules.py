"""General reading rules (issue 3, generalisation): what a bare label is worth, the order
of events ("before" the decision), hedges after the words they qualify, cues in a sentence
about staff alone, and the structural wordings of consulting, telling and compulsion.
Every sentence here was written for these tests, from the ladder's definitions."""

from __future__ import annotations

import pytest

from services.common.rungs import Rung
from tests.unit.classifier.reading_support import APP, classify, found


@pytest.mark.parametrize(("text", "rung"), [
    ("Our co-design group for the new youth hub has now been set up.", Rung.ENGAGEMENT),
    ("This is a co-production partnership between the trust and local people.", Rung.CO_DESIGN),
    ("Welcome to the first edition of our community engagement update.", Rung.CONSULTATION),
    ("The Riverside project is about dementia in our town.", Rung.INFORMING),
])
def test_a_label_alone_places_a_project_one_rung_below_it_with_no_confidence(text, rung):
    result = classify(text)
    assert result["rung"] == rung.value
    assert result["confidence"] == 0
    assert "cannot place this project" in result["summary"]


def test_a_label_alone_never_reaches_its_own_rung_and_facts_still_decide():
    assert classify("Our co-production board.")["rung"] != Rung.CO_PRODUCTION.value
    # With a fact, the fact decides and the label is not used at all.
    with_fact = classify("Our co-production board. Tenants were sent a letter about the new rent levels.")
    assert with_fact["rung"] == Rung.INFORMING.value


def test_before_the_decision_turns_a_decision_made_cue_round():
    before = classify("Passengers met four times before the station design was fixed.")
    [cue] = found(before, "nothing-open-to-change")
    assert cue["negated"] and cue["span"]["quote"] == "design was fixed"
    after = classify("Passengers met once, after the station design was fixed.")
    assert any(not e["negated"] for e in found(after, "nothing-open-to-change")
               + found(after, "decision-already-made"))


def test_before_with_punctuation_between_does_not_reach():
    result = classify("Before the meeting, the budget had already been agreed by the board.")
    assert found(result, "decision-already-made")
    assert not any(e["negated"] for e in found(result, "decision-already-made"))


@pytest.mark.parametrize("text", [
    "Members of the panel will be paid for their time in future.",
    "Panel members are paid for their time where possible.",
])
def test_a_hedge_after_the_words_makes_them_an_intention(text):
    [paid] = found(classify(text), "paid-for-time")
    assert paid["hedged"]


def test_without_a_hedge_after_them_the_same_words_are_a_fact():
    [paid] = found(classify("Panel members are paid for their time."), "paid-for-time")
    assert not paid["hedged"]


def test_a_series_of_meetings_among_staff_says_nothing_about_people():
    staff = classify("Managers from both trusts met in a series of workshops. Patients were sent a "
                     "letter about the new clinic times.")
    assert not found(staff, "short-series")
    assert staff["rung"] == Rung.INFORMING.value
    with_people = classify("Managers and patients met in a series of workshops.")
    assert found(with_people, "short-series")
    reported = classify("Officers said that the plan was shaped in a series of workshops.")
    assert found(reported, "short-series")


@pytest.mark.parametrize("text", [
    "We consulted tenants on the draft lettings policy.",
    "Parents were consulted about the proposed term dates.",
])
def test_consulting_people_is_asking_their_views(text):
    result = classify(text)
    assert found(result, "asked-for-views")
    assert result["rung"] == Rung.CONSULTATION.value


def test_vague_collaboration_words_do_not_read_as_design():
    for text in ("We worked closely with families on the new short breaks strategy.",
                 "The new strategy was informed by the views of young carers."):
        assert Rung(classify(text)["rung"]) <= Rung.CONSULTATION, text
    assert found(classify("The plan was informed by the views of young carers."), "asked-for-views")


@pytest.mark.parametrize(("text", "words"), [
    ("Residents were asked for comments after councillors approved the scheme.",
     "after councillors approved"),
    ("Once funding for the hub had been secured, carers were invited to see the plans.",
     "Once funding for the hub had been secured"),
])
def test_the_order_of_events_shows_the_decision_came_first(text, words):
    [cue] = [e for e in found(classify(text), "decision-already-made") if not e["negated"]]
    assert cue["span"]["quote"] == words


def test_a_decision_made_with_people_is_not_a_decision_made_before_them():
    result = classify("The priorities had been agreed by the residents' panel.")
    assert not found(result, "decision-already-made")


def test_people_told_in_the_passive_are_informed():
    result = classify("Tenants were told about the new repairs line in the spring newsletter.")
    [told] = [e for e in found(result, "told-about-decisions") if e["span"]["quote"].startswith("Tenants")]
    assert told["span"]["quote"] == "Tenants were told about"
    assert result["rung"] == Rung.INFORMING.value


@pytest.mark.parametrize("text", [
    "Parents who do not attend the sessions are reported to the education welfare service.",
    "Keeping the tenancy depends on attending the weekly session.",
])
def test_a_penalty_or_condition_on_taking_part_is_compulsion(text):
    assert found(classify(text), "compulsory")


def test_a_co_design_workshop_is_a_label_not_the_design_stage():
    result = classify("We held a co-design workshop where parents commented on the three options "
                      "our architects had drawn up. The architects chose the final design.")
    assert not found(result, "involved-in-design")
    assert found(result, "designed-by-others")
    assert Rung(result["rung"]) <= Rung.ENGAGEMENT


def test_training_people_teaches_them_but_training_them_for_a_role_does_not():
    assert found(classify("Pharmacists trained residents on how to use their inhalers."), "taught")
    assert not found(classify("The college trained residents as peer tutors."), "taught")


def test_a_weak_general_cue_does_not_take_the_words_of_a_firm_one():
    reading = APP.reader.read("The residents' panel reviews how the grant money was spent.")
    evaluation = [f for f in reading.findings if f.signal.id == "involved-in-evaluation"]
    assert evaluation and max(f.strength for f in evaluation) == 1.0
