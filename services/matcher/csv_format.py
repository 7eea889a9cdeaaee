"""A simple CSV for directories kept in a spreadsheet: one row per service.

Columns (a header row names them; order is free; only organization_id and
organization_name are required):

  organization_id, organization_name, organization_description, organization_website,
  organization_email                         the organisation (repeat on each of its rows)
  governing_body_percent, staff_percent, volunteers_percent
                                             0 to 100: the share who are disabled people or
                                             people who use services
  social_model, peer_support, self_declared_user_led, fictional
                                             yes or no (blank: not stated)
  service_id, service_name, service_description, service_status
                                             blank service_id: a row about the organisation
                                             itself, which lists no services
  location_id, location_name, latitude, longitude, address_1, city, postcode
                                             where the service is delivered (location_id
                                             defaults to "<service_id>/location")
  service_area                               blank, "national", or "radius:<km>" around the
                                             location
  lived_experience, involvement, access      Ladder term ids separated by ";"
                                             (data/vocabulary.yaml), e.g. "autism;carers"
  languages                                  ISO 639 codes separated by ";", e.g. "en;cy"

Bad values are reported with a JSON pointer `/rows/<n>/<column>`, where row 0 is the first
row after the header (line 2 of the file).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from services.matcher.feed import Drafts, Link, governance_values, percent_value, pointer, yes_no_value
from services.matcher.records import Bundle, Governance, Location, Service
from services.matcher.user_led import rules
from services.matcher.vocabulary import ACCESS, FOCUS, INVOLVEMENT, Vocabulary, taxonomy_name

ORGANIZATION = [
    "organization_id",
    "organization_name",
    "organization_description",
    "organization_website",
    "organization_email",
]
GOVERNANCE = list(Governance.model_fields)  # the facts, as named in data/user_led.yaml
SERVICE = ["service_id", "service_name", "service_description", "service_status"]
LOCATION = ["location_id", "location_name", "latitude", "longitude", "address_1", "city", "postcode"]
TERMS = {"lived_experience": FOCUS, "involvement": INVOLVEMENT, "access": ACCESS}
COLUMNS = [*ORGANIZATION, *GOVERNANCE, "fictional", *SERVICE, *LOCATION, "service_area", *TERMS, "languages"]
REQUIRED = ("organization_id", "organization_name")
PERCENT_FACTS = {name for name, fact in rules().facts.items() if fact.kind == "percent"}
LIST_SEPARATOR = ";"


def read_csv(text: str, vocabulary: Vocabulary) -> Drafts:
    drafts = Drafts()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        drafts.problem("/header", f"missing columns: {', '.join(missing)} (the first row names the columns)")
        return drafts
    for name in header:
        if name not in COLUMNS:
            drafts.warn(pointer("/header", name), "not a column Ladder reads; ignored")
    for index, raw in enumerate(reader):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        _Row(drafts, vocabulary, row, pointer("/rows", index)).read()
    return drafts


class _Row:
    def __init__(self, drafts: Drafts, vocabulary: Vocabulary, row: dict[str, str], at: str) -> None:
        self.drafts, self.vocabulary, self.row, self.at = drafts, vocabulary, row, at

    def cell(self, column: str) -> str | None:
        return self.row.get(column) or None

    def where(self, *columns: tuple[str, str]) -> dict[str, str]:
        return {field: pointer(self.at, column) for field, column in columns}

    def read(self) -> None:
        org_id = self.cell("organization_id")
        organization = {
            "id": org_id,
            "name": self.cell("organization_name"),
            "description": self.cell("organization_description") or "",
            "website": self.cell("organization_website"),
            "email": self.cell("organization_email"),
        }
        where = self.where(
            ("id", "organization_id"),
            ("name", "organization_name"),
            ("description", "organization_description"),
            ("website", "organization_website"),
            ("email", "organization_email"),
            ("fictional", "fictional"),
        )
        governance: dict[str, Any] = {}
        for fact in GOVERNANCE:
            value = self.cell(fact)
            if value is None:
                continue
            parsed = percent_value(value) if fact in PERCENT_FACTS else yes_no_value(value)
            if parsed is None:
                expected = "a percentage from 0 to 100" if fact in PERCENT_FACTS else "yes or no"
                self.drafts.problem(pointer(self.at, fact), f"{value!r} is not {expected}", record=self.at)
                return
            governance[fact] = parsed
            where[f"governance.{fact}"] = pointer(self.at, fact)
        organization["governance"] = governance
        if self.cell("fictional") is not None:
            organization["fictional"] = yes_no_value(self.cell("fictional"))
            if organization["fictional"] is None:
                self.drafts.problem(pointer(self.at, "fictional"), "must be yes or no", record=self.at)
                return
        self.drafts.add("organizations", self.at, organization, where)

        service_id = self.cell("service_id")
        if service_id:
            status = (self.cell("service_status") or "active").lower()
            self.drafts.add(
                "services",
                self.at,
                {
                    "id": service_id,
                    "organization_id": org_id,
                    "name": self.cell("service_name"),
                    "description": self.cell("service_description") or "",
                    "status": status,
                    "languages": self._languages(),
                },
                self.where(
                    ("id", "service_id"),
                    ("name", "service_name"),
                    ("description", "service_description"),
                    ("status", "service_status"),
                ),
            )
        location_id = self._location(org_id, service_id)
        if service_id and location_id:
            self.drafts.links.append(Link(service_id, location_id, pointer(self.at, "location_id")))
        self._service_area(service_id)
        self._attributes(org_id, service_id)

    def _location(self, org_id: str | None, service_id: str | None) -> str | None:
        if not any(self.cell(c) for c in LOCATION):
            return None
        location_id = self.cell("location_id") or f"{service_id or org_id}/location"
        self.drafts.add(
            "locations",
            self.at,
            {
                "id": location_id,
                "organization_id": org_id,
                "name": self.cell("location_name"),
                "latitude": self.cell("latitude"),
                "longitude": self.cell("longitude"),
                "address_1": self.cell("address_1"),
                "city": self.cell("city"),
                "postal_code": self.cell("postcode"),
            },
            self.where(
                ("id", "location_id"),
                ("name", "location_name"),
                ("latitude", "latitude"),
                ("longitude", "longitude"),
                ("address_1", "address_1"),
                ("city", "city"),
                ("postal_code", "postcode"),
            ),
        )
        return location_id

    def _service_area(self, service_id: str | None) -> None:
        value = (self.cell("service_area") or "").lower()
        if not value:
            return
        at = pointer(self.at, "service_area")
        if not service_id:
            self.drafts.problem(at, "a service area belongs to a service: give service_id", record=self.at)
            return
        fields: dict[str, Any] = {"id": f"{service_id}/area", "service_id": service_id}
        if value == "national":
            fields["name"] = "national"
        else:
            kind, _, number = value.partition(":")
            try:
                radius = float(number)
            except ValueError:
                radius = 0.0
            if kind != "radius" or not 0 < radius <= 1000:
                self.drafts.problem(
                    at, f"{value!r} is not 'national' or 'radius:<km>' (0 to 1000)", record=self.at
                )
                return
            fields.update(name=f"within {radius:g} km", extent_type="geojson", extent=radius_extent(radius))
        self.drafts.add("service_areas", self.at, fields, {"name": at, "extent": at})

    def _attributes(self, org_id: str | None, service_id: str | None) -> None:
        link_entity, link_id = ("service", service_id) if service_id else ("organization", org_id)
        for column, vocabulary in TERMS.items():
            for term in _split(self.cell(column)):
                if term not in self.vocabulary.terms[vocabulary]:
                    known = ", ".join(self.vocabulary.ids(vocabulary))
                    self.drafts.problem(
                        pointer(self.at, column), f"unknown term {term!r}; known: {known}", record=self.at
                    )
                    continue
                term_id = f"{taxonomy_name(vocabulary)}:{term}"
                self.drafts.add(
                    "attributes",
                    self.at,
                    {
                        "id": f"{link_id}/{term_id}",
                        "link_entity": link_entity,
                        "link_id": link_id,
                        "taxonomy_term_id": term_id,
                    },
                    {"taxonomy_term_id": pointer(self.at, column), "link_id": pointer(self.at, column)},
                )

    def _languages(self) -> tuple[str, ...]:
        codes: list[str] = []
        for given in _split(self.cell("languages")):
            code = self.vocabulary.language_code(given)
            if code is None:
                self.drafts.warn(pointer(self.at, "languages"), f"{given!r} is not a language code; left out")
            elif code not in codes:
                codes.append(code)
        return tuple(codes)


def radius_extent(radius_km: float) -> str:
    """A circle around the service's own places, as Ladder writes it in HSDS."""
    return json.dumps(
        {"type": "Feature", "geometry": None, "properties": {"radius_km": radius_km}},
        sort_keys=True,
        separators=(",", ":"),
    )


def write_csv(bundles: Iterable[Bundle], vocabulary: Vocabulary) -> str:
    """The directory as CSV. One location and one service area per service, and only
    Ladder's own terms, fit in a row: use the Open Referral JSON export for everything."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for bundle in bundles:
        o = bundle.organization
        base = {
            "organization_id": o.id,
            "organization_name": o.name,
            "organization_description": o.description,
            "organization_website": o.website or "",
            "organization_email": o.email or "",
            "fictional": "yes" if o.fictional else "",
        }
        for fact, value in governance_values(o.governance).items():
            base[fact] = {"true": "yes", "false": "no"}.get(value, value)
        locations = {loc.id: loc for loc in (*bundle.locations, *bundle.shared_locations)}
        if not bundle.services:
            row = dict(base)
            row.update(_location_cells(bundle.locations[0] if bundle.locations else None))
            row.update(_term_cells(bundle, "organization", o.id, vocabulary))
            writer.writerow(row)
        for service in bundle.services:
            row = dict(base)
            row.update(
                {
                    "service_id": service.id,
                    "service_name": service.name,
                    "service_description": service.description,
                    "service_status": service.status,
                    "languages": LIST_SEPARATOR.join(service.languages),
                }
            )
            first = next((locations[i] for i in service.location_ids if i in locations), None)
            row.update(_location_cells(first))
            row["service_area"] = _area_cell(bundle, service)
            row.update(_term_cells(bundle, "service", service.id, vocabulary))
            writer.writerow(row)
    return out.getvalue()


def _location_cells(location: Location | None) -> dict[str, str]:
    if location is None:
        return {}
    return {
        "location_id": location.id,
        "location_name": location.name or "",
        "latitude": "" if location.latitude is None else repr(location.latitude),
        "longitude": "" if location.longitude is None else repr(location.longitude),
        "address_1": location.address_1 or "",
        "city": location.city or "",
        "postcode": location.postal_code or "",
    }


def _area_cell(bundle: Bundle, service: Service) -> str:
    for area in bundle.service_areas:
        if area.service_id != service.id:
            continue
        if (area.name or "").lower() == "national":
            return "national"
        try:
            feature = json.loads(area.extent or "")
            if feature.get("geometry") is None:
                return f"radius:{float(feature['properties']['radius_km']):g}"
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return ""


def _term_cells(bundle: Bundle, entity: str, link_id: str, vocabulary: Vocabulary) -> dict[str, str]:
    cells: dict[str, list[str]] = {column: [] for column in TERMS}
    for attribute in bundle.attributes:
        if attribute.link_entity != entity or attribute.link_id != link_id:
            continue
        builtin = vocabulary.builtin_term(attribute.taxonomy_term_id)
        if builtin:
            column = next(c for c, v in TERMS.items() if v == builtin[0])
            cells[column].append(builtin[1])
    return {column: LIST_SEPARATOR.join(sorted(ids)) for column, ids in cells.items()}


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]
