"""Stored classifications of projects, on SQLite and on PostgreSQL (the same code)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.classifier.projects import ProjectStore, assessments, projects, utc_now
from services.common.database import create_engine
from services.common.errors import NotFound
from services.common.rungs import Rung
from tests.support.databases import database_url  # noqa: F401  (the fixture)


def classification(rung: str, confidence: float = 0.6) -> dict:
    return {"rung": rung, "confidence": confidence, "summary": f"placed at {rung}"}


@pytest.fixture
def store(database_url):  # noqa: F811
    engine = create_engine(database_url)
    yield ProjectStore(engine)
    engine.dispose()


def test_history_is_newest_first_and_a_drop_is_noticed(store):
    first = store.record("org-a", "p-1", classification("co-design"), {"stages": ["design"]}, "text")
    assert first.previous_rung is None and not first.dropped_from(Rung.CO_DESIGN)
    second = store.record("org-a", "p-1", classification("consultation"), {}, None)
    assert second.previous_rung is Rung.CO_DESIGN
    assert second.dropped_from(Rung.CONSULTATION)
    third = store.record("org-a", "p-1", classification("engagement"), {}, None)
    assert not third.dropped_from(Rung.ENGAGEMENT)

    history = store.history("org-a", "p-1")
    assert [h["classification"]["rung"] for h in history] == ["engagement", "consultation", "co-design"]
    assert store.latest("org-a", "p-1")["classification"]["rung"] == "engagement"
    assert history[0]["assessed_at"].endswith("Z")


def test_another_organisation_can_neither_read_write_nor_delete_a_project(store):
    store.record("org-a", "shared-id", classification("co-production"), {}, "ours")
    for attempt in (
        lambda: store.latest("org-b", "shared-id"),
        lambda: store.history("org-b", "shared-id"),
        lambda: store.delete("org-b", "shared-id"),
        lambda: store.record("org-b", "shared-id", classification("coercion"), {}, "theirs"),
    ):
        with pytest.raises(NotFound, match="no project 'shared-id' for this organisation"):
            attempt()
    # Nothing of org-a's changed, and org-b's refused write left nothing behind.
    assert [h["classification"]["rung"] for h in store.history("org-a", "shared-id")] == ["co-production"]
    with store.engine.connect() as db:
        owned_by_b = db.execute(select(func.count()).select_from(projects)
                                .where(projects.c.organisation_id == "org-b")).scalar_one()
    assert owned_by_b == 0


def test_an_unknown_project_is_not_found(store):
    with pytest.raises(NotFound):
        store.latest("org-a", "never-stored")


def test_deleting_a_project_removes_its_whole_history(store):
    for rung in ("informing", "consultation"):
        store.record("org-a", "p-gone", classification(rung), {}, "words")
    store.record("org-a", "p-kept", classification("engagement"), {}, "words")
    assert store.delete("org-a", "p-gone") == 2
    with pytest.raises(NotFound):
        store.history("org-a", "p-gone")
    with store.engine.connect() as db:
        left = db.execute(select(func.count()).select_from(assessments)).scalar_one()
    assert left == 1
    # The id is free again: a new project may take it.
    store.record("org-b", "p-gone", classification("co-design"), {}, None)
    assert store.latest("org-b", "p-gone")["classification"]["rung"] == "co-design"


def test_descriptions_past_retention_are_forgotten_and_the_rest_kept(store):
    old = utc_now() - timedelta(days=400)
    store.record("org-a", "p-old", classification("informing"), {}, "an old description", now=old)
    store.record("org-a", "p-new", classification("informing"), {}, "a new description")
    assert store.purge_descriptions(older_than=utc_now() - timedelta(days=365)) == 1
    with store.engine.connect() as db:
        kept = dict(db.execute(select(assessments.c.project_id, assessments.c.description)).all())
    assert kept == {"p-old": None, "p-new": "a new description"}
    # The classification itself stays.
    assert store.latest("org-a", "p-old")["classification"]["rung"] == "informing"


def test_the_first_writes_of_a_new_project_race_safely(store):
    def write(n: int) -> str:
        try:
            store.record(f"org-{n % 2}", "contested", classification("engagement"), {}, None)
            return f"org-{n % 2}"
        except NotFound:
            return "refused"

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(write, range(8)))
    owner = next(o for o in outcomes if o != "refused")
    assert set(outcomes) == {owner, "refused"}
    assert len(store.history(owner, "contested")) == outcomes.count(owner)


def test_data_survives_a_new_engine(database_url):  # noqa: F811
    engine = create_engine(database_url)
    ProjectStore(engine).record("org-a", "p-1", classification("co-design"), {}, None)
    engine.dispose()
    engine = create_engine(database_url)
    assert ProjectStore(engine).latest("org-a", "p-1")["classification"]["rung"] == "co-design"
    engine.dispose()


def test_stored_times_are_utc(store):
    before = utc_now()
    store.record("org-a", "p-t", classification("informing"), {}, None)
    stamp = datetime.fromisoformat(store.latest("org-a", "p-t")["assessed_at"].removesuffix("Z"))
    assert before - timedelta(seconds=5) <= stamp <= utc_now() + timedelta(seconds=5)
