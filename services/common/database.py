"""One way to reach the database, for SQLite (the embedded default) and PostgreSQL.

Services keep their own tables (prefixed with the service's name) and write them with
SQLAlchemy Core, so the same statements run on both. A URL of `postgresql://...` is
served by pg8000, a pure-Python driver: under eventlet its socket waits yield to other
greenthreads, where a C driver would stall the whole service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine import create_engine as sqlalchemy_create_engine

SQLITE_BUSY_TIMEOUT_MS = 5000


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
