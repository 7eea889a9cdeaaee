"""One way to reach the database, for SQLite (the embedded default) and PostgreSQL.

Services keep their own tables (prefixed with the service's name) and write them with
SQLAlchemy Core, so the same statements run on both. A URL of `postgresql://...` is
served by pg8000, a pure-Python driver: under eventlet its socket waits yield to other
greenthreads, where a C driver would stall the whole service.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine import create_engine as sqlalchemy_create_engine

SQLITE_BUSY_TIMEOUT_MS = 5000
SCHEMA_LOCK_KEY = 0x4C414444  # "LADD": PostgreSQL's advisory lock for creating tables


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


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction for creating tables (and their first rows), one process at a time.

    Replicas starting together on a new database race to create the same tables, and the
    loser's CREATE TABLE fails ("already exists"). So the transaction first takes a lock
    that lasts until it ends: PostgreSQL's transaction-scoped advisory lock, or SQLite's
    write lock (BEGIN IMMEDIATE; Python's sqlite3 would otherwise run DDL outside any
    transaction). The next process waits, then finds the tables there."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        elif engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection
