"""One way to reach the database, for SQLite (the embedded default) and PostgreSQL.

Services keep their own tables (prefixed with the service's name) and write them with
SQLAlchemy Core, so the same statements run on both. A URL of `postgresql://...` is
served by pg8000, a pure-Python driver: under eventlet its socket waits yield to other
greenthreads, where a C driver would stall the whole service.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine import create_engine as sqlalchemy_create_engine
from sqlalchemy.exc import OperationalError

SQLITE_BUSY_TIMEOUT_MS = 5000
SCHEMA_LOCK_KEY = 0x4C414444  # "LADD": PostgreSQL's advisory lock for creating tables
SCHEMA_ATTEMPTS = 5


def create_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`: `sqlite:///path` or `postgresql://user@host/db`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **options)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername in {"postgresql", "postgres"}:
            parsed = parsed.set(drivername="postgresql+pg8000")
        return sqlalchemy_create_engine(parsed, pool_pre_ping=True, future=True, **options)
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")


def _sqlite_engine(url: Any, **options: Any) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sqlalchemy_create_engine(
        url, future=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **options
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers work while one writer commits; foreign keys are off in
        # SQLite unless asked for, per connection.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine


def create_schema(engine: Engine, metadata: MetaData,
                  first_rows: Callable[[Connection], object] | None = None) -> None:
    """Create the tables of `metadata` that are missing (and `first_rows`, in the same
    transaction), one process at a time.

    Replicas starting together on a new database race to create the same tables, and the
    loser's CREATE TABLE fails ("already exists"). So the transaction first takes a lock
    that lasts until it ends: PostgreSQL's transaction-scoped advisory lock, or SQLite's
    write lock (BEGIN IMMEDIATE; Python's sqlite3 would otherwise run DDL outside any
    transaction). The next process waits, then finds the tables there. SQLite can still
    answer "database is locked" without waiting while a new file is being switched to WAL
    by another process (seen under load), so that answer is retried a few times."""
    for attempt in range(1, SCHEMA_ATTEMPTS + 1):
        try:
            with engine.begin() as connection:
                if engine.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
                elif engine.dialect.name == "sqlite":
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                metadata.create_all(connection)
                if first_rows is not None:
                    first_rows(connection)
            return
        except OperationalError as error:
            locked = engine.dialect.name == "sqlite" and "locked" in str(error.orig)
            if not locked or attempt == SCHEMA_ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)
