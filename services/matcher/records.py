"""The directory's records, as stored: a normalised subset of HSDS 3.0.

An HSDS feed is parsed into these (services/matcher/hsds.py, csv_format.py) and they are
written to the database one table per kind (store.py). Every record but a taxonomy term
belongs to one organisation (`organization_id`), so an organisation and everything
attached to it can be loaded, replaced or deleted together.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

MAX_ID = 200
MAX_NAME = 500
MAX_TEXT = 10_000


def _id_text(value: Any) -> Any:
    # Feeds sometimes give numeric ids (1, or 1.0 after a trip through protobuf's Struct).
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) else value


Id = Annotated[str, BeforeValidator(_id_text), Field(min_length=1, max_length=MAX_ID)]
Name = Annotated[
    str,
    BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v),
    Field(min_length=1, max_length=MAX_NAME),
]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Percent = Annotated[float, Field(ge=0, le=100)]

LinkEntity = Literal["organization", "service", "location"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Governance(Record):
    """Facts about who runs an organisation; None means not stated."""

    governing_body_percent: Percent | None = None
    staff_percent: Percent | None = None
    volunteers_percent: Percent | None = None
    social_model: bool | None = None
    peer_support: bool | None = None
    self_declared_user_led: bool | None = None


class Organization(Record):
    id: Id
    name: Name
    description: Text = ""
    website: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=320)
    # Invented records (the demo directory) say so, in the data and in every answer.
    fictional: bool = False
    governance: Governance = Governance()


class Service(Record):
    id: Id
    organization_id: Id
    name: Name
    description: Text = ""
    # HSDS: active, inactive, defunct, temporarily closed. Only active services are matched.
    status: Literal["active", "inactive", "defunct", "temporarily closed"] = "active"
    url: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=320)
    languages: tuple[str, ...] = ()  # language codes
    location_ids: tuple[str, ...] = ()  # HSDS service_at_location


class Location(Record):
    id: Id
    organization_id: Id
    name: str | None = Field(default=None, max_length=MAX_NAME)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    address_1: str | None = Field(default=None, max_length=MAX_NAME)
    city: str | None = Field(default=None, max_length=MAX_NAME)
    region: str | None = Field(default=None, max_length=MAX_NAME)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=100)
    accessibility: tuple[str, ...] = ()  # free-text notes ("wheelchair accessible")
    languages: tuple[str, ...] = ()

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ServiceArea(Record):
    id: Id
    organization_id: Id
    service_id: Id
    name: str | None = Field(default=None, max_length=MAX_NAME)
    description: Text | None = None
    extent: str | None = Field(default=None, max_length=100_000)
    extent_type: str | None = Field(default=None, max_length=20)
    uri: str | None = Field(default=None, max_length=2000)


class TaxonomyTerm(Record):
    """A term from another directory's taxonomy, kept so exports round-trip. Ladder's own
    terms (data/vocabulary.yaml) are not stored."""

    id: Id
    name: Name
    code: str | None = Field(default=None, max_length=MAX_NAME)
    description: Text = ""
    taxonomy: str | None = Field(default=None, max_length=MAX_NAME)
    parent_id: str | None = Field(default=None, max_length=MAX_ID)


class Attribute(Record):
    """A taxonomy term applied to an organisation, service or location."""

    id: Id
    organization_id: Id
    link_entity: LinkEntity  # HSDS 3.0: the table link_id is in
    link_id: Id
    taxonomy_term_id: Id
    value: str | None = Field(default=None, max_length=MAX_NAME)


KINDS: dict[str, type[Record]] = {
    "taxonomy_terms": TaxonomyTerm,
    "organizations": Organization,
    "locations": Location,
    "services": Service,
    "service_areas": ServiceArea,
    "attributes": Attribute,
}
"""Every kind of stored record, in the order they are written (what is referred to first)."""


class Bundle(BaseModel):
    """An organisation and everything attached to it."""

    model_config = ConfigDict(frozen=True)
    organization: Organization
    services: tuple[Service, ...] = ()
    locations: tuple[Location, ...] = ()
    service_areas: tuple[ServiceArea, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    # Locations of other organisations that this one's services are delivered at (a shared
    # venue): read for matching, never written with this organisation.
    shared_locations: tuple[Location, ...] = ()

    def records(self) -> dict[str, list[Record]]:
        return {
            "organizations": [self.organization],
            "locations": list(self.locations),
            "services": list(self.services),
            "service_areas": list(self.service_areas),
            "attributes": list(self.attributes),
        }


def bundles_from(records: dict[str, list[Record]]) -> list[Bundle]:
    """Group records by organisation (records whose organisation is absent are left out)."""
    by_org: dict[str, dict[str, list[Record]]] = {}
    for organization in records.get("organizations", []):
        by_org[organization.id] = {"organization": [organization]}  # type: ignore[attr-defined]
    locations = {r.id: r for r in records.get("locations", [])}  # type: ignore[attr-defined]
    for kind in ("services", "locations", "service_areas", "attributes"):
        for record in records.get(kind, []):
            owner = by_org.get(record.organization_id)  # type: ignore[attr-defined]
            if owner is not None:
                owner.setdefault(kind, []).append(record)
    bundles = []
    for parts in by_org.values():
        owned = {loc.id for loc in parts.get("locations", [])}  # type: ignore[attr-defined]
        shared = {i for s in parts.get("services", []) for i in s.location_ids if i not in owned}  # type: ignore[attr-defined]
        bundles.append(Bundle(
            organization=parts["organization"][0],  # type: ignore[arg-type]
            services=tuple(parts.get("services", [])),  # type: ignore[arg-type]
            locations=tuple(parts.get("locations", [])),  # type: ignore[arg-type]
            service_areas=tuple(parts.get("service_areas", [])),  # type: ignore[arg-type]
            attributes=tuple(parts.get("attributes", [])),  # type: ignore[arg-type]
            shared_locations=tuple(locations[i] for i in sorted(shared) if i in locations),  # type: ignore[misc]
        ))
    return bundles
