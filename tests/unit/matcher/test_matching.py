"""Ranking: reach, user-led first, focus, involvement, languages, access, and the reasons;
and the index's grid finding exactly what a search of everything would."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.geo import distance_km
from services.matcher.index import DirectoryIndex
from services.matcher.match import Matcher, Wanted
from services.matcher.records import (
    Attribute,
    Bundle,
    Governance,
    Location,
    Organization,
    Service,
    ServiceArea,
)
from services.matcher.vocabulary import vocabulary

MANCHESTER = (53.4808, -2.2426)
USER_LED = Governance(governing_body_percent=90)


@pytest.fixture(scope="module")
def demo(demo_bundles) -> Matcher:
    index = DirectoryIndex(vocabulary())
    index.replace([], demo_bundles)
    return Matcher(index, vocabulary())


def group(org_id: str, lat: float, lon: float, governance: Governance = USER_LED, terms=(),
          languages=(), accessibility=(), area: ServiceArea | None = None, services: int = 1) -> Bundle:
    organization = Organization(id=org_id, name=f"{org_id} group", governance=governance)
    location = Location(id=f"{org_id}-loc", organization_id=org_id, latitude=lat, longitude=lon,
                        accessibility=tuple(accessibility))
    service_list = tuple(Service(id=f"{org_id}-svc-{i}", organization_id=org_id, name=f"service {i}",
                                 languages=tuple(languages), location_ids=(location.id,))
                         for i in range(services))
    attributes = tuple(Attribute(id=f"{org_id}-{t}", organization_id=org_id, link_entity="service",
                                 link_id=service_list[0].id, taxonomy_term_id=t) for t in terms)
    return Bundle(organization=organization, services=service_list, locations=(location,),
                  attributes=attributes, service_areas=(area,) if area else ())


def matcher_for(*bundles: Bundle) -> Matcher:
    index = DirectoryIndex(vocabulary())
    index.replace([], bundles)
    return Matcher(index, vocabulary())


def ids(found) -> list[str]:
    return [f.entry.organization.id for f in found]


def near(**asked) -> Wanted:
    return Wanted(latitude=MANCHESTER[0], longitude=MANCHESTER[1], **{"radius_km": 25, **asked})


def test_only_user_led_groups_unless_allies_are_asked_for(demo):
    assert "demo-org-015" not in ids(demo.match(near()))  # a charity run for disabled people
    with_allies = demo.match(near(include_allies=True))
    assert "demo-org-015" in ids(with_allies)
    ally = next(f for f in with_allies if f.entry.organization.id == "demo-org-015")
    assert ally.score < min(f.score for f in with_allies if f.entry.verdict.status.value == "user-led")
    assert any(f.factor == "user_led" and f.score == 0 and "Not user-led" in f.reason for f in ally.factors)


def test_groups_outside_the_radius_are_left_out_and_the_rest_ranked_nearest_first(demo):
    found = demo.match(Wanted(latitude=53.8, longitude=-1.55, radius_km=30))
    assert ids(found) == ["demo-org-004", "demo-org-005"]
    assert all(f.candidate.distance_km <= 30 for f in found)
    assert found[0].candidate.distance_km < found[1].candidate.distance_km


def test_the_focus_wanted_excludes_groups_sharing_none(demo):
    found = demo.match(near(lived_experience=("mental-health",)))
    # A survivor-led group first; then a disabled people's organisation, whose pan-impairment
    # focus includes mental health (worth less than a group led by that very experience).
    assert ids(found) == ["demo-org-002", "demo-org-001"]
    factors = [next(f for f in m.factors if f.factor == "lived_experience") for m in found]
    assert (factors[0].score, factors[0].reason) == (1.0, "Lived experience: offers mental health.")
    assert factors[1].score == 0.75 and "as part of its work with disabled people" in factors[1].reason


def test_a_broad_focus_covers_narrower_ones():
    pan = group("pan", *MANCHESTER, terms=["ladder-lived-experience:disabled-people"])
    carers = group("carers", *MANCHESTER, terms=["ladder-lived-experience:carers"])
    found = matcher_for(pan, carers).match(near(lived_experience=("autism",)))
    assert ids(found) == ["pan"]
    reason = next(f.reason for f in found[0].factors if f.factor == "lived_experience")
    assert "autism (as part of its work with disabled people (all impairments))" in reason


def test_involvement_languages_and_access_rank_without_excluding():
    both = group("both", 53.50, -2.24, terms=["ladder-involvement:access-audit", "ladder-access:bsl"],
                 languages=["cy"])
    nearer = group("nearer", *MANCHESTER)
    found = matcher_for(both, nearer).match(near(involvement=("access-audit",), languages=("cy",),
                                                 access_needs=("bsl", "hearing-loop")))
    assert ids(found) == ["both", "nearer"]
    factors = {f.factor: f for f in found[0].factors}
    assert factors["involvement"].score == 1.0 and factors["languages"].score == 1.0
    assert factors["access"].score == 0.5
    assert factors["access"].reason == "Access: offers BSL (British Sign Language) interpreters or BSL-led " \
                                       "sessions, does not list a hearing (induction) loop."
    english_only = {f.factor: f for f in found[1].factors}["languages"]
    assert english_only.score == 0 and "English is assumed" in english_only.reason


def test_the_score_is_the_weighted_sum_of_its_factors(demo):
    for found in demo.match(near(lived_experience=("disabled-people",), involvement=("reference-group",),
                                 include_allies=True)):
        assert sum(f.weight for f in found.factors) == pytest.approx(1, abs=0.002)
        assert found.score == pytest.approx(sum(f.weight * f.score for f in found.factors), abs=0.003)


def test_access_is_read_from_free_text_on_locations():
    hall = group("hall", *MANCHESTER, accessibility=["Step-free entrance; hearing loop in the main room"])
    found = matcher_for(hall).match(near(access_needs=("step-free", "hearing-loop")))
    assert {f.factor: f.score for f in found[0].factors}["access"] == 1.0


def test_a_service_area_reaches_beyond_the_radius():
    circle = {"type": "Feature", "geometry": None, "properties": {"radius_km": 40}}
    area = ServiceArea(id="wide-area", organization_id="wide", service_id="wide-svc-0",
                       name="Greater Manchester", extent_type="geojson", extent=json.dumps(circle))
    wide = group("wide", 53.75, -2.24, area=area)  # 30 km north
    national = group("national", 51.5, -0.12, area=ServiceArea(
        id="uk", organization_id="national", service_id="national-svc-0", name="United Kingdom"))
    local = group("local", *MANCHESTER)
    found = matcher_for(wide, national, local).match(near(radius_km=5))
    assert ids(found) == ["local", "wide", "national"]
    wide_reason = found[1].factors[0].reason
    assert "beyond the 5 km asked for; its service area (Greater Manchester) covers the place" \
        in wide_reason
    assert "works nationally" in found[2].factors[0].reason
    assert matcher_for(wide).match(Wanted(latitude=52.0, longitude=-2.24, radius_km=5)) == []


def test_one_answer_per_organisation_and_no_more_than_the_limit():
    many = [group(f"g{i:02}", MANCHESTER[0] + i / 1000, MANCHESTER[1], services=3) for i in range(30)]
    found = matcher_for(*many).match(near(limit=7))
    assert ids(found) == [f"g{i:02}" for i in range(7)]


def test_changes_to_the_index_are_seen_by_the_next_search():
    index = DirectoryIndex(vocabulary())
    matcher = Matcher(index, vocabulary())
    index.replace([], [group("a", *MANCHESTER)])
    assert ids(matcher.match(near())) == ["a"]
    index.replace(["a"], [group("a", 51.5, -0.12)])  # moved to London
    assert ids(matcher.match(near())) == []
    index.replace([], [group("b", *MANCHESTER)])
    assert ids(matcher.match(near())) == ["b"]
    index.replace(["b"], [])  # deleted
    assert ids(matcher.match(near())) == [] and set(index.entries) == {"a-svc-0"}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), radius=st.floats(0.5, 400), lat=st.floats(49.9, 58.7),
       lon=st.floats(-7.5, 1.7))
def test_the_grid_finds_exactly_what_a_search_of_everything_finds(seed, radius, lat, lon):
    rng = random.Random(seed)
    bundles = [group(f"r{i}", rng.uniform(49.9, 58.7), rng.uniform(-7.5, 1.7)) for i in range(300)]
    index = DirectoryIndex(vocabulary())
    index.replace([], bundles)
    found = {c.entry.organization.id for c in index.candidates(lat, lon, radius, 0b111, 0)}
    expected = {b.organization.id for b in bundles
                if distance_km(lat, lon, b.locations[0].latitude, b.locations[0].longitude) <= radius}
    assert found == expected


TERMS = [f"ladder-lived-experience:{t}" for t in ("autism", "carers", "disabled-people", "mental-health")] + \
    [f"ladder-involvement:{t}" for t in ("access-audit", "reference-group", "peer-research")] + \
    [f"ladder-access:{t}" for t in ("bsl", "step-free")]
GOVERNANCE = [Governance(governing_body_percent=90), Governance(self_declared_user_led=True),
              Governance(governing_body_percent=30)]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), radius=st.sampled_from([3.0, 25.0, 120.0]), limit=st.integers(1, 12),
       focus=st.lists(st.sampled_from(["autism", "carers", "mental-health"]), max_size=2, unique=True),
       involvement=st.lists(st.sampled_from(["access-audit", "peer-research"]), max_size=2, unique=True),
       allies=st.booleans(), alike=st.booleans())
def test_skipping_cells_that_cannot_win_changes_no_answer(seed, radius, limit, focus, involvement, allies,
                                                          alike):
    rng = random.Random(seed)
    if alike:  # groups that differ only in where they are: scores are close, pruning is tight
        focus, involvement = [], []
    bundles = []
    for i in range(250):
        area = None
        if rng.random() < 0.1:
            area = ServiceArea(id=f"a{i}", organization_id=f"o{i}", service_id=f"o{i}-svc-0",
                               name=rng.choice(["national", "nearby"]), extent_type="geojson",
                               extent=json.dumps({"type": "Feature", "geometry": None,
                                                  "properties": {"radius_km": rng.choice([20, 60])}}))
        bundles.append(group(f"o{i}", 53 + rng.uniform(-1, 1), -2 + rng.uniform(-1.5, 1.5),
                             governance=GOVERNANCE[0] if alike else rng.choice(GOVERNANCE),
                             terms=[] if alike else rng.sample(TERMS, 3),
                             languages=rng.choice([(), ("cy",)]), area=area, services=rng.choice([1, 2])))
    index = DirectoryIndex(vocabulary())
    index.replace([], bundles)
    wanted = Wanted(latitude=53.0, longitude=-2.0, radius_km=radius, limit=limit,
                    lived_experience=tuple(focus), involvement=tuple(involvement), include_allies=allies)
    pruned = Matcher(index, vocabulary()).match(wanted)
    everything = Matcher(index, vocabulary(), prune=False).match(wanted)
    assert [(f.entry.key, round(f.score, 6)) for f in pruned] == \
        [(f.entry.key, round(f.score, 6)) for f in everything]
