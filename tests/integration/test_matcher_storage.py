"""The matcher's directory in real databases: SQLite and PostgreSQL, the same code.

Import is idempotent and reports each bad record; export reads back unchanged; an
organisation is replaced or deleted whole; each write is a transaction, so a record is
stored whole or not at all; the directory survives a restart."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import DBAPIError  # pg8000 reports a foreign key as ProgrammingError

from services.common.settings import Settings
from services.matcher.app import MatcherApp
from services.matcher.directory import DEMO_DIRECTORY, Directory
from services.matcher.records import Bundle, Organization, Service, ServiceArea
from services.matcher.store import TABLES
from tests.support import databases

database_url = databases.database_url  # the fixture: each test runs on SQLite and on PostgreSQL

FEED = {
    "organizations": [{"id": "st-org-1", "name": "Storage Test Forum", "description": "User-led."},
                      {"id": "st-org-2", "description": "It has no name."}],
    "services": [{"id": "st-svc-1", "organization_id": "st-org-1", "name": "Reference group",
                  "languages": [{"code": "cy"}]},
                 {"id": "st-svc-2", "organization_id": "st-org-2", "name": "Orphaned"}],
    "locations": [{"id": "st-loc-1", "organization_id": "st-org-1", "latitude": 57.15, "longitude": -2.11,
                   "accessibility": [{"description": "Step-free; hearing loop"}]}],
    "service_at_locations": [{"service_id": "st-svc-1", "location_id": "st-loc-1"}],
    "service_areas": [{"id": "st-area-1", "service_id": "st-svc-1", "name": "national"}],
    "taxonomy_terms": [{"id": "esd-autism", "name": "Autism", "taxonomy": "esd needs"}],
    "attributes": [
        {"id": "st-a-1", "link_id": "st-svc-1", "link_entity": "service", "taxonomy_term_id": "esd-autism"},
        {"id": "st-a-2", "link_id": "st-org-1", "link_entity": "organization",
         "taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "85"},
    ],
}
ABERDEEN = {"location": {"latitude": 57.15, "longitude": -2.10}, "radius_km": 5}


def settings_for(url: str, demo: bool = False) -> Settings:
    return Settings(database_url=url, demo_directory=demo)


def counts(directory: Directory, org_id: str) -> dict[str, int]:
    """Rows of each kind that belong to this organisation."""
    found = {}
    with directory.store.engine.connect() as connection:
        for kind, table in TABLES.items():
            if kind != "taxonomy_terms":
                owner = table.c.id if kind == "organizations" else table.c.organization_id
                found[kind] = len(connection.execute(table.select().where(owner == org_id)).all())
    return found


def test_an_import_stores_the_good_records_reports_the_bad_and_is_idempotent(database_url):
    directory = Directory.from_settings(settings_for(database_url))
    first = directory.import_hsds(FEED).report("hsds")
    assert (first["created"], first["updated"], first["unchanged"], first["rejected"]) == (6, 0, 0, 2)
    assert {p["pointer"] for p in first["problems"]} == {"/organizations/1/name",
                                                         "/services/1/organization_id"}
    again = directory.import_hsds(FEED).report("hsds")
    assert (again["created"], again["updated"], again["unchanged"], again["rejected"]) == (0, 0, 6, 2)
    changed = json.loads(json.dumps(FEED))
    changed["services"][0]["name"] = "Paid reference group"
    third = directory.import_hsds(changed).report("hsds")
    assert (third["created"], third["updated"], third["by_kind"]["services"]["updated"]) == (0, 1, 1)
    [bundle] = directory.store.bundles(["st-org-1"])
    assert bundle.services[0].name == "Paid reference group" and bundle.services[0].languages == ("cy",)
    assert bundle.organization.governance.governing_body_percent == 85


def test_the_export_reads_back_unchanged(database_url):
    directory = Directory.from_settings(settings_for(database_url, demo=True))
    directory.import_hsds(FEED)
    exported = directory.export_hsds()
    report = directory.import_hsds(json.loads(json.dumps(exported))).report("hsds")
    assert (report["created"], report["updated"], report["rejected"]) == (0, 0, 0)
    assert report["unchanged"] == sum(len(exported[k]) for k in (
        "organizations", "services", "locations", "service_areas")) + len(
        [t for t in exported["taxonomy_terms"] if not t["id"].startswith("ladder-")]) + len(
        [a for a in exported["attributes"] if not a["taxonomy_term_id"].startswith(("ladder-governance:",
                                                                                     "ladder-record:"))])
    assert directory.export_hsds() == exported


def test_put_replaces_an_organisation_and_delete_removes_everything_attached(database_url):
    directory = Directory.from_settings(settings_for(database_url))
    directory.import_hsds(FEED)
    assert counts(directory, "st-org-1") == {"organizations": 1, "locations": 1, "services": 1,
                                             "service_areas": 1, "attributes": 1}
    result, bundle, _ = directory.put_organization("st-org-1", {"name": "Storage Test Forum",
                                                                   "locations": FEED["locations"]})
    assert result == "updated" and bundle.services == ()
    assert counts(directory, "st-org-1") == {"organizations": 1, "locations": 1, "services": 0,
                                             "service_areas": 0, "attributes": 0}
    assert directory.delete_organization("st-org-1") is True
    assert counts(directory, "st-org-1") == dict.fromkeys(counts(directory, "st-org-1"), 0)
    assert directory.delete_organization("st-org-1") is False


def test_a_write_that_the_database_refuses_leaves_nothing_half_written(database_url):
    directory = Directory.from_settings(settings_for(database_url))
    directory.import_hsds(FEED)
    store = directory.store
    good = Service(id="st-svc-9", organization_id="st-org-1", name="Would be stored")
    orphan = Service(id="st-svc-10", organization_id="no-such-org", name="Refused by the foreign key")
    head = store.change_head()
    with pytest.raises(DBAPIError):
        store.upsert({"services": [good, orphan]})
    assert [s.id for s in store.bundles(["st-org-1"])[0].services] == ["st-svc-1"]
    assert store.change_head() == head  # the log row went with the rest of the transaction

    before = store.bundles(["st-org-1"])
    broken = Bundle(organization=Organization(id="st-org-1", name="Renamed"),
                    service_areas=(ServiceArea(id="x", organization_id="st-org-1", service_id="missing"),))
    with pytest.raises(DBAPIError):
        store.replace_organization(broken)
    assert store.bundles(["st-org-1"]) == before


def test_concurrent_writers_get_change_positions_in_commit_order_with_no_gap(database_url):
    """Replicas trust that having read position n they have seen every change up to n: on
    PostgreSQL, where writers really run at once, no position may be skipped, and each one
    must be visible once any later one is."""
    directory = Directory.from_settings(settings_for(database_url))
    store = directory.store
    seen_out_of_order: list[tuple[int, list[int]]] = []
    stop = threading.Event()

    def write(n: int) -> None:
        for k in range(15):
            org = Organization(id=f"cw-{n}-{k % 3}", name=f"Writer {n}, write {k}")
            store.replace_organization(Bundle(organization=org))

    def watch() -> None:  # as a replica reads: the head, then the rows up to it
        while not stop.is_set():
            head, rows = store.changes_after(0, 10_000)
            positions = [r.position for r in rows if r.position <= head]
            if positions != list(range(1, head + 1)):
                seen_out_of_order.append((head, positions))

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    stop.set()
    watcher.join()
    head, rows = store.changes_after(0, 10_000)
    assert head == 60 and [r.position for r in rows] == list(range(1, 61))
    assert not seen_out_of_order, seen_out_of_order[:3]
    assert all(len(r.organization_ids) == 1 for r in rows)


def test_the_directory_and_its_matches_survive_a_restart(database_url):
    first = MatcherApp(Directory.from_settings(settings_for(database_url)))
    first.import_directory({"feed": FEED}, lambda _, event: first.directory_changed(event))
    found = [m["group"]["id"] for m in first.match(ABERDEEN, lambda *_: None)["matches"]]
    assert found == ["st-org-1"]
    first.directory.store.engine.dispose()

    restarted = MatcherApp(Directory.from_settings(settings_for(database_url)))
    answer = restarted.match({**ABERDEEN, "lived_experience": ["autism"]}, lambda *_: None)
    assert [m["group"]["id"] for m in answer["matches"]] == ["st-org-1"]  # its esd term means autism
    assert answer["matches"][0]["group"]["access"] == ["hearing-loop", "step-free"]


def test_the_demo_directory_is_loaded_once_and_removed_when_turned_off(database_url):
    loaded = Directory.from_settings(settings_for(database_url, demo=True))
    demo_ids = {o["id"] for o in json.loads(DEMO_DIRECTORY.read_text())["organizations"]}
    assert {b.organization.id for b in loaded.store.all_bundles()} == demo_ids
    assert loaded.load_demo().written.total("unchanged") == loaded.load_demo().written.total("unchanged") > 0
    loaded.import_hsds(FEED)
    Directory.from_settings(settings_for(database_url, demo=False))
    assert {b.organization.id for b in loaded.store.all_bundles()} == {"st-org-1"}
