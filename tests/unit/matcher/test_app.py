"""The matcher application: JSON in and out, errors naming fields, changes published and
applied by every replica. Storage is a SQLite file in the test's directory."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument, NotFound
from services.common.events import DIRECTORY_CHANGED
from services.matcher.app import FICTIONAL_NOTICE, MatcherApp
from services.matcher.directory import Directory
from tests.unit.matcher.conftest import Published, make_directory

MANCHESTER = {"latitude": 53.48, "longitude": -2.24}
ORG = {
    "id": "put-org", "name": "Aberdeen Deaf Voice", "description": "Deaf-led.",
    "attributes": [{"taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "100"}],
    "locations": [{"id": "put-loc", "latitude": 57.15, "longitude": -2.11}],
    "services": [
        {"id": "put-svc-1", "name": "BSL access audits", "service_at_locations": [{"location_id": "put-loc"}],
         "attributes": [{"taxonomy_term_id": "ladder-involvement:access-audit"},
                        {"taxonomy_term_id": "ladder-lived-experience:sensory-impairment"}]},
        {"id": "put-svc-2", "name": "Deaf peer support",
         "service_at_locations": [{"location_id": "put-loc"}]},
    ],
}


def refused(call, *args) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as caught:
        call(*args)
    return {v["field"]: v["description"] for v in caught.value.violations}


def noop(event_type, payload) -> None:
    pass


@pytest.mark.parametrize(("request_", "field", "words"), [
    ({"location": {"latitude": 91, "longitude": 0}}, "location.latitude", "less than or equal to 90"),
    ({"location": MANCHESTER, "radius_km": 0}, "radius_km", "greater than 0"),
    ({"location": MANCHESTER, "radius_km": 1000.5}, "radius_km", "less than or equal to 1000"),
    ({"location": MANCHESTER, "lived_experience": ["telepathy"]}, "lived_experience",
     "'telepathy' is not a known lived experience focus; known: disabled-people"),
    ({"location": MANCHESTER, "involvement": ["lunch"]}, "involvement", "not a known kind of involvement"),
    ({"location": MANCHESTER, "access_needs": ["jetpack"]}, "access_needs", "not a known access need"),
    ({"location": MANCHESTER, "languages": ["Elvish!"]}, "languages", "not a language code"),
    ({"postcode": "ZZ9 9ZZ"}, "postcode", "unknown postcode district 'ZZ9'"),
    ({"postcode": "not one"}, "postcode", "not a UK postcode"),
    ({}, "location", "give the organisation's place"),
    ({"location": MANCHESTER, "postcode": "M1"}, "location", "not both"),
])
def test_bad_match_requests_name_the_field(app, request_, field, words):
    found = refused(app.match, request_, noop)
    assert words in found[field], found


def test_a_match_by_postcode_says_how_the_place_was_found(app):
    answer = app.match({"postcode": "m1 1ae", "radius_km": 10}, noop)
    assert answer["origin"]["postcode"] == "M1 1AE"
    assert answer["origin"]["resolved_from"].startswith("postcode district M1 (its centre")
    assert answer["matches"][0]["group"]["id"] == "demo-org-001"
    assert FICTIONAL_NOTICE in answer["notices"]
    assert answer["matches"][0]["reasons"][0].startswith("Fictional demo data")


def test_without_a_postcode_file_a_postcode_match_names_the_setting(tmp_path):
    app = MatcherApp(make_directory(tmp_path))
    assert "LADDER_POSTCODE_FILE" in refused(app.match, {"postcode": "M1"}, noop)["postcode"]


def test_an_import_reports_counts_and_problems_and_a_second_one_changes_nothing(app):
    feed = {"organizations": [{"id": "imp-1", "name": "Import One"}, {"id": "imp-2"}],
            "locations": [{"id": "imp-loc", "organization_id": "imp-1", "latitude": 53.5, "longitude": -2.2}]}
    published = Published()
    first = app.import_directory({"feed": feed}, published)
    assert (first["created"], first["updated"], first["unchanged"], first["rejected"]) == (2, 0, 0, 1)
    assert first["problems"] == [{"pointer": "/organizations/1/name", "reason": "required"}]
    position = app.follower.position
    assert published.events == [(DIRECTORY_CHANGED, {"change": "import", "position": position})]
    second = app.import_directory({"feed": feed}, published)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2)
    assert len(published.events) == 1  # nothing changed, nothing published


def test_an_import_needs_its_feed_named():
    with pytest.raises(InvalidArgument) as caught:
        MatcherApp.import_directory(None, {"format": "csv"}, noop)  # type: ignore[arg-type]
    assert caught.value.violations[0]["field"] == "content"


def test_put_replaces_an_organisation_whole_and_every_replica_sees_it(tmp_path, districts):
    directory = make_directory(tmp_path, districts)
    one, two = MatcherApp(directory), MatcherApp(Directory(directory.store, districts))
    published = Published(one, two)
    created = one.put_organization({"id": "put-org", "organization": ORG}, published)
    assert created["result"] == "created" and created["user_led"]["status"] == "user-led"
    wanted = {"location": {"latitude": 57.15, "longitude": -2.11}, "radius_km": 2,
              "involvement": ["access-audit"]}
    for replica in (one, two):
        answer = replica.match(wanted, noop)["matches"]
        assert [(m["group"]["id"], m["service"]["id"]) for m in answer] == [("put-org", "put-svc-1")]

    assert one.put_organization({"id": "put-org", "organization": created["organization"]},
                                published)["result"] == "unchanged"
    smaller = {**ORG, "services": ORG["services"][1:]}
    assert one.put_organization({"id": "put-org", "organization": smaller}, published)["result"] == "updated"
    for replica in (one, two):
        answer = replica.match(wanted, noop)["matches"]
        assert [m["service"]["id"] for m in answer] == ["put-svc-2"]

    assert one.delete_organization({"id": "put-org"}, published) == {"id": "put-org"}
    for replica in (one, two):
        assert replica.match(wanted, noop)["matches"] == []
    with pytest.raises(NotFound):
        one.delete_organization({"id": "put-org"}, published)


def test_a_bad_put_stores_nothing_and_names_every_bad_value(app):
    bad = {**ORG, "services": [{"id": "s", "status": "maybe"}],
           "locations": [{"id": "put-loc", "latitude": 200, "longitude": 0}]}
    found = refused(app.put_organization, {"id": "put-org", "organization": bad}, noop)
    assert set(found) == {"/services/0/name", "/services/0/status", "/locations/0/latitude"}
    assert app.directory.store.bundles(["put-org"]) == []
    assert "/id" in refused(app.put_organization, {"id": "put-org", "organization": {**ORG, "id": "x"}}, noop)


def test_the_demo_directory_is_removed_when_the_setting_says_so(tmp_path):
    directory = make_directory(tmp_path)
    assert len(directory.store.all_bundles()) == 16
    directory.store.upsert({"organizations": []})
    app = MatcherApp(directory)
    app.import_directory({"feed": {"organizations": [{"id": "real", "name": "A real group"}]}}, noop)
    removed = directory.remove_demo()
    assert len(removed) == 16
    assert [b.organization.id for b in directory.store.all_bundles()] == ["real"]


def test_export_reimports_unchanged_in_both_formats(app):
    exported = app.export_directory({"format": "hsds"}, noop)["hsds"]
    assert "fictional" in exported["notice"]
    report = app.import_directory({"feed": exported}, noop)
    assert report["created"] == report["updated"] == report["rejected"] == 0 and report["unchanged"] > 100
    csv_text = app.export_directory({"format": "csv"}, noop)["csv"]
    assert csv_text.count("\n") == 1 + 17  # a header and one row per demo service


def test_what_the_matcher_logs_can_be_logged(tmp_path, caplog):
    caplog.set_level("INFO", logger="services.matcher")
    app = MatcherApp(make_directory(tmp_path))
    published = Published(app)
    app.put_organization({"id": "put-org", "organization": ORG}, published)
    app.directory.remove_demo()
    messages = {r.getMessage() for r in caplog.records}
    assert {"demo directory loaded", "directory indexed", "directory changes applied",
            "demo directory removed"} <= messages


def test_a_taxonomy_term_that_changes_meaning_is_reapplied_to_the_groups_using_it(tmp_path):
    directory = make_directory(tmp_path, demo=False)
    one, two = MatcherApp(directory), MatcherApp(Directory(directory.store, directory.postcodes))
    published = Published(one, two)
    feed = {"organizations": [{"id": "t-org", "name": "Term Group"}],
            "locations": [{"id": "t-loc", "organization_id": "t-org", "latitude": 57.15, "longitude": -2.11}],
            "taxonomy_terms": [{"id": "council-42", "name": "Autism", "taxonomy": "council needs"}],
            "attributes": [{"id": "t-attr", "link_id": "t-org", "link_entity": "organization",
                            "taxonomy_term_id": "council-42"},
                           {"id": "t-gb", "link_id": "t-org", "link_entity": "organization",
                            "taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "90"}]}
    one.import_directory({"feed": feed}, published)

    def found(focus: str) -> list[list[str]]:
        wanted = {"location": {"latitude": 57.15, "longitude": -2.11}, "lived_experience": [focus]}
        return [[m["group"]["id"] for m in app.match(wanted, noop)["matches"]] for app in (one, two)]

    assert found("autism") == [["t-org"], ["t-org"]]
    feed["taxonomy_terms"][0]["name"] = "Carers"  # only the term changes
    report = one.import_directory({"feed": feed}, published)
    assert report["updated"] == 1 and report["by_kind"]["taxonomy_terms"]["updated"] == 1
    _, changes = one.directory.store.changes_after(published.events[-2][1]["position"], 10)
    assert [c.organization_ids for c in changes] == [("t-org",)]  # named by the term's change
    assert found("autism") == [[], []] and found("carers") == [["t-org"], ["t-org"]]
