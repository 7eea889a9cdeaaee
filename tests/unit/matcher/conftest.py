"""Matcher unit tests: the domain code with no servers. Storage here is a SQLite file in
the test's temporary directory (no server); the same storage against PostgreSQL is tested
in tests/integration. Postcode lookups read the shared CC0 district table (never copied
into the repository): ../shared/data/uk_outcodes.csv from the project's root."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from services.common.database import create_engine
from services.matcher.app import MatcherApp
from services.matcher.directory import DEMO_DIRECTORY, Directory
from services.matcher.feed import Known
from services.matcher.hsds import read_hsds
from services.matcher.postcodes import NoPostcodeFile, PostcodeLookup
from services.matcher.records import bundles_from
from services.matcher.store import DirectoryStore
from services.matcher.vocabulary import vocabulary
from tests.support.servers import require

ROOT = Path(__file__).resolve().parents[3]
OUTCODES = Path(os.environ.get("LADDER_TEST_OUTCODES", ROOT.parent / "shared" / "data" / "uk_outcodes.csv"))


@pytest.fixture(scope="session")
def outcodes() -> Path:
    require(OUTCODES.is_file(), f"the shared district table is not at {OUTCODES} (set LADDER_TEST_OUTCODES)")
    return OUTCODES


@pytest.fixture(scope="session")
def districts(outcodes) -> PostcodeLookup:
    return PostcodeLookup.from_file(outcodes)


def demo_feed() -> dict:
    return json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8"))


def resolve(feed, known: Known | None = None, postcodes=None):
    """A feed, parsed and checked with nothing stored (or what `known` says is)."""
    drafts = read_hsds(feed, vocabulary())
    return drafts.resolve(known or Known(), vocabulary(), postcodes or NoPostcodeFile())


def records_of(plan) -> dict:
    return {kind: [record for _, record in items] for kind, items in plan.records.items()}


@pytest.fixture(scope="session")
def demo_bundles():
    return bundles_from(records_of(resolve(demo_feed())))


def make_directory(tmp_path: Path, postcodes=None, demo: bool = True) -> Directory:
    store = DirectoryStore(create_engine(f"sqlite:///{tmp_path / 'directory.sqlite3'}"))
    store.create_tables()
    directory = Directory(store, postcodes or NoPostcodeFile())
    if demo:
        directory.load_demo()
    return directory


class Published:
    """Collects what an app publishes, and hands it on to the apps that would receive the
    broadcast (as every replica does on the bus)."""

    def __init__(self, *receivers: MatcherApp) -> None:
        self.events: list[tuple[str, dict]] = []
        self.receivers = list(receivers)

    def __call__(self, event_type: str, payload: dict) -> None:
        self.events.append((event_type, payload))
        for app in self.receivers:
            app.directory_changed(json.loads(json.dumps(payload)))


@pytest.fixture
def app(tmp_path, districts) -> MatcherApp:
    return MatcherApp(make_directory(tmp_path, districts))
