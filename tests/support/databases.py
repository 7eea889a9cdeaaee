"""Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database per test.

`database_url` is a pytest fixture parametrised over both, so storage tests run the same
code against each. PostgreSQL is the server on this machine (LADDER_TEST_POSTGRES_URL,
default postgresql://postgres@127.0.0.1:5432/postgres); when it is absent its cases skip,
except in CI, where they fail (tests/support/servers.require).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from services.common.database import create_engine
from tests.support.servers import port_open, require

POSTGRES_ADMIN_URL = os.environ.get(
    "LADDER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database; yields its URL and drops it afterwards."""
    admin_url = make_url(POSTGRES_ADMIN_URL)
    require(
        port_open(admin_url.host or "127.0.0.1", admin_url.port or 5432),
        f"no PostgreSQL server at {admin_url.host}:{admin_url.port or 5432}",
    )
    name = f"ladder_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin_url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'ladder.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with postgres_database() as url:
            yield url
