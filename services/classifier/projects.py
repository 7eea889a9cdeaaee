"""Projects over time: each stored classification of a project, newest last.

A project id belongs to one organisation, the one that first stored it. Another
organisation asking for it, or storing under it, is told the project does not exist
(NotFound), so ids cannot be probed across tenants. Every write is one transaction:
a classification is stored whole or not at all.

SQLAlchemy Core, so the same statements run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from services.common.database import create_schema
from services.common.errors import NotFound, ServiceUnavailable
from services.common.rungs import Rung

log = logging.getLogger(__name__)

metadata = MetaData()

projects = Table(
    "classifier_projects",
    metadata,
    Column("project_id", String(128), primary_key=True),
    Column("organisation_id", String(128), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
)

assessments = Table(
    "classifier_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(128),
           ForeignKey("classifier_projects.project_id", ondelete="CASCADE"), nullable=False),
    Column("assessed_at", DateTime, nullable=False),
    Column("rung", String(32), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("classification", Text, nullable=False),  # the whole answer, as JSON
    Column("answers", Text, nullable=False),  # the questionnaire answers given, as JSON
    # What people wrote can mention their health and lives: kept only until the
    # retention period ends (purge_descriptions), and never logged.
    Column("description", Text, nullable=True),
    Index("ix_classifier_assessments_project", "project_id", "id"),
)


@dataclass(frozen=True)
class Recorded:
    """What storing a classification changed."""

    assessment_id: int
    previous_rung: Rung | None

    def dropped_from(self, rung: Rung) -> bool:
        return self.previous_rung is not None and rung < self.previous_rung


def utc_now() -> datetime:
    # Stored naive, in UTC: SQLite keeps no time zone, so both databases hold the same.
    return datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def _database_errors() -> Iterator[None]:
    """A database that is locked, gone or refusing is the caller's 503, not a 500; the
    transaction rolled back, so nothing is half-written."""
    try:
        yield
    except IntegrityError:
        raise
    except DBAPIError as error:
        log.warning("database unavailable", extra={"error": type(error.orig).__name__})
        raise ServiceUnavailable("the database is unavailable; nothing was changed") from None


class ProjectStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with _database_errors():
            create_schema(engine, metadata)

    def record(
        self,
        organisation_id: str,
        project_id: str,
        classification: dict[str, Any],
        answers: dict[str, list[str]],
        description: str | None,
        now: datetime | None = None,
    ) -> Recorded:
        now = now or utc_now()
        with _database_errors(), self.engine.begin() as db:
            self._claim(db, organisation_id, project_id, now)
            previous = db.execute(
                select(assessments.c.rung)
                .where(assessments.c.project_id == project_id)
                .order_by(assessments.c.id.desc())
                .limit(1)
            ).scalar()
            assessment_id = db.execute(insert(assessments).values(
                project_id=project_id,
                assessed_at=now,
                rung=classification["rung"],
                confidence=classification["confidence"],
                classification=json.dumps(classification),
                answers=json.dumps(answers),
                description=description,
            )).inserted_primary_key[0]
        return Recorded(assessment_id, Rung(previous) if previous else None)

    def latest(self, organisation_id: str, project_id: str) -> dict[str, Any]:
        entries = self.history(organisation_id, project_id, limit=1)
        return entries[0]

    def history(self, organisation_id: str, project_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first."""
        with _database_errors(), self.engine.connect() as db:
            self._owned(db, organisation_id, project_id)
            rows = db.execute(
                select(assessments.c.id, assessments.c.assessed_at, assessments.c.classification)
                .where(assessments.c.project_id == project_id)
                .order_by(assessments.c.id.desc())
                .limit(limit)
            ).all()
        return [
            {
                "project_id": project_id,
                "assessment_id": row.id,
                "assessed_at": row.assessed_at.isoformat() + "Z",
                "classification": json.loads(row.classification),
            }
            for row in rows
        ]

    def delete(self, organisation_id: str, project_id: str) -> int:
        """Remove the project and its whole history; returns how many assessments went."""
        with _database_errors(), self.engine.begin() as db:
            self._owned(db, organisation_id, project_id)
            removed = db.execute(
                delete(assessments).where(assessments.c.project_id == project_id)
            ).rowcount
            db.execute(delete(projects).where(projects.c.project_id == project_id))
        return removed

    def purge_descriptions(self, older_than: datetime) -> int:
        """Forget the descriptions of assessments made before `older_than` (naive UTC)."""
        with _database_errors(), self.engine.begin() as db:
            return db.execute(
                update(assessments)
                .where(assessments.c.assessed_at < older_than, assessments.c.description.is_not(None))
                .values(description=None)
            ).rowcount

    # --- ownership

    def _claim(self, db: Connection, organisation_id: str, project_id: str, now: datetime) -> None:
        owner = self._owner(db, project_id)
        if owner is None:
            try:
                with db.begin_nested():  # a savepoint: a racing first write may win
                    db.execute(insert(projects).values(
                        project_id=project_id, organisation_id=organisation_id, created_at=now))
                return
            except IntegrityError:
                owner = self._owner(db, project_id)
        if owner != organisation_id:
            raise _not_found(project_id)

    def _owned(self, db: Connection, organisation_id: str, project_id: str) -> None:
        if self._owner(db, project_id) != organisation_id:
            raise _not_found(project_id)

    @staticmethod
    def _owner(db: Connection, project_id: str) -> str | None:
        return db.execute(
            select(projects.c.organisation_id).where(projects.c.project_id == project_id)
        ).scalar()


def _not_found(project_id: str) -> NotFound:
    # The same words whether the project is absent or another organisation's.
    return NotFound(f"no project {project_id!r} for this organisation")
