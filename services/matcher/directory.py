"""The directory's use cases: import, export, put and delete organisations, over the
database. Nothing here knows about the bus or the in-memory index; the application
(app.py) publishes what changed, and every replica's index follows."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.common.database import create_engine
from services.common.errors import InvalidArgument
from services.common.settings import Settings, SettingsError
from services.matcher.csv_format import read_csv, write_csv
from services.matcher.feed import Drafts, ImportPlan, Problem
from services.matcher.hsds import NOTICE_KEY, Exporter, read_hsds, read_organization
from services.matcher.postcodes import NoPostcodeFile, PostcodeFileError, PostcodeLookup, load_postcodes
from services.matcher.records import KINDS, Bundle, Organization, Record
from services.matcher.store import DirectoryStore, Written
from services.matcher.vocabulary import Vocabulary, vocabulary

DEMO_DIRECTORY = Path(__file__).with_name("data") / "demo_directory.json"
FICTIONAL_NOTICE = (
    "Records marked fictional (attribute ladder-record:fictional) are invented demo data, not real groups."
)

log = logging.getLogger(__name__)


@dataclass
class Imported:
    plan: ImportPlan
    written: Written

    def report(self, format: str) -> dict[str, Any]:
        counts = self.written.counts
        return {
            "format": format,
            "created": self.written.total("created"),
            "updated": self.written.total("updated"),
            "unchanged": self.written.total("unchanged"),
            "rejected": self.plan.rejected,
            "by_kind": {
                kind: {k: counts[kind][k] for k in ("created", "updated", "unchanged")} for kind in KINDS
            },
            "problems": [p.as_json() for p in self.plan.problems],
            "warnings": [p.as_json() for p in self.plan.warnings],
        }


class Directory:
    def __init__(
        self,
        store: DirectoryStore,
        postcodes: PostcodeLookup | NoPostcodeFile,
        words: Vocabulary | None = None,
    ) -> None:
        self.store = store
        self.postcodes = postcodes
        self.vocabulary = words or vocabulary()
        self.exporter = Exporter(self.vocabulary)

    @classmethod
    def from_settings(cls, settings: Settings) -> Directory:
        try:
            postcodes = load_postcodes(settings.postcode_file)
        except PostcodeFileError as error:
            raise SettingsError(f"Ladder cannot start: bad configuration.\n  {error}") from None
        store = DirectoryStore(create_engine(settings.database_url))
        store.create_tables()
        directory = cls(store, postcodes)
        if settings.demo_directory:
            directory.load_demo()
        else:
            directory.remove_demo()
        return directory

    # -- demo data -------------------------------------------------------------------------

    def load_demo(self) -> Imported:
        """The fictional sample directory, so a new user can try matching at once."""
        imported = self.import_drafts(read_hsds(_demo_feed(), self.vocabulary))
        if imported.plan.problems:  # shipped data must be clean: fail loudly at start
            raise ValueError(f"the demo directory has problems: {imported.plan.problems[:3]}")
        log.info(
            "demo directory loaded",
            extra={
                "records_created": imported.written.total("created"),
                "records_unchanged": imported.written.total("unchanged"),
            },
        )
        return imported

    def remove_demo(self) -> set[str]:
        """Remove stored demo organisations: those listed in the demo file and marked fictional."""
        ids = [org["id"] for org in _demo_feed()["organizations"]]
        fictional = {b.organization.id for b in self.store.bundles(ids) if b.organization.fictional}
        removed = self.store.delete_organizations(fictional)
        if removed:
            log.info("demo directory removed", extra={"organizations": len(removed)})
        return removed

    # -- import and export -----------------------------------------------------------------

    def import_hsds(self, feed: Any) -> Imported:
        return self.import_drafts(read_hsds(feed, self.vocabulary))

    def import_csv(self, text: str) -> Imported:
        return self.import_drafts(read_csv(text, self.vocabulary))

    def import_drafts(self, drafts: Drafts) -> Imported:
        plan = self._plan(drafts)
        written = self.store.upsert({kind: [r for _, r in items] for kind, items in plan.records.items()})
        return Imported(plan, written)

    def export_hsds(self) -> dict[str, Any]:
        bundles = self.store.all_bundles()
        notice = FICTIONAL_NOTICE if any(b.organization.fictional for b in bundles) else None
        return self.exporter.flat(bundles, self.store.terms(), notice=notice)

    def export_csv(self) -> str:
        return write_csv(self.store.all_bundles(), self.vocabulary)

    # -- one organisation ------------------------------------------------------------------

    def put_organization(
        self, org_id: str, document: dict[str, Any]
    ) -> tuple[str, Bundle, list[Problem]]:
        """Store this organisation exactly as given (what it no longer lists is removed), or
        nothing at all if anything in it is bad."""
        given = document.get("id")
        if given is not None and str(given) != org_id:
            raise InvalidArgument.one("/id", f"is {given!r}, but the request is for {org_id!r}")
        plan = self._plan(read_organization({**document, "id": org_id}, self.vocabulary))
        problems = list(plan.problems)
        for kind, items in plan.records.items():
            for at, record in items:
                owner = getattr(record, "organization_id", org_id) if kind != "organizations" else record.id  # type: ignore[attr-defined]
                if kind != "taxonomy_terms" and owner != org_id:
                    problems.append(
                        Problem(
                            at,
                            f"belongs to organization {owner!r}; this request "
                            f"stores organization {org_id!r} only",
                        )
                    )
        if problems:
            raise InvalidArgument([{"field": p.pointer or "/", "description": p.reason} for p in problems])
        records: dict[str, list[Record]] = {
            kind: [r for _, r in items] for kind, items in plan.records.items()
        }
        existed = org_id in self.store.lookup({"organizations": {org_id}}, set()).owners["organizations"]
        self.store.upsert({"taxonomy_terms": records.pop("taxonomy_terms")})
        organization = records["organizations"][0]
        assert isinstance(organization, Organization)
        bundle = Bundle(
            organization=organization,
            services=tuple(records["services"]),  # type: ignore[arg-type]
            locations=tuple(records["locations"]),
            service_areas=tuple(records["service_areas"]),  # type: ignore[arg-type]
            attributes=tuple(records["attributes"]),
        )  # type: ignore[arg-type]
        written = self.store.replace_organization(bundle)
        if not existed:
            result = "created"
        elif written.total("created") or written.total("updated") or written.deleted:
            result = "updated"
        else:
            result = "unchanged"
        stored = self.store.bundles([org_id])[0]
        return result, stored, plan.warnings

    def delete_organization(self, org_id: str) -> bool:
        return self.store.delete_organization(org_id)

    def _plan(self, drafts: Drafts) -> ImportPlan:
        missing, terms = drafts.external_references()
        return drafts.resolve(self.store.lookup(missing, terms), self.vocabulary, self.postcodes)


def _demo_feed() -> dict[str, Any]:
    feed = json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8"))
    assert NOTICE_KEY in feed, "the demo directory must say it is fictional"
    return feed
