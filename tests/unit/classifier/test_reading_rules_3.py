"""General reading rules added for realistic UK case write-ups (issue 3, round 2): what
makes educating, what makes coercion, power that is denied or kept by the organisation,
and hedges that govern a whole clause. Every sentence here was written for these tests,
from the ladder's definitions, not copied from a development set."""

from __future__ import annotations

from services.common.rungs import Rung
from tests.unit.classifier.reading_support import classify, counted, found

# ---- Educating: teaching content, voluntary ------------------------------------------

def test_what_a_session_covers_is_teaching():
    result = classify("Free evenings for new dads are run by health visitors at the Oakfield "
                      "clinic. The evenings cover when to call 111 and what a baby's cries mean.")
    assert counted(result, "taught")
    assert result["rung"] == Rung.EDUCATING.value


def test_a_message_about_why_people_should_act_differently_is_educating_not_informing():
    result = classify("This spring the council's road safety team is visiting primary schools, "
                      "explaining why it is important to wear a helmet and handing out a "
                      "step-by-step guide to checking your bike.")
    assert {e["span"]["quote"] for e in counted(result, "taught")} >= {
        "why it is important to", "step-by-step guide"}


def test_a_negation_in_one_list_item_does_not_reach_the_next():
    result = classify("Pharmacists explained why painkillers do not cure a cold, how to look "
                      "after yourself at home and when to see a GP.")
    assert any(not e["negated"] for e in found(result, "taught"))


def test_booking_yourself_on_is_voluntary_and_no_need_to_book_is_not_compulsion():
    assert counted(classify("To book, ring the library on the number below."), "voluntary")
    no_need = classify("Cookery sessions teach families how to cook on a budget. No need to book.")
    assert no_need["rung"] == Rung.EDUCATING.value
    assert not counted(no_need, "compulsory")


# ---- Coercion: attendance a condition, consequences for missing it -------------------

def test_attendance_required_with_words_between_it_and_its_verb_is_compulsion():
    result = classify("Attendance at the house meeting is required, and staff go "
                      "through the new rules.")
    assert counted(result, "compulsory")
    assert result["rung"] == Rung.COERCION.value


def test_a_consequence_for_missing_without_a_good_reason_is_not_negated():
    result = classify("Missed appointments without a good reason will be reported to the "
                      "referring officer.")
    [cue] = found(result, "compulsory")
    assert not cue["negated"]


# ---- Informing: finding out, launches, previews of the finished thing ----------------

def test_events_for_people_to_find_out_about_a_decision_are_informing():
    result = classify("Following the board's decision to close the walk-in centre, we are holding "
                      "events where local people can find out more about where to go instead.")
    assert counted(result, "told-about-decisions")
    assert result["rung"] == Rung.INFORMING.value


def test_a_preview_of_the_finished_product_means_the_decisions_were_made():
    result = classify("Members of the youth forum were given a preview of the finished app "
                      "at its launch.")
    assert counted(result, "decision-already-made")


def test_a_decision_agreed_by_another_body_came_first_but_not_one_agreed_by_people():
    assert counted(classify("Opening hours will change in May, as agreed by the county board."),
                   "decision-already-made")
    assert not counted(classify("Opening hours will change in May, as agreed by the tenants."),
                       "decision-already-made")


# ---- Who decides: power denied, choices still to come, partial acceptance ------------

def test_no_role_in_deciding_means_the_organisation_decides():
    result = classify("The reference group meets every quarter, but members have no role in "
                      "deciding which projects are funded.")
    assert counted(result, "organisation-decides")
    assert result["rung"] not in (Rung.CO_DESIGN.value, Rung.CO_PRODUCTION.value)


def test_the_organisation_choosing_later_between_its_own_options_is_consultation():
    result = classify("Residents put sticky notes on a map at a drop-in day. Our architects will "
                      "now draw up two options. The council will then choose between them.")
    assert counted(result, "organisation-decides")
    assert counted(result, "designed-by-others")
    assert result["rung"] in (Rung.CONSULTATION.value, Rung.ENGAGEMENT.value)


def test_a_count_of_recommendations_accepted_is_not_a_design_adopted():
    partial = classify("The panel made 20 recommendations. 12 were accepted in full and 5 rejected.")
    assert not counted(partial, "design-adopted")
    assert counted(partial, "organisation-decides")
    whole = classify("The panel's design was adopted in full.")
    assert counted(whole, "design-adopted")


def test_delivery_left_with_the_organisation_is_delivered_by_others():
    result = classify("Delivery of the new housing strategy remains the responsibility of the "
                      "council's housing team.")
    assert counted(result, "delivered-by-others")


def test_a_binding_promise_to_fund_what_people_voted_for_is_people_deciding():
    result = classify("The trust committed in advance to fund the projects exactly as residents voted.")
    assert counted(result, "people-decide")


# ---- Hedges: beliefs and a condition that opens the clause ---------------------------

def test_a_belief_about_partnership_is_not_a_fact_of_shared_decisions():
    result = classify("We believe patients are equal partners in their own care.")
    assert all(e["hedged"] for e in found(result, "equal-partners"))


def test_a_condition_opening_the_clause_hedges_everything_in_it():
    result = classify("If funded, we will appoint a lay co-applicant and set up a patient "
                      "advisory group for the main study.")
    assert found(result, "influence-within-limits")
    assert all(e["hedged"] for e in found(result, "influence-within-limits"))
