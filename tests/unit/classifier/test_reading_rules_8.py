"""General reading rules of issue 3, round 8, read from the seventh set's tuning half (written
blind): a negation inside a condition that has closed ("if the conditions are not met, ...")
does not reach what follows; a board whose members are all residents is resident-controlled;
resident inspectors are residents; a design "written over six months by" people is theirs;
demonstrating devices is teaching. Every sentence here was written for these tests, from the
ladder's definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- Negation: a closed condition keeps its "not" to itself ------------------------------------


def test_a_negation_inside_a_closed_condition_does_not_turn_round_what_follows():
    result = classify("Drivers attend a safety talk. If the conditions are not met, they may be prosecuted.")
    assert scored(result, "compulsory")
    result = classify("People who miss the talk will not be prosecuted.")
    assert found(result, "compulsory") and not scored(result, "compulsory")


# ---- User-led: every member of the board is a resident ------------------------------------------


def test_a_board_whose_members_are_all_residents_is_user_led():
    assert scored(classify("The board has nine members, all tenants of the estate."), "user-led")
    assert not found(classify("The board has nine members, all council officers."), "user-led")
    assert not found(classify("The board heard that most tenants were happy with repairs."), "user-led")


# ---- Evaluation: resident inspectors are residents ----------------------------------------------


def test_resident_inspectors_who_inspect_take_part_in_evaluation():
    result = classify("Resident inspectors carried out estate inspections every quarter.")
    assert scored(result, "involved-in-evaluation")


# ---- Design: written over a stretch of time by people ---------------------------------------------


def test_a_design_written_over_months_by_people_is_theirs():
    result = classify("The new leaflet was written over three months by parents of autistic children.")
    assert scored(result, "involved-in-design")


# ---- Taught: demonstrating devices ---------------------------------------------------------------


def test_demonstrating_devices_to_people_is_teaching():
    assert scored(classify("Officers demonstrated smoke alarm devices at each coffee morning."), "taught")
