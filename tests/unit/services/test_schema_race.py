"""Replicas that start together on a new SQLite database all come up: creating the tables
is done one process at a time (services/common/database.py: schema_transaction).

Found by tests/integration/test_directory_replicas.py, where one of two matcher replicas
died at start with "table directory_organizations already exists"."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

STARTERS = 6


def start_like_a_replica(url: str, barrier, results) -> None:
    from services.classifier.projects import ProjectStore
    from services.common.database import create_engine
    from services.matcher.store import DirectoryStore

    engine = create_engine(url)
    barrier.wait()  # every process creates at the same moment
    try:
        DirectoryStore(engine).create_tables()
        ProjectStore(engine)
        results.put("ok")
    except Exception as error:  # noqa: BLE001 (reported to the test, which names it)
        results.put(f"{type(error).__name__}: {error}".splitlines()[0])
    finally:
        engine.dispose()


def test_processes_creating_the_tables_at_once_all_succeed(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'ladder.sqlite3'}"
    context = multiprocessing.get_context("spawn")  # a clean interpreter, as a replica is
    barrier, results = context.Barrier(STARTERS), context.Queue()
    starters = [context.Process(target=start_like_a_replica, args=(url, barrier, results))
                for _ in range(STARTERS)]
    for process in starters:
        process.start()
    for process in starters:
        process.join(timeout=60)
    outcomes = [results.get(timeout=5) for _ in starters]
    assert outcomes == ["ok"] * STARTERS, outcomes

    from services.common.database import create_engine
    from services.matcher.store import DirectoryStore

    engine = create_engine(url)
    assert DirectoryStore(engine).change_head() == 0  # the log's counter exists, once
    engine.dispose()
