"""Replicas follow the directory's change log: whatever events they get, miss, get twice
or out of order, every replica's index ends up as the database says. Two MatcherApps on
one SQLite file stand for two replicas; the 'bus' is whatever the test delivers."""

from __future__ import annotations

import time

import pytest

from services.common.events import DIRECTORY_CHANGED
from services.matcher.app import MatcherApp
from services.matcher.directory import Directory
from services.matcher.follow import CHANGE_RETENTION_SECONDS, PRUNE_EVERY_SECONDS, DirectoryFollower
from services.matcher.index import DirectoryIndex
from tests.unit.matcher.conftest import make_directory

ABERDEEN = {"latitude": 57.15, "longitude": -2.11}


def org(org_id: str, name: str) -> dict:
    return {"id": org_id, "name": name, "description": "A test group.",
            "locations": [{"id": f"{org_id}-loc", **ABERDEEN}]}


class Kept:
    """A publisher that keeps events for the test to deliver (or not)."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def __call__(self, event_type: str, payload: dict) -> None:
        assert event_type == DIRECTORY_CHANGED
        self.events.append(payload)


def names(app: MatcherApp) -> dict[str, str]:
    """What this replica's index holds: organisation id -> name."""
    return {e.organization.id: e.organization.name for e in app.index.entries.values()}


@pytest.fixture
def replicas(tmp_path) -> tuple[MatcherApp, MatcherApp]:
    directory = make_directory(tmp_path, demo=False)
    return MatcherApp(directory), MatcherApp(Directory(directory.store, directory.postcodes))


def put(app: MatcherApp, org_id: str, name: str, publish) -> None:
    app.put_organization({"id": org_id, "organization": org(org_id, name)}, publish)


def test_the_writing_replica_applies_its_own_change_at_once(replicas):
    one, _ = replicas
    put(one, "a", "Alpha", Kept())  # no event delivered anywhere, not even to itself
    assert names(one) == {"a": "Alpha"}


def test_a_missed_event_is_caught_up_by_the_periodic_check(replicas):
    one, two = replicas
    put(one, "a", "Alpha", Kept())  # the event is lost: the broker was down
    assert names(two) == {}
    two.sync()
    assert names(two) == {"a": "Alpha"}
    assert two.directory_status() == one.directory_status()


def test_duplicate_late_and_out_of_order_events_are_harmless(replicas):
    one, two = replicas
    events = Kept()
    put(one, "a", "Alpha", events)
    put(one, "b", "Bravo", events)
    put(one, "a", "Alpha renamed", events)
    one.delete_organization({"id": "b"}, events)
    for event in [events.events[3], events.events[0], events.events[3], events.events[1], events.events[2]]:
        two.directory_changed(event)
        assert names(two) == {"a": "Alpha renamed"}  # the newest event brought it all
    assert two.follower.position == one.follower.position == events.events[3]["position"]
    two.directory_changed({"change": "put", "organization_ids": ["a"]})  # an older replica's event
    two.directory_changed({"something": "else"})
    assert names(two) == {"a": "Alpha renamed"}


def test_an_event_already_applied_reads_nothing(replicas):
    one, two = replicas
    events = Kept()
    put(one, "a", "Alpha", events)
    two.directory_changed(events.events[0])
    reads = []
    store = two.follower.store
    original = store.changes_after
    store.changes_after = lambda *args: reads.append(args) or original(*args)  # type: ignore[method-assign]
    two.directory_changed(events.events[0])
    assert reads == []


def test_changes_are_applied_in_batches_in_order(tmp_path):
    directory = make_directory(tmp_path, demo=False)
    one = MatcherApp(directory)
    two = MatcherApp(Directory(directory.store, directory.postcodes))
    two.follower.batch = 2  # seven changes: four reads
    for n in range(6):
        put(one, f"o{n}", f"Org {n}", Kept())
    one.delete_organization({"id": "o0"}, Kept())
    caught = two.follower.catch_up()
    assert (caught.changes, caught.rebuilt) == (7, False)
    assert names(two) == names(one) and len(names(two)) == 5


def test_a_gap_pruned_from_the_log_makes_the_replica_rebuild(replicas):
    one, two = replicas
    put(one, "a", "Alpha", Kept())
    two.sync()
    one.delete_organization({"id": "a"}, Kept())  # only this pruned row names "a"
    put(one, "b", "Bravo", Kept())
    store = one.directory.store
    assert store.prune_changes(recorded_before=float("inf")) == 2  # all but the newest row
    caught = two.follower.catch_up()
    assert caught.rebuilt
    assert names(two) == {"b": "Bravo"}  # "a" is gone although no row left says so


def test_a_replica_ahead_of_the_log_rebuilds(replicas):
    one, two = replicas
    put(one, "a", "Alpha", Kept())
    two.sync()
    two.follower.position += 5  # as if the database were restored from an older backup
    assert two.follower.catch_up().rebuilt
    assert two.follower.position == one.follower.position


def test_the_log_is_pruned_after_the_retention_but_keeps_its_newest_row(replicas):
    one, _ = replicas
    for n in range(3):
        put(one, f"o{n}", f"Org {n}", Kept())
    store = one.directory.store
    now = [time.time()]
    follower = DirectoryFollower(store, DirectoryIndex(one.vocabulary), clock=lambda: now[0])
    assert follower.prune() == 0  # all within the retention
    now[0] += CHANGE_RETENTION_SECONDS + 1
    assert follower.prune(force=True) == 2  # the newest row stays
    for n in range(3, 5):
        put(one, f"o{n}", f"Org {n}", Kept())
    assert follower.prune() == 0  # a replica prunes at most once per PRUNE_EVERY_SECONDS
    now[0] += PRUNE_EVERY_SECONDS
    assert follower.prune() == 2
    head, left = store.changes_after(0, 10)
    assert [c.position for c in left] == [head] == [5]


def test_a_write_that_changes_nothing_adds_nothing_to_the_log(replicas):
    one, _ = replicas
    put(one, "a", "Alpha", Kept())
    head = one.directory.store.change_head()
    events = Kept()
    put(one, "a", "Alpha", events)
    feed = {"organizations": [{"id": "a", "name": "Alpha", "description": "A test group."}],
            "locations": [{"id": "a-loc", "organization_id": "a", **ABERDEEN}]}
    one.import_directory({"feed": feed}, events)
    assert one.directory.store.change_head() == head and events.events == []


def test_replicas_that_agree_have_the_same_digest(replicas):
    one, two = replicas
    put(one, "a", "Alpha", Kept())
    assert one.directory_status()["digest"] != two.directory_status()["digest"]
    two.sync()
    assert one.directory_status() == two.directory_status()
    assert one.directory_status()["organizations"] == 1
