"""Recommendations under constraints: hard constraints are never broken (for any request,
by hypothesis), costs add up from the catalogue, the ranking explains itself, the plan
climbs rung by rung within budget and weeks, and when nothing fits the answer says why and
what would change it, and that change really does."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.common.errors import InvalidArgument
from services.common.rungs import Rung
from services.recommender.app import RecommenderApp
from services.recommender.catalogue import (
    AccessNeed,
    Catalogue,
    LivedExperience,
    Method,
    Mode,
    load_catalogue,
)
from services.recommender.climbing import JigsawPiece, load_climbing
from services.recommender.schema import RecommendResponse

CATALOGUE = load_catalogue()
CLIMBING = load_climbing()
RATE = 25.0
APP = RecommenderApp(CATALOGUE, CLIMBING, payment_rate_gbp_per_hour=RATE)


def ask(**request: Any) -> dict[str, Any]:
    answer = APP.recommend(request, publish=lambda *_: None)
    RecommendResponse.model_validate(answer)  # every answer has the documented shape
    return answer


def ids(answer: dict[str, Any]) -> list[str]:
    return [r["method"]["id"] for r in answer["recommendations"]]


def expected_cost(method: Method, request: dict[str, Any]) -> float:
    """The full cost, worked out here from the catalogue, independently of the code."""
    participants = request.get("participants")
    people = method.group_size.min if participants is None else min(participants, method.group_size.max)
    rate = request.get("payment_rate_gbp_per_hour", RATE)
    total = method.cost.fixed_gbp + people * method.cost.per_participant_gbp
    total += people * method.participant_hours * rate
    total += sum(method.access[AccessNeed(n)].cost_per_session_gbp * method.sessions
                 for n in request.get("access_needs", []))
    if request.get("language") == "cy":
        total += method.welsh.translation_gbp + method.welsh.cost_per_session_gbp * method.sessions
    return total


def breaks(method: Method, request: dict[str, Any]) -> list[str]:
    """Which hard constraints a method breaks, judged here from the catalogue."""
    broken = []
    if "mode" in request and Mode(request["mode"]) not in method.modes:
        broken.append("mode")
    if any(not method.access[AccessNeed(n)].can_meet for n in request.get("access_needs", [])):
        broken.append("access_needs")
    if "weeks" in request and method.duration_weeks.min > request["weeks"]:
        broken.append("weeks")
    if "budget_gbp" in request and expected_cost(method, request) > request["budget_gbp"] + 1e-6:
        broken.append("budget_gbp")
    return broken


# --- hard constraints, for any request --------------------------------------------------

requests = st.fixed_dictionaries(
    {"current_rung": st.sampled_from([r.value for r in Rung if r < Rung.CO_PRODUCTION])},
    optional={
        "budget_gbp": st.one_of(st.integers(0, 60_000), st.floats(0, 400_000)),
        "weeks": st.integers(1, 80),
        "participants": st.integers(1, 3000),
        "mode": st.sampled_from([m.value for m in Mode]),
        "access_needs": st.lists(st.sampled_from([n.value for n in AccessNeed]), unique=True),
        "lived_experience": st.lists(st.sampled_from([p.value for p in LivedExperience]),
                                     unique=True, max_size=3),
        "language": st.sampled_from(["en", "cy"]),
        "payment_rate_gbp_per_hour": st.sampled_from([0, 12.5, 25, 40]),
        "limit": st.integers(1, 50),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests, st.integers(0, 3))
def test_no_recommendation_or_plan_step_ever_breaks_a_hard_constraint(request, climb):
    current = Rung(request["current_rung"])
    target = list(Rung)[min(current.position + 1 + climb, 6)]
    request = {**request, "target_rung": target.value}
    answer = ask(**request)
    for r in answer["recommendations"]:
        method = CATALOGUE.by_id(r["method"]["id"])
        assert target in method.rungs
        assert breaks(method, request) == [], (method.id, r["estimated_cost"])
        # Reported to the penny; each line is rounded on its own, so they may differ by one.
        penny = 0.0051
        assert r["estimated_cost"]["total_gbp"] == pytest.approx(expected_cost(method, request),
                                                                 abs=penny)
        items = sum(i["gbp"] for i in r["estimated_cost"]["items"])
        assert items == pytest.approx(r["estimated_cost"]["total_gbp"], abs=2 * penny)
    assert len(answer["recommendations"]) <= request.get("limit", 10)
    assert (answer["nothing_fits"] is None) == bool(answer["recommendations"])

    planned = [s for s in answer["plan"] if s["method_ids"]]
    for step in planned:
        method = CATALOGUE.by_id(step["method_ids"][0])
        assert Rung(step["rung"]) in method.rungs
        assert breaks(method, request) == []
    total = sum(s["estimated_cost_gbp"] for s in planned)
    assert total <= request.get("budget_gbp", math.inf) + 1e-6
    assert sum(s["weeks"] for s in planned) <= request.get("weeks", 10**6)


def test_scores_are_in_order_and_between_0_and_1():
    answer = ask(current_rung="consultation", budget_gbp=20_000, participants=15,
                 lived_experience=["carers"])
    scores = [r["score"] for r in answer["recommendations"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


# --- rungs and defaults -----------------------------------------------------------------


@pytest.mark.parametrize("current", [r for r in Rung if r < Rung.CO_PRODUCTION], ids=str)
def test_the_target_defaults_to_the_rung_above(current):
    answer = ask(current_rung=current.value)
    assert answer["target_rung"] == current.next_up().value
    assert answer["recommendations"]
    assert all(answer["target_rung"] in r["method"]["rungs"] for r in answer["recommendations"])


def test_at_the_top_the_target_is_the_top():
    answer = ask(current_rung="co-production")
    assert answer["target_rung"] == "co-production"
    assert [s["rung"] for s in answer["plan"]] == ["co-production"]


def test_methods_aimed_squarely_at_the_target_explain_it_first():
    answer = ask(current_rung="engagement")
    first = answer["recommendations"][0]
    assert first["reasons"][0].startswith("Reaches co-design")


# --- costs ------------------------------------------------------------------------------


def test_a_cost_is_itemised_fixed_people_payment_access_and_welsh():
    request = {"current_rung": "consultation", "participants": 12, "access_needs": ["bsl"],
               "language": "cy", "limit": 50}
    answer = ask(**request)
    panel = next(r for r in answer["recommendations"] if r["method"]["id"] == "user-panel")
    method = CATALOGUE.by_id("user-panel")
    items = {i["item"]: i["gbp"] for i in panel["estimated_cost"]["items"]}
    assert items[f"paying 12 participants {method.participant_hours:g} hours each at £25 an hour"] \
        == 12 * method.participant_hours * 25
    assert items[f"BSL interpreters: {method.sessions} sessions at "
                 f"£{method.access[AccessNeed.BSL].cost_per_session_gbp}"] \
        == method.sessions * method.access[AccessNeed.BSL].cost_per_session_gbp
    assert items["Welsh translation of the materials"] == method.welsh.translation_gbp
    assert panel["estimated_cost"]["total_gbp"] == pytest.approx(expected_cost(method, request))


def test_welsh_adds_exactly_its_translation_and_sessions():
    english = ask(current_rung="engagement", participants=10, limit=50)
    welsh = ask(current_rung="engagement", participants=10, limit=50, language="cy")
    english_totals = {r["method"]["id"]: r["estimated_cost"]["total_gbp"] for r in english["recommendations"]}
    for r in welsh["recommendations"]:
        method = CATALOGUE.by_id(r["method"]["id"])
        extra = method.welsh.translation_gbp + method.sessions * method.welsh.cost_per_session_gbp
        assert r["estimated_cost"]["total_gbp"] == pytest.approx(english_totals[method.id] + extra)
        assert any("Welsh" in reason for reason in r["reasons"])


def test_participants_beyond_a_methods_largest_group_are_not_costed_but_named():
    answer = ask(current_rung="consultation", participants=500, limit=50)
    panel = next(r for r in answer["recommendations"] if r["method"]["id"] == "focus-group")
    largest = CATALOGUE.by_id("focus-group").group_size.max
    items = [i["item"] for i in panel["estimated_cost"]["items"]]
    assert any(item.startswith(f"paying {largest} participants") for item in items)
    assert any(f"other {500 - largest} of your 500" in t for t in panel["trade_offs"])


def test_the_payment_rate_defaults_to_the_setting(monkeypatch):
    monkeypatch.setenv("LADDER_PAYMENT_RATE_GBP_PER_HOUR", "30")
    app = RecommenderApp(CATALOGUE, CLIMBING)
    answer = app.recommend({"current_rung": "consultation", "participants": 8}, publish=None)
    assert answer["payment_rate_gbp_per_hour"] == 30
    items = [i["item"] for r in answer["recommendations"] for i in r["estimated_cost"]["items"]]
    assert any("at £30 an hour" in item for item in items)


def test_a_request_rate_overrides_the_setting_and_zero_is_named_as_a_trade_off():
    answer = ask(current_rung="consultation", payment_rate_gbp_per_hour=0)
    assert answer["payment_rate_gbp_per_hour"] == 0
    for r in answer["recommendations"]:
        assert not any(i["item"].startswith("paying") for i in r["estimated_cost"]["items"])
        assert any("unpaid" in t for t in r["trade_offs"])


# --- ranking and its reasons ------------------------------------------------------------


def test_methods_known_to_suit_the_people_rank_first_and_say_so():
    answer = ask(current_rung="engagement", lived_experience=["learning-disability"], limit=50)
    suits = [LivedExperience.LEARNING_DISABILITY in CATALOGUE.by_id(i).works_well_with
             for i in ids(answer)]
    assert suits[0] and True in suits and False in suits
    assert suits == sorted(suits, reverse=True) or suits.index(False) >= 3
    first = answer["recommendations"][0]
    assert any("people with learning disabilities" in r for r in first["reasons"])
    last_unsuited = next(r for r, s in zip(answer["recommendations"], suits, strict=True) if not s)
    assert any("Not known for working with people with learning disabilities" in t
               for t in last_unsuited["trade_offs"])


def test_a_budget_reason_states_the_money_left():
    answer = ask(current_rung="consultation", budget_gbp=6000, participants=10)
    for r in answer["recommendations"]:
        spare = 6000 - r["estimated_cost"]["total_gbp"]
        money = f"£{spare:,.0f}" if float(spare).is_integer() else f"£{spare:,.2f}"
        assert any(f"({money} to spare)" in reason for reason in r["reasons"]), r["reasons"]


def test_access_reasons_quote_the_catalogue_notes():
    answer = ask(current_rung="consultation", access_needs=["bsl", "quiet-space"])
    for r in answer["recommendations"]:
        method = CATALOGUE.by_id(r["method"]["id"])
        text = " ".join(r["reasons"])
        assert method.access[AccessNeed.BSL].note in text
        assert method.access[AccessNeed.QUIET_SPACE].note in text


# --- nothing fits -----------------------------------------------------------------------


def _extra(answer: dict[str, Any], pattern: str) -> tuple[int, str]:
    for text in answer["nothing_fits"]["what_would_change_it"]:
        found = re.fullmatch(pattern, text)
        if found:
            return int(found.group(1).replace(",", "")), found.group(2)
    raise AssertionError(answer["nothing_fits"]["what_would_change_it"])


def test_too_small_a_budget_says_how_much_more_would_do_and_it_does():
    request = {"current_rung": "engagement", "budget_gbp": 100, "participants": 10}
    answer = ask(**request)
    assert answer["recommendations"] == []
    nothing = answer["nothing_fits"]
    reaching = [m for m in CATALOGUE.methods if Rung.CO_DESIGN in m.rungs]
    assert nothing["methods_reaching_target"] == len(reaching)
    assert nothing["excluded"] == [{"constraint": "budget_gbp", "methods": len(reaching)}]
    assert f"rules out {len(reaching)} of the {len(reaching)}" in nothing["reasons"][0]
    cheapest = min(expected_cost(m, request) for m in reaching)
    extra, _ = _extra(answer, r"An extra £([\d,]+) \(.*\) would make (.+) possible\.")
    assert extra == math.ceil(cheapest - 100)
    assert ask(**{**request, "budget_gbp": 100 + extra})["recommendations"]
    assert not ask(**{**request, "budget_gbp": 100 + extra - 1})["recommendations"]


def test_too_few_weeks_says_how_many_more_would_do_and_they_do():
    request = {"current_rung": "co-design", "weeks": 2}
    answer = ask(**request)
    assert answer["recommendations"] == []
    more, _ = _extra(answer, r"(\d+) more weeks? \(.*\) would make (.+) possible\.")
    quickest = min(m.duration_weeks.min for m in CATALOGUE.methods if Rung.CO_PRODUCTION in m.rungs)
    assert more == quickest - 2
    assert ask(**{**request, "weeks": 2 + more})["recommendations"]


def test_fewer_people_is_offered_when_paying_them_breaks_the_budget_and_it_works():
    request = {"current_rung": "co-design", "budget_gbp": 6500, "participants": 20}
    answer = ask(**request)
    assert answer["recommendations"] == []
    texts = answer["nothing_fits"]["what_would_change_it"]
    fewer = next(t for t in texts if t.startswith("Involving"))
    people = int(re.match(r"Involving (\d+) people", fewer).group(1))
    assert people < 20
    assert ask(**{**request, "participants": people})["recommendations"]


def test_a_nearer_rung_is_offered_when_it_fits():
    answer = ask(current_rung="consultation", target_rung="co-production", budget_gbp=4000,
                 participants=10)
    assert answer["recommendations"] == []
    nearer = [t for t in answer["nothing_fits"]["what_would_change_it"] if t.startswith("Aiming first")]
    assert nearer and "engagement" in nearer[0]
    assert ask(current_rung="consultation", budget_gbp=4000, participants=10)["recommendations"]


def test_another_mode_is_offered_and_it_works():
    # Every method reaching co-production can run in person; online-only ones are few.
    catalogue = Catalogue(version=1, methods=tuple(
        m.model_copy(update={"modes": (Mode.IN_PERSON,)}) if Rung.CO_PRODUCTION in m.rungs else m
        for m in CATALOGUE.methods
    ))
    app = RecommenderApp(catalogue, CLIMBING, payment_rate_gbp_per_hour=RATE)
    answer = app.recommend({"current_rung": "co-design", "mode": "online"}, publish=None)
    assert answer["recommendations"] == []
    assert answer["nothing_fits"]["excluded"][0]["constraint"] == "mode"
    assert any(t.startswith("Running it in person rather than online would make")
               for t in answer["nothing_fits"]["what_would_change_it"])
    again = app.recommend({"current_rung": "co-design", "mode": "in-person"}, publish=None)
    assert again["recommendations"]


def test_an_access_need_is_never_offered_as_something_to_drop():
    unmet = {"can_meet": False, "cost_per_session_gbp": 0, "note": "cannot"}
    catalogue = Catalogue(version=1, methods=tuple(
        m.model_copy(update={"access": {**m.access, AccessNeed.PAPER: m.access[AccessNeed.PAPER]
                                        .model_copy(update=unmet)}})
        for m in CATALOGUE.methods
    ))
    app = RecommenderApp(catalogue, CLIMBING, payment_rate_gbp_per_hour=RATE)
    answer = app.recommend({"current_rung": "consultation", "access_needs": ["paper"]}, publish=None)
    assert answer["recommendations"] == []
    nothing = answer["nothing_fits"]
    assert "paper for people offline" in nothing["reasons"][0]
    assert not any("paper" in t for t in nothing["what_would_change_it"])


def test_several_constraints_are_each_counted():
    answer = ask(current_rung="engagement", budget_gbp=1000, weeks=3, mode="online")
    excluded = {x["constraint"]: x["methods"] for x in answer["nothing_fits"]["excluded"]}
    reaching = [m for m in CATALOGUE.methods if Rung.CO_DESIGN in m.rungs]
    assert excluded["mode"] == sum(Mode.ONLINE not in m.modes for m in reaching)
    assert excluded["weeks"] == sum(m.duration_weeks.min > 3 for m in reaching)
    assert "No method passes all of these together." in answer["nothing_fits"]["reasons"]


# --- the plan and the organisation's actions --------------------------------------------


def test_the_plan_climbs_every_rung_in_order_one_after_another():
    answer = ask(current_rung="informing", target_rung="co-production", budget_gbp=60_000,
                 weeks=104, participants=12)
    plan = answer["plan"]
    assert [s["rung"] for s in plan] == ["consultation", "engagement", "co-design", "co-production"]
    assert all(s["method_ids"] for s in plan)
    assert len({s["method_ids"][0] for s in plan}) == 4
    week = 1
    for step in plan:
        assert step["starts_week"] == week
        assert f"weeks {week} to {week + step['weeks'] - 1}" in step["why"]
        week += step["weeks"]
        assert step["why"].startswith(CLIMBING.rungs[Rung(step["rung"])].step)
    assert sum(s["estimated_cost_gbp"] for s in plan) <= 60_000


def test_the_plan_leaves_room_for_later_steps():
    # Three methods: the best-ranked for co-design is dear; taking it would leave too little
    # for co-production. The plan must take the cheaper co-design method and fill both steps.
    dear = CATALOGUE.by_id("co-design-workshops").model_copy(
        update={"id": "dear", "effort": "low", "rungs": (Rung.CO_DESIGN,)})
    cheap = CATALOGUE.by_id("co-design-workshops").model_copy(update={
        "id": "cheap", "effort": "high", "rungs": (Rung.CO_DESIGN,),
        "cost": CATALOGUE.by_id("journey-mapping").cost})
    final = CATALOGUE.by_id("co-production-group").model_copy(update={"id": "final"})
    app = RecommenderApp(Catalogue(version=1, methods=(dear, cheap, final)), CLIMBING,
                         payment_rate_gbp_per_hour=RATE)
    request = {"current_rung": "engagement", "target_rung": "co-production", "participants": 10}
    loose = app.recommend(request, publish=None)["plan"]
    assert loose[0]["method_ids"] == ["dear"]  # the best, when money is no object
    costs = {r["method"]["id"]: r["estimated_cost"]["total_gbp"] for rung in ("engagement", "co-design")
             for r in app.recommend({**request, "target_rung": None, "current_rung": rung},
                                    publish=None)["recommendations"]}
    budget = costs["cheap"] + costs["final"]
    assert costs["dear"] + costs["final"] > budget
    tight = app.recommend({**request, "budget_gbp": budget}, publish=None)["plan"]
    assert [s["method_ids"] for s in tight] == [["cheap"], ["final"]]


def test_a_plan_step_that_cannot_fit_says_why():
    answer = ask(current_rung="consultation", target_rung="co-production", budget_gbp=4000)
    empty = [s for s in answer["plan"] if not s["method_ids"]]
    assert empty
    for step in empty:
        assert step["starts_week"] is None and step["weeks"] == 0
        assert "fits" in step["why"]


def test_organisation_actions_cover_the_jigsaw_for_each_rung_climbed():
    answer = ask(current_rung="consultation", target_rung="co-design")
    actions = answer["organisation_actions"]
    assert {(a["rung"], a["piece"]) for a in actions} == {
        (rung, piece.value) for rung in ("engagement", "co-design") for piece in JigsawPiece
    }
    assert [a["rung"] for a in actions] == sorted((a["rung"] for a in actions),
                                                  key=lambda r: Rung(r).position)
    for action in actions:
        assert action["sources"] and all(s.startswith("https://") for s in action["sources"])


# --- the app ----------------------------------------------------------------------------


def test_the_app_needs_a_current_rung():
    with pytest.raises(InvalidArgument) as caught:
        APP.recommend({}, publish=None)
    assert caught.value.violations[0]["field"] == "current_rung"
    with pytest.raises(InvalidArgument) as caught:
        APP.recommend({"answers": {"payment": "paid"}}, publish=None)
    assert "assessed by the gateway" in caught.value.violations[0]["description"]


@pytest.mark.parametrize(("request_", "field", "words"), [
    ({"budget_gbp": -1}, "budget_gbp", "must not be negative"),
    ({"budget_gbp": 1_000_001}, "budget_gbp", "at most £1,000,000"),
    ({"budget_gbp": "5000"}, "budget_gbp", "valid number"),
    ({"budget_gbp": float("nan")}, "budget_gbp", "finite"),
    ({"weeks": 0}, "weeks", "at least 1"),
    ({"weeks": 521}, "weeks", "at most 520"),
    ({"participants": 0}, "participants", "from 1 to 100,000"),
    ({"access_needs": ["braille"]}, "access_needs[0]", "'bsl'"),
    ({"access_needs": ["bsl", "bsl"]}, "access_needs", "more than once"),
    ({"lived_experience": ["cats"]}, "lived_experience[0]", "'carers'"),
    ({"language": "fr"}, "language", "'en' or 'cy'"),
    ({"mode": "telepathy"}, "mode", "'hybrid'"),
    ({"target_rung": "informing"}, "target_rung", "below current_rung 'consultation'"),
    ({"target_rung": "coercion"}, "target_rung", "not a rung to aim for"),
    ({"target_rung": "partnership"}, "target_rung", "'co-design'"),
    ({"payment_rate_gbp_per_hour": 500}, "payment_rate_gbp_per_hour", "£200"),
])
def test_bad_input_names_the_field(request_, field, words):
    with pytest.raises(InvalidArgument) as caught:
        APP.recommend({"current_rung": "consultation", **request_}, publish=None)
    found = {v["field"]: v["description"] for v in caught.value.violations}
    assert field in found, found
    assert words in found[field]
