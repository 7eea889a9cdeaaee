"""Every acknowledged directory change reaches every matcher replica, across a broker
restart.

Two matcher replicas (real processes) share one database (SQLite file or PostgreSQL) and a
private RabbitMQ node. Writers put and delete organisations through RPC without pause;
midway the broker is stopped long enough for the replicas' own attempts to publish (and
their retries) to give up, so changes committed at that moment are never announced; then
it is started again and the writers go on. Afterwards:

- the database holds every change that was acknowledged (a put answered is there, a
  delete answered is gone); writes that failed may or may not have been committed: the
  caller was told nothing, so nothing is asserted about them;
- within a bound, *each* replica's index is the one the database makes: its digest, read
  from that replica's own health port (GET /directory), equals the digest of an index
  built here from the database. So each replica reflects every acknowledged change, and
  also every unannounced one.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx
import pytest

from gateway.clients.bus import BusClient
from services.common.database import create_engine
from services.common.errors import ServiceUnavailable
from services.matcher.index import DirectoryIndex
from services.matcher.store import DirectoryStore
from services.matcher.vocabulary import vocabulary
from tests.support import databases
from tests.support.private_broker import private_broker
from tests.support.processes import Process, service, wait_until
from tests.support.servers import free_port

database_url = databases.database_url  # the fixture: SQLite file and PostgreSQL

WRITERS = 4
SYNC_SECONDS = 2
# Longer than a replica's publish retries (nameko: 3 retries, 2 + 3 + 4 s), so an event
# being published as the broker stops is lost, not delayed.
OUTAGE_SECONDS = 12


@pytest.fixture(scope="module")
def broker():
    with private_broker() as node:
        yield node


class Writes:
    """What the writers were told: acknowledged puts and deletes, by organisation id."""

    def __init__(self) -> None:
        self.present: set[str] = set()  # put, answered, and not deleted since
        self.deleted: set[str] = set()  # deleted, answered
        self.failed = 0
        self.unexpected: list[BaseException] = []
        self.lock = threading.Lock()

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.present) + len(self.deleted)


def organization(org_id: str, n: int) -> dict:
    rng = random.Random(org_id)
    return {"id": org_id, "name": f"Replica Test Group {n} (fictional)", "description": "Made by a test.",
            "locations": [{"id": f"{org_id}-loc", "latitude": round(rng.uniform(50.5, 55.5), 4),
                           "longitude": round(rng.uniform(-3.5, 0.5), 4)}]}


def keep_writing(client: BusClient, writer: int, writes: Writes, stop: threading.Event) -> None:
    mine: list[str] = []  # acknowledged puts of this writer, still present
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if n % 3 == 0 and mine:
                victim = mine.pop(0)
                try:
                    client.call("matcher", "delete_organization", {"id": victim})
                except ServiceUnavailable:  # may have been deleted, or not: no claim
                    with writes.lock:
                        writes.present.discard(victim)
                        writes.failed += 1
                    continue
                with writes.lock:
                    writes.present.discard(victim)
                    writes.deleted.add(victim)
            else:
                org_id = f"w{writer}-{n}"
                request = {"id": org_id, "organization": organization(org_id, n)}
                client.call("matcher", "put_organization", request)
                with writes.lock:
                    writes.present.add(org_id)
                mine.append(org_id)
        except ServiceUnavailable:
            with writes.lock:
                writes.failed += 1
            time.sleep(0.05)
        except Exception as error:  # would end the thread silently: make the test say so
            writes.unexpected.append(error)
            raise


def digest_of_database(url: str) -> tuple[str, set[str]]:
    """The digest an index built from the database has, and the organisation ids stored."""
    engine = create_engine(url)
    try:
        store = DirectoryStore(engine)
        index = DirectoryIndex(vocabulary())
        index.set_terms(store.terms())
        bundles = store.all_bundles()
        index.replace((), bundles)
        return index.digest(), {b.organization.id for b in bundles}
    finally:
        engine.dispose()


def status(port: int) -> dict:
    return httpx.get(f"http://127.0.0.1:{port}/directory", timeout=5).json()


def test_every_acknowledged_change_reaches_every_replica_across_a_broker_restart(
        broker, database_url, tmp_path: Path):
    ports = [free_port(), free_port()]
    env = {"LADDER_DATABASE_URL": database_url, "LADDER_DEMO_DIRECTORY": "false",
           "LADDER_DIRECTORY_SYNC_SECONDS": str(SYNC_SECONDS)}
    replicas: list[Process] = [
        service("matcher", broker.uri, tmp_path, suffix=f"-{n}", http_port=port,
                env={**env, "LADDER_REPLICA_ID": f"replica-test-{n}"})
        for n, port in enumerate(ports)
    ]
    client = BusClient(broker.uri, pool_size=WRITERS, timeout=3.0)
    writes = Writes()
    stop = threading.Event()
    writers = [threading.Thread(target=keep_writing, args=(client, w, writes, stop)) for w in range(WRITERS)]
    try:
        for replica in replicas:
            wait_until(replica.started_or_exited, 60, "a matcher replica to start")
            assert replica.alive(), replica.output()[-3000:]
        for thread in writers:
            thread.start()
        wait_until(lambda: writes.acknowledged() >= 60 or bool(writes.unexpected), 60,
                   "writes before the stop")

        broker.stop_app()
        time.sleep(OUTAGE_SECONDS)  # the writers keep trying; nothing is acknowledged
        during = writes.acknowledged()
        broker.start_app()
        wait_until(lambda: writes.acknowledged() >= during + 60 or bool(writes.unexpected), 90,
                   "writes after the restart")
        stop.set()
        for thread in writers:
            thread.join(timeout=30)
        assert not writes.unexpected, writes.unexpected
        assert writes.failed > 0  # the outage was felt

        expected, stored = digest_of_database(database_url)
        assert writes.present <= stored, f"acknowledged puts missing: {sorted(writes.present - stored)[:5]}"
        undone = writes.deleted & stored
        assert not undone, f"acknowledged deletes undone: {sorted(undone)[:5]}"

        def converged() -> bool:
            return all(status(port)["digest"] == expected for port in ports)

        try:
            wait_until(converged, 30, "every replica to reflect the database")
        except TimeoutError:
            seen = [status(port) for port in ports]
            raise AssertionError(f"replicas differ from the database ({len(stored)} groups): {seen}",
                                 expected) from None
        for replica in replicas:
            assert replica.alive(), replica.output()[-3000:]
    finally:
        # Replicas first and whatever happened: one left running would go on consuming
        # the broker's matcher queue and answer the next test's calls from this database.
        for replica in replicas:
            replica.terminate()
        stop.set()
        for thread in writers:
            if thread.ident is not None:  # started
                thread.join(timeout=30)
        client.close()
