"""From a parsed feed to records worth storing, and a report of every bad one.

Readers (hsds.py for Open Referral JSON, csv_format.py for CSV) turn their input into
`Drafts`: the fields of each record and, for each field, the JSON pointer where it came
from. `Drafts.resolve` then validates each record, checks what it refers to (in the feed,
or already in the directory), and returns an `ImportPlan`: the good records, and a
`Problem` (pointer and reason) for every bad one. A record that refers to a rejected one is
rejected too, so nothing is stored that points at nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from services.matcher.postcodes import NoPostcodeFile, PostcodeLookup
from services.matcher.records import (
    KINDS,
    Attribute,
    Governance,
    Location,
    Organization,
    Record,
    Service,
    ServiceArea,
    TaxonomyTerm,
)
from services.matcher.user_led import rules
from services.matcher.vocabulary import TAXONOMY_PREFIX, Vocabulary

GOVERNANCE_TAXONOMY = "ladder-governance"
RECORD_TAXONOMY = "ladder-record"
FICTIONAL_TERM = f"{RECORD_TAXONOMY}:fictional"
ENTITY_KINDS = {"organization": "organizations", "service": "services", "location": "locations"}
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def pointer(base: str, *parts: str | int) -> str:
    """A JSON pointer (RFC 6901): pointer("/services/3", "name") -> "/services/3/name"."""
    for part in parts:
        base += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return base


@dataclass(frozen=True)
class Problem:
    pointer: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"pointer": self.pointer, "reason": self.reason}


@dataclass
class Draft:
    """One record as read: its fields (named as in records.py) and where each came from."""

    kind: str
    pointer: str
    fields: dict[str, Any]
    where: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        value = self.fields.get("id")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None

    def at(self, name: str) -> str:
        return self.where.get(name) or pointer(self.pointer, name)


@dataclass(frozen=True)
class Link:
    """A service delivered at a location (HSDS service_at_location)."""

    service_id: str
    location_id: str
    pointer: str


@dataclass
class Known:
    """What the directory already holds that a feed refers to: ids of organisations,
    services and locations (with the organisation each belongs to), and taxonomy terms."""

    owners: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    terms: set[str] = field(default_factory=set)


@dataclass
class ImportPlan:
    records: dict[str, list[tuple[str, Record]]] = field(default_factory=lambda: {k: [] for k in KINDS})
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rejected: int = 0

    def organization_ids(self) -> set[str]:
        return {
            r.organization_id if not isinstance(r, Organization) else r.id  # type: ignore[union-attr]
            for kind, items in self.records.items()
            if kind != "taxonomy_terms"
            for _, r in items
        }


class Drafts:
    def __init__(self) -> None:
        self.items: dict[str, list[Draft]] = {kind: [] for kind in KINDS}
        self.links: list[Link] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.rejected_pointers: set[str] = set()

    def add(self, kind: str, at: str, fields: dict[str, Any], where: dict[str, str] | None = None) -> Draft:
        draft = Draft(kind, at, fields, where or {})
        self.items[kind].append(draft)
        return draft

    def problem(self, at: str, reason: str, record: str | None = None) -> None:
        self.problems.append(Problem(at, reason))
        self.rejected_pointers.add(record if record is not None else at)

    def warn(self, at: str, reason: str) -> None:
        self.warnings.append(Problem(at, reason))

    def external_references(self) -> tuple[dict[str, set[str]], set[str]]:
        """Ids this feed refers to but does not contain, by kind; and taxonomy term ids."""
        present = {kind: {d.id for d in drafts} for kind, drafts in self.items.items()}
        wanted: dict[str, set[str]] = {"organizations": set(), "services": set(), "locations": set()}
        for draft in self.items["services"]:
            wanted["organizations"].add(_text(draft.fields.get("organization_id")))
        for draft in self.items["locations"]:
            wanted["organizations"].add(_text(draft.fields.get("organization_id")))
        for draft in self.items["service_areas"]:
            wanted["services"].add(_text(draft.fields.get("service_id")))
        for link in self.links:
            wanted["services"].add(link.service_id)
            wanted["locations"].add(link.location_id)
        terms: set[str] = set()
        for draft in self.items["attributes"]:
            entity = draft.fields.get("link_entity")
            for kind in [ENTITY_KINDS[entity]] if entity in ENTITY_KINDS else wanted:
                wanted[kind].add(_text(draft.fields.get("link_id")))
            terms.add(_text(draft.fields.get("taxonomy_term_id")))
        missing = {kind: {i for i in ids if i and i not in present[kind]} for kind, ids in wanted.items()}
        return missing, {
            t for t in terms if t and t not in present["taxonomy_terms"] and not t.startswith(TAXONOMY_PREFIX)
        }

    def resolve(
        self, known: Known, vocabulary: Vocabulary, postcodes: PostcodeLookup | NoPostcodeFile
    ) -> ImportPlan:
        return _Resolver(self, known, vocabulary, postcodes).run()


class _Resolver:
    def __init__(
        self, drafts: Drafts, known: Known, vocabulary: Vocabulary, postcodes: PostcodeLookup | NoPostcodeFile
    ) -> None:
        self.drafts = drafts
        self.known = known
        self.vocabulary = vocabulary
        self.postcodes = postcodes
        self.plan = ImportPlan(problems=drafts.problems, warnings=drafts.warnings)
        # Per kind: id -> (pointer, record) for good records; id -> pointer for rejected ones.
        self.good: dict[str, dict[str, tuple[str, Record]]] = {kind: {} for kind in KINDS}
        self.bad: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}

    def run(self) -> ImportPlan:
        self._terms()
        self._governance()
        self._simple("organizations", Organization)
        self._locations()
        self._services()
        self._service_areas()
        self._attributes()
        for kind, good in self.good.items():
            self.plan.records[kind] = list(good.values())
        self.plan.rejected = len(self.drafts.rejected_pointers)
        return self.plan

    # -- each kind -------------------------------------------------------------------------

    def _terms(self) -> None:
        for draft in self.drafts.items["taxonomy_terms"]:
            term_id = draft.id or ""
            if term_id.startswith(TAXONOMY_PREFIX):
                continue  # Ladder's own terms come from data/vocabulary.yaml, never a feed
            self._accept(draft, TaxonomyTerm, draft.fields)

    def _governance(self) -> None:
        """Attributes carrying governance facts (and the fictional mark) become fields of
        their organisation, which must be in the same feed."""
        organizations: dict[str, list[Draft]] = defaultdict(list)  # nested feeds repeat them
        for organization in self.drafts.items["organizations"]:
            if organization.id:
                organizations[organization.id].append(organization)
        facts = rules().facts
        remaining = []
        for draft in self.drafts.items["attributes"]:
            term_id = _text(draft.fields.get("taxonomy_term_id"))
            taxonomy, _, fact = term_id.partition(":")
            if taxonomy not in (GOVERNANCE_TAXONOMY, RECORD_TAXONOMY):
                remaining.append(draft)
                continue
            owners = organizations.get(_text(draft.fields.get("link_id")))
            if not owners or draft.fields.get("link_entity") not in (None, "organization"):
                self._reject(
                    draft,
                    draft.at("link_id"),
                    f"{term_id} describes an organization; send it with that organization in the same feed",
                )
                continue
            value = draft.fields.get("value")
            if term_id == FICTIONAL_TERM:
                parsed = yes_no_value(value)
                name = "fictional"
            elif fact in facts:
                parsed = percent_value(value) if facts[fact].kind == "percent" else yes_no_value(value)  # type: ignore[index]
                name = f"governance.{fact}"
            else:
                known = ", ".join(f"{GOVERNANCE_TAXONOMY}:{f}" for f in facts)
                self._reject(
                    draft,
                    draft.at("taxonomy_term_id"),
                    f"unknown governance fact {term_id!r}; known: {known}, {FICTIONAL_TERM}",
                )
                continue
            if parsed is None:
                expected = (
                    "a percentage from 0 to 100"
                    if name.startswith("governance.") and facts[fact].kind == "percent"
                    else "true or false"
                )  # type: ignore[index]
                self._reject(draft, draft.at("value"), f"{value!r} is not {expected}")
                continue
            for owner in owners:
                if name == "fictional":
                    owner.fields["fictional"] = parsed
                else:
                    owner.fields.setdefault("governance", {})[fact] = parsed
                owner.where[name] = draft.at("value")
        self.drafts.items["attributes"] = remaining

    def _simple(self, kind: str, model: type[Record]) -> None:
        for draft in self.drafts.items[kind]:
            self._accept(draft, model, draft.fields)

    def _locations(self) -> None:
        owners_by_link: dict[str, str] = {}
        services = {d.id: d for d in self.drafts.items["services"]}
        for link in self.drafts.links:
            service = services.get(link.service_id)
            owner = (
                _text(service.fields.get("organization_id"))
                if service
                else self.known.owners["services"].get(link.service_id, "")
            )
            if owner:
                owners_by_link.setdefault(link.location_id, owner)
        for draft in self.drafts.items["locations"]:
            fields = dict(draft.fields)
            if not _text(fields.get("organization_id")):
                fields["organization_id"] = owners_by_link.get(draft.id or "")
            if not fields.get("organization_id"):
                self._reject(
                    draft,
                    draft.at("organization_id"),
                    "a location must belong to an organization: give organization_id, or "
                    "link it to a service (service_at_locations)",
                )
                continue
            if not self._refers(draft, "organizations", fields["organization_id"], "organization_id"):
                continue
            record = self._accept(draft, Location, fields)
            if isinstance(record, Location) and not record.located:
                self._place(draft, record)

    def _place(self, draft: Draft, location: Location) -> None:
        """A location with a postcode but no coordinates is placed by the postcode file."""
        where = draft.at("postal_code")
        if not location.postal_code:
            self.drafts.warn(
                draft.pointer,
                "no latitude, longitude or postcode: stored, but its services cannot be matched by distance",
            )
            return
        try:
            place = self.postcodes.find(location.postal_code)
        except ValueError as error:
            place, reason = None, str(error)
        else:
            reason = (
                f"unknown postcode district {location.postal_code.split(' ')[0]!r}"
                if isinstance(self.postcodes, PostcodeLookup)
                else "no postcode file is set (LADDER_POSTCODE_FILE)"
            )
        if place is None:
            self.drafts.warn(
                where, f"{reason}: stored without coordinates, so its services cannot be matched by distance"
            )
            return
        located = location.model_copy(update={"latitude": place.latitude, "longitude": place.longitude})
        self.good["locations"][location.id] = (draft.pointer, located)

    def _services(self) -> None:
        links: dict[str, list[Link]] = defaultdict(list)
        for link in self.drafts.links:
            links[link.service_id].append(link)
        for draft in self.drafts.items["services"]:
            fields = dict(draft.fields)
            if not self._refers(draft, "organizations", fields.get("organization_id"), "organization_id"):
                continue
            location_ids: list[str] = []
            ok = True
            for link in links.get(draft.id or "", []):
                if not self._refers(draft, "locations", link.location_id, None, at=link.pointer):
                    ok = False
                    break
                if link.location_id not in location_ids:
                    location_ids.append(link.location_id)
            if ok:
                fields["location_ids"] = tuple(location_ids)
                self._accept(draft, Service, fields)

    def _service_areas(self) -> None:
        for draft in self.drafts.items["service_areas"]:
            fields = dict(draft.fields)
            service_id = _text(fields.get("service_id"))
            if not self._refers(draft, "services", service_id, "service_id"):
                continue
            fields["organization_id"] = self._owner("services", service_id)
            self._accept(draft, ServiceArea, fields)

    def _attributes(self) -> None:
        for draft in self.drafts.items["attributes"]:
            fields = dict(draft.fields)
            term_id = _text(fields.get("taxonomy_term_id"))
            if term_id.startswith(TAXONOMY_PREFIX) and self.vocabulary.builtin_term(term_id) is None:
                self._reject(
                    draft, draft.at("taxonomy_term_id"), _unknown_ladder_term(term_id, self.vocabulary)
                )
                continue
            if self.vocabulary.builtin_term(term_id) is None and not self._refers(
                draft, "taxonomy_terms", term_id, "taxonomy_term_id"
            ):
                continue
            link_id = _text(fields.get("link_id"))
            entity = fields.get("link_entity")
            kinds = [ENTITY_KINDS[entity]] if entity in ENTITY_KINDS else list(ENTITY_KINDS.values())
            found = next((k for k in kinds if self._exists(k, link_id)), None)
            if found is None:
                rejected = next((k for k in kinds if link_id in self.bad[k]), None)
                if rejected:
                    self._reject(
                        draft,
                        draft.at("link_id"),
                        f"it describes {link_id!r}, which was rejected (see {self.bad[rejected][link_id]})",
                    )
                else:
                    self._reject(
                        draft,
                        draft.at("link_id"),
                        f"no {' or '.join(k[:-1] for k in kinds)} {link_id!r} in this feed or the directory",
                    )
                continue
            fields["link_entity"] = found[:-1]
            fields["organization_id"] = self._owner(found, link_id)
            if not fields.get("id"):
                fields["id"] = f"{link_id}/{term_id}"
            self._accept(draft, Attribute, fields)

    # -- helpers ---------------------------------------------------------------------------

    def _accept(self, draft: Draft, model: type[Record], fields: dict[str, Any]) -> Record | None:
        try:
            record = model.model_validate({k: v for k, v in fields.items() if v is not None})
        except ValidationError as error:
            for problem in error.errors(include_url=False):
                name = ".".join(str(p) for p in problem["loc"])
                where = (
                    draft.where.get(name)
                    or draft.where.get(str(problem["loc"][0]))
                    or pointer(draft.pointer, *problem["loc"])
                )
                self.drafts.problem(where, _message(problem), record=draft.pointer)
            if draft.id:
                self.bad[draft.kind].setdefault(draft.id, draft.pointer)
            return None
        record_id = record.id  # type: ignore[attr-defined]
        earlier = self.good[draft.kind].get(record_id)
        if earlier is not None:
            if earlier[1] != record:
                self._reject(
                    draft,
                    draft.at("id"),
                    f"id {record_id!r} is used again with different content (first at {earlier[0]})",
                    mark_bad=False,
                )
            return None  # the same record repeated (nested feeds repeat shared objects)
        self.good[draft.kind][record_id] = (draft.pointer, record)
        return record

    def _reject(self, draft: Draft, at: str, reason: str, mark_bad: bool = True) -> None:
        self.drafts.problem(at, reason, record=draft.pointer)
        if mark_bad and draft.id:
            self.bad[draft.kind].setdefault(draft.id, draft.pointer)

    def _exists(self, kind: str, record_id: str) -> bool:
        if record_id in self.good[kind]:
            return True
        if record_id in self.bad[kind]:
            return False
        return record_id in (self.known.terms if kind == "taxonomy_terms" else self.known.owners[kind])

    def _refers(
        self, draft: Draft, kind: str, record_id: Any, name: str | None, at: str | None = None
    ) -> bool:
        """Does the record this draft refers to exist (good, in the feed or the directory)?
        If not, the draft is rejected, naming the field and why."""
        record_id = _text(record_id)
        where = at or draft.at(name or "id")
        noun = kind[:-1].replace("_", " ")
        if not record_id:
            self._reject(draft, where, f"required: the id of its {noun}")
            return False
        if self._exists(kind, record_id):
            return True
        if record_id in self.bad[kind]:
            self._reject(
                draft, where, f"its {noun} {record_id!r} was rejected (see {self.bad[kind][record_id]})"
            )
        else:
            self._reject(draft, where, f"no {noun} {record_id!r} in this feed or the directory")
        return False

    def _owner(self, kind: str, record_id: str) -> str:
        if record_id in self.good[kind]:
            record = self.good[kind][record_id][1]
            return record.id if kind == "organizations" else record.organization_id  # type: ignore[attr-defined]
        return self.known.owners[kind][record_id]



def _unknown_ladder_term(term_id: str, vocabulary: Vocabulary) -> str:
    taxonomy, _, code = term_id.partition(":")
    for name, terms in vocabulary.terms.items():
        if taxonomy == TAXONOMY_PREFIX + name.replace("_", "-"):
            return f"unknown term {code!r} in {taxonomy}; known: {', '.join(terms)}"
    return f"unknown Ladder taxonomy {taxonomy!r}"


def _message(problem: dict[str, Any]) -> str:
    if problem["type"] == "missing":
        return "required"
    if problem["type"] == "extra_forbidden":
        return "not a field Ladder reads here"
    return str(problem["msg"])


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def percent_value(value: Any) -> float | None:
    text = str(value).strip().rstrip("%").strip() if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if 0 <= number <= 100 else None


def yes_no_value(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def governance_values(governance: Governance) -> dict[str, str]:
    """The facts stated, as HSDS attribute values ("80", "true")."""
    values = {}
    for fact, value in governance.model_dump().items():
        if value is None:
            continue
        values[fact] = ("true" if value else "false") if isinstance(value, bool) else f"{value:g}"
    return values
