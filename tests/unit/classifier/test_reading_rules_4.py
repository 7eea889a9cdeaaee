"""General reading rules of issue 3, round 3: who did what, when the decision was made,
what a one-off exercise can show, teaching against telling, compulsion by consequence,
values stated rather than done, and who leads. Every sentence here was written for these
tests, from the ladder's definitions, not copied from a development set."""

from __future__ import annotations

from services.common.rungs import Rung
from tests.unit.classifier.reading_support import classify, counted, found

# ---- Who did what ---------------------------------------------------------------------

def test_a_comma_and_the_organisation_start_a_new_subject():
    result = classify("After tenants complained, the council rewrote its allocation policy.")
    assert not found(result, "involved-in-design")


def test_people_who_run_their_own_things_do_not_deliver_a_service():
    assert not found(classify("Tenants were running their heat pumps all day in the cold snap."),
                     "involved-in-delivery")
    assert counted(classify("Parents run their own support group on Tuesday mornings."),
                   "involved-in-delivery")


def test_writing_to_people_is_telling_them_not_deciding():
    result = classify("The council wrote to every tenant on the estate.")
    assert not found(result, "organisation-decides")


# ---- Giving views is not influence, nor design ------------------------------------------

def test_commenting_on_a_draft_is_giving_views_not_influence():
    result = classify("Six parents commented on the draft leaflet at a single meeting.")
    assert counted(result, "asked-for-views")
    assert not found(result, "influence-within-limits")


def test_helping_to_shape_something_is_influence_not_design():
    result = classify("Members of the panel helped shape the new visiting policy.")
    assert counted(result, "influence-within-limits")
    assert not found(result, "involved-in-design")


def test_trying_out_what_staff_made_is_giving_views_not_design():
    result = classify("Patients tested the new booking app before it went live.")
    assert counted(result, "asked-for-views")
    assert not found(result, "involved-in-design")


def test_suggestions_written_into_a_document_are_influence_not_a_design_adopted():
    result = classify("The panel's suggestions on seating, lighting and signs were written "
                      "into the specification.")
    assert counted(result, "influence-within-limits")
    assert not found(result, "design-adopted")


def test_a_form_is_a_way_of_giving_views_only_when_it_asks_for_them():
    assert not found(classify("Patients complete the registration form before their first visit."),
                     "asked-for-views")
    assert counted(classify("Please complete the feedback form after the session."),
                   "asked-for-views")


# ---- Teaching against telling -----------------------------------------------------------

def test_explaining_why_people_should_act_differently_is_teaching_not_telling():
    result = classify("The pharmacist explains why the inhaler should be used every morning, even "
                      "on days when you feel well.")
    assert counted(result, "taught")
    assert not found(result, "told-about-decisions")
    assert result["rung"] == Rung.EDUCATING.value


def test_explaining_why_a_decision_was_made_is_telling():
    result = classify("Officers explained why the depot is closing and where staff will move.")
    assert counted(result, "told-about-decisions")


def test_being_shown_how_is_teaching_and_being_given_a_thing_is_not_being_told():
    result = classify("Patients on the ward are given a blood pressure cuff and shown how to "
                      "take their own readings.")
    assert counted(result, "taught")
    assert not found(result, "told-about-decisions")


def test_a_session_only_covers_what_it_teaches_when_nobody_else_is_the_subject():
    result = classify("At the sessions officers explained the new parking charges.")
    assert not found(result, "taught")


def test_the_change_as_a_noun_is_not_feedback_on_what_changed():
    result = classify("At the drop-in, staff will explain how the change affects the bus routes.")
    assert not found(result, "told-what-changed")


# ---- Who leads ----------------------------------------------------------------------------

def test_a_user_led_charity_that_only_hosts_a_group_does_not_make_people_lead_it():
    result = classify("The carers' forum is hosted by Carers Together, a carer-led charity, on "
                      "behalf of the council. The forum meets monthly and the council decides "
                      "what to do with its advice.")
    assert not found(result, "user-led")
    assert result["rung"] != Rung.CO_PRODUCTION.value


def test_a_user_led_organisation_running_the_service_still_leads_it():
    assert counted(classify("The day service is run by a user-led organisation of disabled people."),
                   "user-led")


# ---- Compulsion by its consequence --------------------------------------------------------

def test_something_withheld_from_those_who_do_not_complete_is_compulsion():
    result = classify("Learners who do not complete the induction will not keep their place on "
                      "the apprenticeship scheme.")
    assert counted(result, "compulsory")
    assert result["rung"] == Rung.COERCION.value


def test_a_penalty_the_writer_faced_in_their_own_words_is_compulsion():
    result = classify("The housing officer told me that if I didn't go to the budgeting class "
                      "I could lose my flat.")
    assert counted(result, "compulsory")


# ---- Values stated are not facts -------------------------------------------------------------

def test_a_commitment_to_sharing_power_is_a_value_not_a_fact():
    result = classify("The trust is committed to sharing power with the patients it serves.")
    [cue] = found(result, "joint-decisions")
    assert cue["hedged"]


def test_a_list_of_principles_after_a_colon_is_stated_values():
    result = classify("Our approach follows the principles of co-production: sharing power, "
                      "valuing everyone's experience and working as equal partners. A survey "
                      "of tenants ran for four weeks and officers wrote the plan.")
    assert found(result, "joint-decisions") and all(e["hedged"] for e in found(result, "joint-decisions"))
    assert result["rung"] == Rung.CONSULTATION.value


def test_a_fact_after_a_colon_is_still_a_fact():
    result = classify("How decisions are made: tenants and staff share decisions on the budget.")
    assert any(not e["hedged"] for e in counted(result, "joint-decisions"))


# ---- Decided before: a consultation held after the decision is informing -----------------

def test_a_decision_not_subject_to_further_consultation_is_not_open_to_change():
    result = classify("The new charges are not subject to further consultation.")
    assert counted(result, "nothing-open-to-change")


def test_a_change_the_organisation_has_decided_on_came_before_people():
    result = classify("The health board has decided to close the Ward 4 day unit in the spring.")
    assert counted(result, "decision-already-made")


def test_a_meeting_called_a_consultation_after_the_decision_shows_no_views_asked():
    result = classify("The council has decided to move the library into the town hall. A "
                      "consultation meeting in May will set out the opening times and the new "
                      "layout.")
    [named] = found(result, "named-consultation")
    assert named["counted"] is False
    assert result["rung"] == Rung.INFORMING.value


def test_a_consultation_while_the_plans_are_open_still_asks_for_views():
    result = classify("A consultation on three options for the library ran for eight weeks.")
    assert [e["counted"] for e in found(result, "named-consultation")] == [True]
    assert result["rung"] == Rung.CONSULTATION.value


# ---- One-off: a change made in response to views given once is consultation --------------

def test_a_change_in_response_to_a_single_meeting_is_the_organisation_deciding_after_listening():
    result = classify("We held a single meeting with twelve service users about the waiting room. "
                      "In response to their feedback we moved the reception desk.")
    [influence] = found(result, "influence-within-limits")
    assert influence["answer"] == ["provider-after-listening"]
    assert result["rung"] == Rung.CONSULTATION.value


def test_a_change_in_response_to_a_standing_panel_is_still_influence():
    result = classify("The parents' panel meets every month. In response to its feedback we "
                      "moved the reception desk, and we report back to the panel on what changed.")
    assert result["rung"] == Rung.ENGAGEMENT.value


def test_changing_things_because_of_what_people_say_is_influence():
    result = classify("The managers sometimes change things because of what we say.")
    assert counted(result, "influence-within-limits")


# ---- Views asked: an organisation that decides afterwards decided after listening ---------

def test_the_organisation_deciding_after_asking_for_views_did_not_decide_alone():
    result = classify("Residents were asked for their views on the two designs at a drop-in. "
                      "The cabinet approved the second design in June.")
    assert result["rung"] == Rung.CONSULTATION.value


def test_reasons_for_a_decision_are_not_feedback_on_peoples_suggestions():
    result = classify("The letter sets out the reasons for the closure.")
    assert not found(result, "told-what-changed")


# ---- People who decide lead -------------------------------------------------------------------

def test_residents_who_hold_a_binding_vote_on_the_money_lead_it():
    result = classify("Residents decide how the community chest is spent: they write the rules, "
                      "they vote on the bids, and the council is bound by the result.")
    assert result["rung"] == Rung.CO_PRODUCTION.value


def test_visiting_each_funded_project_and_reporting_back_is_evaluation():
    result = classify("Members of the residents' panel visit each funded project and report "
                      "back to the annual meeting.")
    assert counted(result, "involved-in-evaluation")


# ---- Who: people, or an organisation named after them ---------------------------------------

def test_a_people_word_before_an_organisation_noun_names_an_organisation():
    result = classify("Both focus groups were facilitated by the Carers Centre.")
    assert not found(result, "involved-in-delivery")


def test_a_trainer_named_by_their_lived_experience_delivers():
    result = classify("Each course is delivered by an autistic trainer and a nurse.")
    assert counted(result, "involved-in-delivery")


def test_a_budget_people_control_whatever_its_size_is_written_as():
    result = classify("The tenants' association controls a £90,000 repairs budget.")
    assert counted(result, "people-decide")


def test_every_verb_in_a_list_has_the_list_subject():
    result = classify("Tenants chose the priorities, designed the new room with the architect, "
                      "run its café and carry out a yearly satisfaction survey of residents.")
    assert counted(result, "involved-in-delivery")
    assert counted(result, "involved-in-evaluation")


# ---- Views given, and what the organisation does with them ----------------------------------

def test_recording_first_impressions_on_a_walkaround_is_giving_views():
    result = classify("Six mothers walked round the birth unit and recorded their first impressions.")
    assert counted(result, "asked-for-views")


def test_commenting_on_someone_elses_designs_is_giving_views():
    result = classify("The workshop was a chance to comment on the architect's designs.")
    assert counted(result, "asked-for-views")


def test_never_having_been_asked_is_views_not_sought():
    result = classify("Most parents said they had never been asked.")
    assert counted(result, "views-not-sought")


def test_the_organisation_considering_the_findings_or_deciding_what_to_change_decides():
    assert counted(classify("The trust will consider the findings in its estates plan."),
                   "organisation-decides")
    assert counted(classify("The design team will decide which changes to make."),
                   "organisation-decides")


# ---- Teaching: one to one, and sessions on looking after oneself ------------------------------

def test_talking_a_household_through_a_plan_is_teaching():
    result = classify("Officers visit older residents and talk through an escape plan with the "
                      "household.")
    assert counted(result, "taught")
    assert result["rung"] == Rung.EDUCATING.value


def test_sessions_on_managing_ones_own_health_are_teaching():
    result = classify("The library ran free sessions on sleep, managing stress and keeping active.")
    assert counted(result, "taught")


# ---- Guards against lifting: what is not people deciding, evaluating or delivering ------------

def test_people_managing_their_own_household_money_do_not_decide_for_the_project():
    result = classify("On the course, parents learn to manage their household budget and set a "
                      "weekly spending plan.")
    assert not found(result, "people-decide")


def test_a_survey_people_carry_out_to_inform_a_design_is_not_evaluation():
    result = classify("Young people carried out a survey of 200 classmates to inform the design "
                      "of the new youth space.")
    assert not found(result, "involved-in-evaluation")


def test_visiting_other_places_to_learn_from_them_is_not_evaluation():
    result = classify("The design group visited the other hospitals to see how they run their "
                      "wards.")
    assert not found(result, "involved-in-evaluation")


def test_what_guidance_or_an_ambition_sets_out_is_not_a_fact_about_the_project():
    result = classify("The national framework sets out an ambition for people to be equal partners "
                      "in designing and delivering services, with decisions made jointly from the "
                      "start. Our patient group met once in March.")
    framed = found(result, "joint-decisions") + found(result, "from-the-start")
    assert framed and all(e["hedged"] and not e["counted"] for e in framed)
    assert result["rung"] not in {Rung.CO_DESIGN.value, Rung.CO_PRODUCTION.value}


def test_principles_in_a_lead_in_do_not_reach_a_new_subject_after_the_comma():
    result = classify("In line with the principles of co-production, residents designed the "
                      "new garden.")
    assert any(not e["hedged"] for e in counted(result, "involved-in-design"))


def test_meeting_once_is_a_one_off():
    assert counted(classify("The patient group met once, in March."), "one-off")
    assert not found(classify("The patient group meets once a month."), "one-off")


# ---- Ninth batch: who did what in longer write-ups ------------------------------------------

def test_a_board_named_inside_the_subject_is_not_the_organisation_deciding():
    result = classify("Tenants on the board set this year's repairs priorities.")
    assert not found(result, "organisation-decides-alone")


def test_a_group_of_clinical_leaders_is_staff_not_people_who_use_services():
    result = classify("The clinical leadership group then developed the new model of care.")
    assert not found(result, "involved-in-design")


def test_telling_people_about_the_decision_means_it_came_before_them():
    result = classify("At the meeting the head of service explained the decision and the "
                      "timetable for closing the unit.")
    assert counted(result, "decision-already-made")


def test_an_intention_far_along_a_list_does_not_hedge_the_start_of_it():
    result = classify("Officers explained the decision, the timetable for the closure and how "
                      "each family's support will be arranged in future.")
    assert any(not e["hedged"] for e in found(result, "told-about-decisions"))


def test_what_people_said_they_had_gained_is_an_outcome_not_a_view_asked_for():
    assert not found(classify("Most parents said they would now read to their child every day."),
                     "asked-for-views")
    assert counted(classify("Most parents said they would like the sessions on Saturdays."),
                   "asked-for-views")


def test_discussing_what_good_support_looks_like_is_giving_views():
    result = classify("At the event, service users and carers discussed what good support "
                      "looks like.")
    assert counted(result, "asked-for-views")


def test_a_chair_named_by_who_they_are_shares_leadership():
    assert counted(classify("The board has a tenant chair and three staff members."),
                   "shared-leadership")


def test_working_with_the_architects_on_the_design_is_design():
    result = classify("Over nine months the access group worked with the architects on the "
                      "step-free route and the signs, and the final design follows the group's "
                      "decisions.")
    assert counted(result, "involved-in-design")
    assert counted(result, "design-adopted")


def test_in_a_participants_own_words_being_commissioned_to_run_it_is_delivery():
    result = classify("I'm one of the parent carers on our local forum. The council commissions "
                      "us to run its information days.")
    assert counted(result, "involved-in-delivery")


# ---- Tenth batch -------------------------------------------------------------------------------

def test_a_relative_clause_that_only_describes_the_subject_does_not_cut_it_off():
    result = classify("Peer mentors, who are all former prisoners employed by the charity, "
                      "designed the mentoring programme.")
    assert counted(result, "involved-in-design")


def test_a_proposal_approved_unchanged_is_a_design_adopted():
    result = classify("The transport team took the young people's proposal to the committee, "
                      "which approved it unchanged.")
    assert counted(result, "design-adopted")


def test_a_single_online_session_is_a_one_off():
    assert counted(classify("A single online session was held with carers."), "one-off")


def test_a_family_support_worker_is_staff_not_communication_support():
    result = classify("The family support worker runs weekly workshops for parents on bedtime "
                      "routines, managing screen time and reading at home.")
    assert not found(result, "communication-support")
    assert counted(result, "taught")


def test_we_are_a_group_of_adults_who_use_the_service_is_the_writers_own_voice():
    result = classify("We are a group of autistic adults who run a cafe. We chose the venue and "
                      "planned the menu.")
    assert counted(result, "involved-in-design")
