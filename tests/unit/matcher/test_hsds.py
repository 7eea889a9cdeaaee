"""Open Referral JSON in: every bad record named by a JSON pointer, the good ones kept;
and out again, unchanged."""

from __future__ import annotations

import copy

from services.matcher.feed import Known, pointer
from services.matcher.hsds import Exporter
from services.matcher.records import bundles_from
from services.matcher.vocabulary import vocabulary
from tests.unit.matcher.conftest import demo_feed, records_of, resolve


def problems(plan) -> dict[str, str]:
    return {p.pointer: p.reason for p in plan.problems}


def ids(plan, kind: str) -> set[str]:
    return {record.id for _, record in plan.records[kind]}


def test_the_demo_feed_is_clean_and_complete():
    plan = resolve(demo_feed())
    assert plan.problems == [] and plan.rejected == 0
    assert len(plan.records["organizations"]) == 16
    organization = dict(plan.records["organizations"])["/organizations/0"]
    assert organization.fictional is True
    assert organization.governance.governing_body_percent == 90


def test_each_bad_record_is_reported_with_a_pointer_and_the_good_ones_kept():
    feed = {
        "organizations": [
            {"id": "good-org", "name": "Good Group"},
            {"id": "nameless-org", "description": "no name"},
            {"id": "good-org-2", "name": "Another Group"},
        ],
        "services": [
            {"id": "s1", "organization_id": "good-org", "name": "Panel", "status": "active"},
            {"id": "s2", "organization_id": "nameless-org", "name": "Orphan"},
            {"id": "s3", "organization_id": "nobody", "name": "Stray"},
            {"id": "s4", "organization_id": "good-org", "name": "Odd", "status": "sometimes"},
        ],
        "locations": [
            {"id": "l1", "organization_id": "good-org", "latitude": 95, "longitude": 0},
            {"id": "l2", "organization_id": "good-org-2", "latitude": 53.4, "longitude": -2.2},
        ],
        "attributes": [
            {"id": "a1", "link_id": "s1", "link_entity": "service",
             "taxonomy_term_id": "ladder-lived-experience:telepathy"},
            {"id": "a2", "link_id": "good-org-2", "link_entity": "organization",
             "taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "lots"},
            {"id": "a3", "link_id": "s1", "link_entity": "service",
             "taxonomy_term_id": "ladder-involvement:access-audit"},
        ],
    }
    plan = resolve(feed)
    found = problems(plan)
    assert found["/organizations/1/name"] == "required"
    assert "was rejected (see /organizations/1)" in found["/services/1/organization_id"]
    assert found["/services/2/organization_id"] == "no organization 'nobody' in this feed or the directory"
    assert "/services/3/status" in found
    assert "less than or equal to 90" in found["/locations/0/latitude"]
    assert found["/attributes/0/taxonomy_term_id"].startswith(
        "unknown term 'telepathy' in ladder-lived-experience")
    assert found["/attributes/1/value"] == "'lots' is not a percentage from 0 to 100"
    assert plan.rejected == 7
    assert ids(plan, "organizations") == {"good-org", "good-org-2"}
    assert ids(plan, "services") == {"s1"}
    assert ids(plan, "locations") == {"l2"}
    assert ids(plan, "attributes") == {"a3"}


def test_references_to_records_already_stored_are_accepted():
    feed = {"services": [{"id": "s9", "organization_id": "stored-org", "name": "Later service"}]}
    assert problems(resolve(feed)) == {
        "/services/0/organization_id": "no organization 'stored-org' in this feed or the directory"}
    known = Known()
    known.owners["organizations"]["stored-org"] = "stored-org"
    plan = resolve(feed, known)
    assert plan.problems == [] and ids(plan, "services") == {"s9"}


def test_the_same_id_twice_with_different_content_is_refused_and_repeats_are_merged():
    org = {"id": "o1", "name": "Group"}
    plan = resolve({"organizations": [org, dict(org), {"id": "o1", "name": "Renamed"}]})
    assert list(problems(plan)) == ["/organizations/2/id"]
    assert "first at /organizations/0" in problems(plan)["/organizations/2/id"]


def test_governance_facts_must_come_with_their_organization():
    feed = {"attributes": [{"id": "g", "link_id": "elsewhere", "link_entity": "organization",
                            "taxonomy_term_id": "ladder-governance:staff_percent", "value": "60"}]}
    assert "send it with that organization" in problems(resolve(feed))["/attributes/0/link_id"]


def test_an_open_referral_uk_page_of_nested_services_is_read():
    page = {"totalElements": 1, "content": [{
        "id": "svc-1", "name": "Autism peer group", "status": "active",
        "organization": {"id": "org-1", "name": "Autistic Adults Together", "url": "https://example.org"},
        "languages": [{"id": "x", "language": "Welsh"}, {"language": "Klingon"}],
        "service_areas": [{"id": "area-1", "service_area": "National"}],
        "service_taxonomys": [
            {"id": "st-1", "taxonomy": {"id": "t-1", "name": "Autism", "vocabulary": "Needs"}},
            {"id": "st-2", "taxonomy": {"id": "t-2", "name": "Access audit", "vocabulary": "Activities"}},
        ],
        "service_at_locations": [{"id": "sal-1", "location": {
            "id": "loc-1", "name": "Hall", "latitude": 51.48, "longitude": -3.18,
            "physical_addresses": [{"address_1": "1 High St", "city": "Cardiff", "postal_code": "CF10 1AA"}],
            "accessibility_for_disabilities": [{"accessibility": "Wheelchair accessible, hearing loop"}],
        }}],
    }]}
    plan = resolve(page)
    assert plan.problems == []
    assert [w.pointer for w in plan.warnings] == ["/content/0/languages/1"]
    records = records_of(plan)
    service = records["services"][0]
    assert (service.organization_id, service.languages) == ("org-1", ("cy",))
    assert service.location_ids == ("loc-1",)
    assert records["organizations"][0].website == "https://example.org"
    location = records["locations"][0]
    assert (location.organization_id, location.city, location.postal_code) == ("org-1", "Cardiff", "CF10 1AA")
    assert location.accessibility == ("Wheelchair accessible, hearing loop",)
    assert records["service_areas"][0].name == "National"
    assert {t.taxonomy for t in records["taxonomy_terms"]} == {"Needs", "Activities"}
    assert {(a.link_id, a.taxonomy_term_id) for a in records["attributes"]} == {
        ("svc-1", "t-1"), ("svc-1", "t-2")}


def test_an_hsds_3_organization_with_nested_records_is_read():
    feed = [{"id": "org-2", "name": "Survivors Voice", "description": "Survivor-led.",
             "attributes": [{"taxonomy_term_id": "ladder-governance:governing_body_percent", "value": 100}],
             "locations": [{"id": "loc-2", "latitude": 53.48, "longitude": -2.24,
                            "accessibility": [{"description": "Quiet room available"}]}],
             "services": [{"id": "svc-2", "name": "Design panel", "status": "active",
                           "service_at_locations": [{"location_id": "loc-2"}],
                           "attributes": [{"id": "a-2", "taxonomy_term": {
                               "id": "ladder-lived-experience:mental-health", "name": "mental health"}}]}]}]
    plan = resolve(feed)
    assert plan.problems == []
    records = records_of(plan)
    assert records["organizations"][0].governance.governing_body_percent == 100
    assert records["services"][0].organization_id == "org-2"
    assert records["attributes"][0].link_id == "svc-2"
    assert records["taxonomy_terms"] == []  # Ladder's own terms are not stored


def test_a_document_that_is_not_a_feed_is_one_problem_at_the_root():
    assert list(problems(resolve("just text"))) == [""]
    assert "no records found" in problems(resolve({"hello": 1}))[""]


def test_export_reads_back_as_the_same_records():
    plan = resolve(demo_feed())
    records = records_of(plan)
    exported = Exporter(vocabulary()).flat(bundles_from(records), records["taxonomy_terms"])
    again = records_of(resolve(copy.deepcopy(exported)))
    for kind, items in records.items():
        assert sorted(items, key=lambda r: r.id) == sorted(again[kind], key=lambda r: r.id), kind


def test_a_nested_organization_reads_back_as_the_same_records(demo_bundles):
    bundle = demo_bundles[0]
    nested = Exporter(vocabulary()).nested(bundle)
    again = bundles_from(records_of(resolve(nested)))
    assert again == [bundle]


def test_json_pointers_escape_slashes_and_tildes():
    assert pointer("/organizations/3", "name") == "/organizations/3/name"
    assert pointer("", "a/b", "c~d", 0) == "/a~1b/c~0d/0"
