"""The directory in the database: SQLAlchemy Core, one table per kind of record, prefixed
`directory_`; the same statements on SQLite and PostgreSQL.

Every record but a taxonomy term carries its organisation's id, and deleting an
organisation deletes what is attached to it (ON DELETE CASCADE). Writes are upserts by id,
in transactions of at most `CHUNK` records, so each record is written whole or not at all;
records that are already stored as given are counted unchanged and not written.

The change log: every transaction that changes the directory also appends, before it
commits, a row to `directory_changes` naming the organisations whose indexed form may have
changed, numbered by `directory_change_head`, a one-row counter. Updating that row locks it
until the transaction ends, so positions are given out in commit order with no gaps (a
rolled-back transaction takes its number back): a replica that has read position n has seen
every change up to n, and follows the log from there (services/matcher/follow.py). The lock
is taken last, just before the commit, so writers queue on it only for that instant.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from services.common.database import create_schema
from services.matcher.feed import Known
from services.matcher.records import (
    KINDS,
    Bundle,
    Governance,
    Location,
    Organization,
    Record,
    Service,
    TaxonomyTerm,
)

CHUNK = 1000
ID = 200

metadata = MetaData()


def _owner_column() -> Column:
    return Column(
        "organization_id",
        String(ID),
        ForeignKey("directory_organizations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


TABLES: dict[str, Table] = {
    "organizations": Table(
        "directory_organizations",
        metadata,
        Column("id", String(ID), primary_key=True),
        Column("name", String(500), nullable=False),
        Column("description", Text, nullable=False),
        Column("website", Text),
        Column("email", String(320)),
        Column("fictional", Boolean, nullable=False),
        # Governance facts (None: not stated).
        Column("governing_body_percent", Float),
        Column("staff_percent", Float),
        Column("volunteers_percent", Float),
        Column("social_model", Boolean),
        Column("peer_support", Boolean),
        Column("self_declared_user_led", Boolean),
    ),
    "services": Table(
        "directory_services",
        metadata,
        Column("id", String(ID), primary_key=True),
        _owner_column(),
        Column("name", String(500), nullable=False),
        Column("description", Text, nullable=False),
        Column("status", String(20), nullable=False),
        Column("url", Text),
        Column("email", String(320)),
        Column("languages", JSON, nullable=False),
        Column("location_ids", JSON, nullable=False),
    ),
    "locations": Table(
        "directory_locations",
        metadata,
        Column("id", String(ID), primary_key=True),
        _owner_column(),
        Column("name", String(500)),
        Column("latitude", Float),
        Column("longitude", Float),
        Column("address_1", String(500)),
        Column("city", String(500)),
        Column("region", String(500)),
        Column("postal_code", String(20)),
        Column("country", String(100)),
        Column("accessibility", JSON, nullable=False),
        Column("languages", JSON, nullable=False),
    ),
    "service_areas": Table(
        "directory_service_areas",
        metadata,
        Column("id", String(ID), primary_key=True),
        _owner_column(),
        Column(
            "service_id",
            String(ID),
            ForeignKey("directory_services.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("name", String(500)),
        Column("description", Text),
        Column("extent", Text),
        Column("extent_type", String(20)),
        Column("uri", Text),
    ),
    "taxonomy_terms": Table(
        "directory_taxonomy_terms",
        metadata,
        Column("id", String(ID), primary_key=True),
        Column("name", String(500), nullable=False),
        Column("code", String(500)),
        Column("description", Text, nullable=False),
        Column("taxonomy", String(500)),
        Column("parent_id", String(ID)),
    ),
    "attributes": Table(
        "directory_attributes",
        metadata,
        Column("id", String(ID), primary_key=True),
        _owner_column(),
        Column("link_entity", String(20), nullable=False),
        Column("link_id", String(ID), nullable=False),
        Column("taxonomy_term_id", String(ID), nullable=False),
        Column("value", String(500)),
    ),
}
CHANGES = Table(
    "directory_changes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("change", String(20), nullable=False),  # upsert, replace or delete: for people reading
    Column("organization_ids", JSON, nullable=False),
    Column("recorded_at", Float, nullable=False, index=True),  # seconds since the epoch
)
CHANGE_HEAD = Table(
    "directory_change_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1: one row
    Column("position", BigInteger, nullable=False),
)
ORGANIZATION_CHILDREN = ("services", "locations", "service_areas", "attributes")
GOVERNANCE_FIELDS = tuple(Governance.model_fields)


def to_row(record: Record) -> dict[str, Any]:
    row = record.model_dump()
    if isinstance(record, Organization):
        row.update(row.pop("governance"))
    return {k: list(v) if isinstance(v, tuple) else v for k, v in row.items()}


def from_row(kind: str, row: Any) -> Record:
    values = dict(row._mapping)
    if kind == "organizations":
        values["governance"] = {name: values.pop(name) for name in GOVERNANCE_FIELDS}
    return KINDS[kind].model_validate({k: v for k, v in values.items() if v is not None or k == "governance"})


@dataclass(frozen=True)
class Change:
    """One row of the change log: these organisations changed (or were deleted)."""

    position: int
    change: str
    organization_ids: tuple[str, ...]


@dataclass
class Written:
    """What a write did, per kind of record."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"created": 0, "updated": 0, "unchanged": 0} for k in KINDS}
    )
    deleted: int = 0  # records an organisation no longer lists (replace_organization)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


@dataclass
class Changed:
    """What one transaction changed, for its row in the change log."""

    organizations: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)  # taxonomy terms created or changed


class DirectoryStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def create_tables(self) -> None:
        """Create what is missing (one replica at a time: services/common/database.py)."""
        create_schema(self.engine, metadata, first_rows=lambda connection: connection.execute(
            self._insert(CHANGE_HEAD).values(id=1, position=0).on_conflict_do_nothing()
        ))

    # -- writing ---------------------------------------------------------------------------

    def upsert(self, records: dict[str, list[Record]]) -> Written:
        """Create or update each record by id, kind by kind in KINDS order."""
        written = Written()
        for kind in KINDS:
            items = records.get(kind, [])
            for start in range(0, len(items), CHUNK):
                with self.engine.begin() as connection:
                    changed = self._upsert_chunk(connection, kind, items[start : start + CHUNK], written)
                    if changed.terms:  # what a term means to Ladder may have changed
                        changed.organizations |= self._organizations_using(connection, changed.terms)
                    if changed.organizations or changed.terms:
                        self._record_change(connection, "upsert", changed.organizations)
        return written

    def replace_organization(self, bundle: Bundle) -> Written:
        """Store the organisation and what is attached to it exactly as given: records of
        this organisation missing from `bundle` are deleted. One transaction."""
        written = Written()
        org_id = bundle.organization.id
        with self.engine.begin() as connection:
            changed = Changed()
            for kind, items in bundle.records().items():
                changed.organizations |= self._upsert_chunk(connection, kind, items, written).organizations
            deleted = 0
            for kind in ORGANIZATION_CHILDREN:
                table = TABLES[kind]
                keep = [r.id for r in bundle.records()[kind]]  # type: ignore[attr-defined]
                deleted += connection.execute(
                    delete(table).where(table.c.organization_id == org_id, table.c.id.not_in(keep))
                ).rowcount
            written.deleted += deleted
            if changed.organizations or deleted:
                self._record_change(connection, "replace", changed.organizations | {org_id})
        return written

    def delete_organization(self, org_id: str) -> bool:
        table = TABLES["organizations"]
        with self.engine.begin() as connection:
            if connection.execute(delete(table).where(table.c.id == org_id)).rowcount == 0:
                return False
            self._record_change(connection, "delete", {org_id})
            return True

    def delete_organizations(self, org_ids: Iterable[str]) -> set[str]:
        deleted = set()
        for org_id in org_ids:
            if self.delete_organization(org_id):
                deleted.add(org_id)
        return deleted

    def _upsert_chunk(
        self, connection: Connection, kind: str, items: list[Record], written: Written
    ) -> Changed:
        """Write these records, counting into `written`; returns what this chunk changed."""
        changed_here = Changed()
        if not items:
            return changed_here
        table = TABLES[kind]
        existing = {
            row.id: from_row(kind, row)
            for row in connection.execute(select(table).where(table.c.id.in_([r.id for r in items])))  # type: ignore[attr-defined]
        }
        changed = []
        for record in items:
            before = existing.get(record.id)  # type: ignore[attr-defined]
            if before == record:
                written.counts[kind]["unchanged"] += 1
                continue
            written.counts[kind]["created" if before is None else "updated"] += 1
            changed.append(to_row(record))
            if kind == "taxonomy_terms":
                changed_here.terms.add(record.id)  # type: ignore[attr-defined]
            else:
                changed_here.organizations.add(_owner(record))
                if before is not None:
                    changed_here.organizations.add(_owner(before))
        if changed:
            statement = self._insert(table)
            statement = statement.on_conflict_do_update(
                index_elements=[table.c.id],
                set_={c.name: statement.excluded[c.name] for c in table.columns if c.name != "id"},
            )
            connection.execute(statement, changed)
        return changed_here

    # -- the change log --------------------------------------------------------------------

    def _record_change(self, connection: Connection, change: str, organization_ids: set[str]) -> None:
        """Append to the log, in the caller's transaction, as its last statement."""
        connection.execute(update(CHANGE_HEAD).where(CHANGE_HEAD.c.id == 1)
                           .values(position=CHANGE_HEAD.c.position + 1))
        position = connection.execute(select(CHANGE_HEAD.c.position)).scalar_one()
        connection.execute(CHANGES.insert().values(
            position=position, change=change, organization_ids=sorted(organization_ids),
            recorded_at=time.time(),
        ))

    def change_head(self) -> int:
        """The position of the last committed change (0: none yet)."""
        with self.engine.connect() as connection:
            return connection.execute(select(CHANGE_HEAD.c.position)).scalar_one()

    def changes_after(self, position: int, limit: int) -> tuple[int, list[Change]]:
        """The log's head, and up to `limit` changes after `position`, oldest first. The
        head is read first, so every change up to it is among those that follow (unless
        pruned)."""
        with self.engine.connect() as connection:
            head = connection.execute(select(CHANGE_HEAD.c.position)).scalar_one()
            rows = connection.execute(
                select(CHANGES.c.position, CHANGES.c.change, CHANGES.c.organization_ids)
                .where(CHANGES.c.position > position).order_by(CHANGES.c.position).limit(limit)
            )
            return head, [Change(r.position, r.change, tuple(r.organization_ids)) for r in rows]

    def prune_changes(self, recorded_before: float) -> int:
        """Delete log rows recorded before this time, always keeping the newest, so a
        replica behind it can tell that it missed some (and rebuilds)."""
        newest = select(CHANGE_HEAD.c.position).scalar_subquery()
        with self.engine.begin() as connection:
            return connection.execute(delete(CHANGES).where(
                CHANGES.c.recorded_at < recorded_before, CHANGES.c.position < newest
            )).rowcount

    # -- reading ---------------------------------------------------------------------------

    def lookup(self, ids: dict[str, set[str]], term_ids: set[str]) -> Known:
        """Which of these ids the directory holds, and the organisation each belongs to."""
        known = Known()
        with self.engine.connect() as connection:
            for kind, wanted in ids.items():
                table = TABLES[kind]
                owner = table.c.id if kind == "organizations" else table.c.organization_id
                for chunk in _chunks(sorted(wanted)):
                    for row in connection.execute(select(table.c.id, owner).where(table.c.id.in_(chunk))):
                        known.owners[kind][row[0]] = row[1]
            table = TABLES["taxonomy_terms"]
            for chunk in _chunks(sorted(term_ids)):
                known.terms.update(
                    r[0] for r in connection.execute(select(table.c.id).where(table.c.id.in_(chunk)))
                )
        return known

    def bundles(self, org_ids: Iterable[str]) -> list[Bundle]:
        """These organisations with everything attached (missing ids are left out)."""
        found: list[Bundle] = []
        with self.engine.connect() as connection:
            for chunk in _chunks(sorted(set(org_ids))):
                rows = {
                    kind: self._rows(
                        connection,
                        kind,
                        TABLES[kind].c["id" if kind == "organizations" else "organization_id"].in_(chunk),
                    )
                    for kind in ("organizations", *ORGANIZATION_CHILDREN)
                }
                found += self._assemble(connection, rows)
        return found

    def all_bundles(self) -> list[Bundle]:
        with self.engine.connect() as connection:
            rows = {
                kind: self._rows(connection, kind, None) for kind in ("organizations", *ORGANIZATION_CHILDREN)
            }
            return self._assemble(connection, rows)

    def terms(self) -> list[TaxonomyTerm]:
        with self.engine.connect() as connection:
            return self._rows(connection, "taxonomy_terms", None)  # type: ignore[return-value]

    def _organizations_using(self, connection: Connection, term_ids: set[str]) -> set[str]:
        """Organisations with an attribute of one of these taxonomy terms."""
        table = TABLES["attributes"]
        found: set[str] = set()
        for chunk in _chunks(sorted(term_ids)):
            found.update(r[0] for r in connection.execute(
                select(table.c.organization_id).where(table.c.taxonomy_term_id.in_(chunk)).distinct()))
        return found

    def count(self, kind: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(TABLES[kind])).scalar_one()

    def _rows(self, connection: Connection, kind: str, where: Any) -> list[Record]:
        table = TABLES[kind]
        query = select(table).order_by(table.c.id)
        if where is not None:
            query = query.where(where)
        return [from_row(kind, row) for row in connection.execute(query)]

    def _assemble(self, connection: Connection, rows: dict[str, list[Record]]) -> list[Bundle]:
        children: dict[str, dict[str, list[Record]]] = {k: defaultdict(list) for k in ORGANIZATION_CHILDREN}
        for kind in ORGANIZATION_CHILDREN:
            for record in rows[kind]:
                children[kind][record.organization_id].append(record)  # type: ignore[attr-defined]
        owned = {r.id for r in rows["locations"]}  # type: ignore[attr-defined]
        shared_ids = {i for s in rows["services"] for i in s.location_ids if i not in owned}  # type: ignore[attr-defined]
        shared: dict[str, Location] = {}
        for chunk in _chunks(sorted(shared_ids)):
            for record in self._rows(connection, "locations", TABLES["locations"].c.id.in_(chunk)):
                shared[record.id] = record  # type: ignore[attr-defined,assignment]
        bundles = []
        for organization in rows["organizations"]:
            org_id = organization.id  # type: ignore[attr-defined]
            services: list[Service] = children["services"][org_id]  # type: ignore[assignment]
            bundles.append(
                Bundle(
                    organization=organization,
                    services=tuple(services),
                    locations=tuple(children["locations"][org_id]),  # type: ignore[arg-type]
                    service_areas=tuple(children["service_areas"][org_id]),  # type: ignore[arg-type]
                    attributes=tuple(children["attributes"][org_id]),  # type: ignore[arg-type]
                    shared_locations=tuple(
                        shared[i] for i in sorted({i for s in services for i in s.location_ids} & set(shared))
                    ),
                )
            )
        return bundles


def iter_records(bundles: Iterable[Bundle]) -> Iterator[tuple[str, Record]]:
    for bundle in bundles:
        for kind, items in bundle.records().items():
            for record in items:
                yield kind, record


def _owner(record: Record) -> str:
    return record.id if isinstance(record, Organization) else record.organization_id  # type: ignore[attr-defined]


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
