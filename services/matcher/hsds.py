"""Open Referral JSON (HSDS 3.0 and the Open Referral UK profile) in and out.

What is read (see the README, "The directory"):
- a flat document: an object with arrays `organizations`, `services`, `locations`,
  `service_areas`, `service_at_locations`, `languages`, `taxonomies`, `taxonomy_terms` and
  `attributes`, whose records refer to each other by id (what Ladder exports);
- nested records in any of those arrays: an organization with its `services`,
  `locations` and `attributes`; a service with its `organization`, `service_areas`,
  `service_at_locations` (each with a `location` or a `location_id`), `languages` and
  `attributes`; a location with `addresses`, `accessibility`, `languages`, `attributes`;
  an attribute with its `taxonomy_term`;
- an API page (`{"contents": [...]}` as HSDS 3.0 APIs return, `{"content": [...]}` as
  Open Referral UK v1 APIs return) or a bare array, of services (or organizations);
- the Open Referral UK names: `service_taxonomys` (with `taxonomy.vocabulary`),
  `physical_addresses`, `accessibility_for_disabilities`, `service_area` for a service
  area's name, `language` for a language's name, `url` for an organization's website.
Fields Ladder does not use (phones, schedules, cost options, ...) are read past and not
exported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from services.matcher.feed import (
    ENTITY_KINDS,
    FICTIONAL_TERM,
    GOVERNANCE_TAXONOMY,
    Drafts,
    Link,
    governance_values,
    pointer,
)
from services.matcher.records import Bundle, Location, Service, ServiceArea, TaxonomyTerm
from services.matcher.user_led import rules
from services.matcher.vocabulary import MASKED, Vocabulary, taxonomy_name

FLAT_ARRAYS = (
    "organizations",
    "services",
    "locations",
    "service_areas",
    "service_at_locations",
    "languages",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
)
PAGE_ARRAYS = ("contents", "content")
NOTICE_KEY = "notice"
VALUE_KINDS = {"percent": "a percentage, 0 to 100", "yes_no": "true or false"}


def read_hsds(document: Any, vocabulary: Vocabulary) -> Drafts:
    reader = _Reader(vocabulary)
    reader.document(document)
    return reader.drafts


def read_organization(document: Any, vocabulary: Vocabulary) -> Drafts:
    """One organization object, with what is attached to it nested."""
    reader = _Reader(vocabulary)
    if isinstance(document, dict):
        reader.organization(document, "")
    else:
        reader.drafts.problem("", "an organization is a JSON object")
    return reader.drafts


class _Reader:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.drafts = Drafts()
        self.taxonomies: dict[str, str] = {}  # taxonomy id -> name

    def document(self, document: Any) -> None:
        if isinstance(document, list):
            self._page(document, "")
            return
        if not isinstance(document, dict):
            self.drafts.problem(
                "",
                "an Open Referral feed is a JSON object (flat arrays, or an API "
                "page with `contents`) or an array of services",
            )
            return
        if "id" in document:  # a single record, with what is attached to it nested
            self._one(document, "")
        elif any(key in document for key in FLAT_ARRAYS):
            self._flat(document)
        elif any(isinstance(document.get(key), list) for key in PAGE_ARRAYS):
            key = next(k for k in PAGE_ARRAYS if isinstance(document.get(k), list))
            self._page(document[key], pointer("", key))
        else:
            self.drafts.problem(
                "",
                "no records found: expected arrays such as `organizations` and "
                "`services`, or an API page with `contents`",
            )

    def _flat(self, document: dict[str, Any]) -> None:
        for item, _ in self._array(document, "taxonomies", ""):
            if item.get("id") is not None and item.get("name"):
                self.taxonomies[str(item["id"])] = str(item["name"])
        for item, at in self._array(document, "taxonomy_terms", ""):
            self.term(item, at)
        for item, at in self._array(document, "organizations", ""):
            self.organization(item, at)
        for item, at in self._array(document, "services", ""):
            self.service(item, at)
        for item, at in self._array(document, "locations", ""):
            self.location(item, at)
        for item, at in self._array(document, "service_areas", ""):
            self.service_area(item, at)
        for item, at in self._array(document, "service_at_locations", ""):
            self._link(item, at)
        for item, at in self._array(document, "attributes", ""):
            self.attribute(item, at)
        self._flat_languages(document)

    def _page(self, items: list[Any], at: str) -> None:
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                self.drafts.problem(pointer(at, index), "must be an object")
                continue
            self._one(item, pointer(at, index))

    def _one(self, item: dict[str, Any], at: str) -> None:
        is_service = "organization" in item or "organization_id" in item or "service_at_locations" in item
        (self.service if is_service else self.organization)(item, at)

    # -- records ---------------------------------------------------------------------------

    def organization(self, item: dict[str, Any], at: str) -> None:
        org_id = item.get("id")
        fields = _pick(item, "id", "name", "description", "email")
        fields["website"] = item.get("website") if item.get("website") is not None else item.get("url")
        where = {"website": pointer(at, "website" if item.get("website") is not None else "url")}
        self.drafts.add("organizations", at, fields, where)
        for child, child_at in self._array(item, "services", at):
            self.service(child, child_at, organization_id=org_id)
        for child, child_at in self._array(item, "locations", at):
            self.location(child, child_at, organization_id=org_id)
        for child, child_at in self._array(item, "attributes", at):
            self.attribute(child, child_at, link_entity="organization", link_id=org_id)

    def service(self, item: dict[str, Any], at: str, organization_id: Any = None) -> None:
        service_id = item.get("id")
        nested = item.get("organization")
        if isinstance(nested, dict):
            self.organization(nested, pointer(at, "organization"))
            organization_id = nested.get("id")
        fields = _pick(item, "id", "name", "description", "url", "email")
        fields["organization_id"] = item.get("organization_id", organization_id)
        if isinstance(item.get("status"), str):
            fields["status"] = item["status"].strip().lower()
        elif item.get("status") is not None:
            fields["status"] = item["status"]
        fields["languages"] = self._languages(item, at)
        self.drafts.add("services", at, fields)
        owner = fields["organization_id"]
        for child, child_at in self._array(item, "service_areas", at):
            self.service_area(child, child_at, service_id=service_id)
        for child, child_at in self._array(item, "service_at_locations", at):
            location = child.get("location")
            if isinstance(location, dict):
                self.location(location, pointer(child_at, "location"), organization_id=owner)
                self._add_link(service_id, location.get("id"), pointer(child_at, "location", "id"))
            else:
                self._link(child, child_at, service_id=service_id)
        for child, child_at in self._array(item, "attributes", at):
            self.attribute(child, child_at, link_entity="service", link_id=service_id)
        for child, child_at in self._array(item, "service_taxonomys", at):  # Open Referral UK v1
            taxonomy = child.get("taxonomy")
            if not isinstance(taxonomy, dict):
                self.drafts.problem(pointer(child_at, "taxonomy"), "required: the taxonomy term")
                continue
            self.attribute(
                {"id": child.get("id"), "taxonomy_term": taxonomy},
                child_at,
                link_entity="service",
                link_id=service_id,
            )

    def location(self, item: dict[str, Any], at: str, organization_id: Any = None) -> None:
        fields = _pick(item, "id", "name", "latitude", "longitude")
        fields["organization_id"] = item.get("organization_id", organization_id)
        where: dict[str, str] = {}
        addresses = [(a, a_at) for a, a_at in self._array(item, "addresses", at)] or [
            (a, a_at) for a, a_at in self._array(item, "physical_addresses", at)
        ]
        physical = [(a, a_at) for a, a_at in addresses if a.get("address_type") in (None, "physical")]
        if physical or addresses:
            address, address_at = (physical or addresses)[0]
            for name, keys in (
                ("address_1", ("address_1",)),
                ("city", ("city",)),
                ("region", ("region", "state_province")),
                ("postal_code", ("postal_code",)),
                ("country", ("country",)),
            ):
                key = next((k for k in keys if address.get(k) not in (None, "")), None)
                if key is not None:
                    fields[name] = address[key]
                    where[name] = pointer(address_at, key)
        notes = []
        for key, text_key in (
            ("accessibility", "description"),
            ("accessibility_for_disabilities", "accessibility"),
        ):
            for note, _ in self._array(item, key, at):
                text = " ".join(str(note[k]).strip() for k in (text_key, "details") if note.get(k))
                if text:
                    notes.append(text)
        fields["accessibility"] = tuple(notes)
        fields["languages"] = self._languages(item, at)
        self.drafts.add("locations", at, fields, where)
        for child, child_at in self._array(item, "attributes", at):
            self.attribute(child, child_at, link_entity="location", link_id=item.get("id"))

    def service_area(self, item: dict[str, Any], at: str, service_id: Any = None) -> None:
        fields = _pick(item, "id", "description", "extent_type", "uri")
        fields["service_id"] = item.get("service_id", service_id)
        fields["name"] = item.get("name") if item.get("name") is not None else item.get("service_area")
        extent = item.get("extent")
        fields["extent"] = (
            extent
            if extent is None or isinstance(extent, str)
            else json.dumps(extent, sort_keys=True, separators=(",", ":"))
        )
        if fields.get("id") is None and fields["service_id"] is not None:
            fields["id"] = f"{fields['service_id']}/area/{fields['name'] or at.rsplit('/', 1)[-1]}"
        self.drafts.add("service_areas", at, fields)

    def term(self, item: dict[str, Any], at: str) -> None:
        fields = _pick(item, "id", "name", "code", "description", "parent_id")
        taxonomy = item.get("taxonomy")
        if not isinstance(taxonomy, str):
            detail = item.get("taxonomy_detail")
            taxonomy = (
                detail.get("name")
                if isinstance(detail, dict)
                else self.taxonomies.get(str(item.get("taxonomy_id"))) or item.get("vocabulary")
            )
        fields["taxonomy"] = taxonomy
        if fields.get("parent_id") is None and isinstance(item.get("parent"), str | int):
            fields["parent_id"] = item["parent"]
        if fields.get("description") is None:
            fields["description"] = ""
        self.drafts.add("taxonomy_terms", at, fields)

    def attribute(
        self, item: dict[str, Any], at: str, link_entity: str | None = None, link_id: Any = None
    ) -> None:
        term = item.get("taxonomy_term")
        term_id = item.get("taxonomy_term_id")
        if isinstance(term, dict):
            self.term(term, pointer(at, "taxonomy_term"))
            term_id = term_id if term_id is not None else term.get("id")
        entity = item.get("link_entity")
        if entity is None and item.get("link_type") in ENTITY_KINDS:  # HSDS 2 named the table link_type
            entity = item["link_type"]
        value = item.get("value")
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int | float):
            value = f"{value:g}"
        fields = {
            "id": item.get("id"),
            "link_id": item.get("link_id", link_id),
            "link_entity": entity if entity is not None else link_entity,
            "taxonomy_term_id": term_id,
            "value": value,
        }
        where = {
            "taxonomy_term_id": pointer(
                at, "taxonomy_term_id" if "taxonomy_term_id" in item else "taxonomy_term"
            )
        }
        self.drafts.add("attributes", at, fields, where)

    # -- links and languages ---------------------------------------------------------------

    def _link(self, item: dict[str, Any], at: str, service_id: Any = None) -> None:
        self._add_link(
            item.get("service_id", service_id), item.get("location_id"), pointer(at, "location_id")
        )

    def _add_link(self, service_id: Any, location_id: Any, at: str) -> None:
        if service_id is None or location_id is None:
            self.drafts.problem(at, "a service_at_location needs a service_id and a location_id")
            return
        self.drafts.links.append(Link(str(service_id), str(location_id), at))

    def _languages(self, item: dict[str, Any], at: str) -> tuple[str, ...]:
        codes: list[str] = []
        for language, language_at in self._array(item, "languages", at, objects_only=False):
            code = self._language(language, language_at)
            if code and code not in codes:
                codes.append(code)
        return tuple(codes)

    def _language(self, language: Any, at: str) -> str | None:
        if isinstance(language, str):
            given = language
        elif isinstance(language, dict):
            given = next((language[k] for k in ("code", "name", "language") if language.get(k)), "")
        else:
            given = ""
        code = self.vocabulary.language_code(str(given)) if given else None
        if code is None:
            self.drafts.warn(
                at, f"{given!r} is not a language Ladder knows (give an ISO 639 code such as 'cy'); left out"
            )
        return code

    def _flat_languages(self, document: dict[str, Any]) -> None:
        owners = {(kind, d.id): d for kind in ("services", "locations") for d in self.drafts.items[kind]}
        for item, at in self._array(document, "languages", ""):
            kind, owner_id = next(
                (
                    (k, item.get(f"{k[:-1]}_id"))
                    for k in ("services", "locations")
                    if item.get(f"{k[:-1]}_id") is not None
                ),
                (None, None),
            )
            owner = owners.get((kind, str(owner_id))) if kind else None
            if owner is None:
                self.drafts.warn(
                    at,
                    "a language is imported with its service or location, which "
                    "is not in this feed; left out",
                )
                continue
            code = self._language(item, at)
            if code and code not in owner.fields["languages"]:
                owner.fields["languages"] = (*owner.fields["languages"], code)

    def _array(
        self, item: dict[str, Any], key: str, at: str, objects_only: bool = True
    ) -> Iterable[tuple[Any, str]]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.drafts.problem(pointer(at, key), "must be an array")
            return []
        found = []
        for index, element in enumerate(value):
            if objects_only and not isinstance(element, dict):
                self.drafts.problem(pointer(at, key, index), "must be an object")
                continue
            found.append((element, pointer(at, key, index)))
        return found


def _pick(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: item.get(key) for key in keys}


# -- export ------------------------------------------------------------------------------


class Exporter:
    """Records back to Open Referral JSON, in the flat form `read_hsds` reads."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def flat(
        self, bundles: Iterable[Bundle], terms: Iterable[TaxonomyTerm], notice: str | None = None
    ) -> dict[str, Any]:
        document: dict[str, Any] = {}
        if notice:
            document[NOTICE_KEY] = notice
        arrays: dict[str, list[Any]] = {
            key: []
            for key in (
                "organizations",
                "services",
                "locations",
                "service_at_locations",
                "service_areas",
                "taxonomy_terms",
                "attributes",
            )
        }
        used_terms: set[str] = set()
        for bundle in bundles:
            arrays["organizations"].append(self.organization(bundle))
            for service in bundle.services:
                arrays["services"].append(self.service(service))
                arrays["service_at_locations"] += [
                    {
                        "id": f"{service.id}/at/{location_id}",
                        "service_id": service.id,
                        "location_id": location_id,
                    }
                    for location_id in service.location_ids
                ]
            arrays["locations"] += [self.location(location) for location in bundle.locations]
            arrays["service_areas"] += [_area(a) for a in bundle.service_areas]
            for attribute in self.attributes(bundle):
                arrays["attributes"].append(attribute)
                used_terms.add(attribute["taxonomy_term_id"])
        arrays["taxonomy_terms"] = [
            *self.ladder_terms(used_terms),
            *(
                _drop_none(
                    {
                        "id": t.id,
                        "name": t.name,
                        "code": t.code,
                        "description": t.description,
                        "taxonomy": t.taxonomy,
                        "parent_id": t.parent_id,
                    }
                )
                for t in terms
            ),
        ]
        document.update(arrays)
        return document

    def nested(self, bundle: Bundle) -> dict[str, Any]:
        """One organisation with what is attached to it nested: what PUT takes and returns."""
        linked: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for attribute in self.attributes(bundle):
            linked.setdefault((attribute["link_entity"], attribute["link_id"]), []).append(attribute)
        services = []
        for service in bundle.services:
            item = self.service(service)
            areas = [a for a in bundle.service_areas if a.service_id == service.id]
            if areas:
                item["service_areas"] = [_area(a) for a in areas]
            if service.location_ids:
                item["service_at_locations"] = [{"location_id": i} for i in service.location_ids]
            if ("service", service.id) in linked:
                item["attributes"] = linked[("service", service.id)]
            services.append(item)
        locations = []
        for location in bundle.locations:
            item = self.location(location)
            if ("location", location.id) in linked:
                item["attributes"] = linked[("location", location.id)]
            locations.append(item)
        document = self.organization(bundle)
        document.update(
            services=services,
            locations=locations,
            attributes=linked.get(("organization", bundle.organization.id), []),
        )
        return document

    def organization(self, bundle: Bundle) -> dict[str, Any]:
        o = bundle.organization
        return _drop_none(
            {"id": o.id, "name": o.name, "description": o.description, "website": o.website, "email": o.email}
        )

    def service(self, s: Service) -> dict[str, Any]:
        return _drop_none(
            {
                "id": s.id,
                "organization_id": s.organization_id,
                "name": s.name,
                "description": s.description,
                "status": s.status,
                "url": s.url,
                "email": s.email,
                "languages": [{"code": c, "name": self.vocabulary.language_label(c)} for c in s.languages]
                or None,
            }
        )

    def location(self, location: Location) -> dict[str, Any]:
        address = _drop_none(
            {
                "address_1": location.address_1,
                "city": location.city,
                "region": location.region,
                "postal_code": location.postal_code,
                "country": location.country,
            }
        )
        return _drop_none(
            {
                "id": location.id,
                "organization_id": location.organization_id,
                "location_type": "physical",
                "name": location.name,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "addresses": [{**address, "address_type": "physical"}] if address else None,
                "accessibility": [{"description": text} for text in location.accessibility] or None,
                "languages": [
                    {"code": c, "name": self.vocabulary.language_label(c)} for c in location.languages
                ]
                or None,
            }
        )

    def attributes(self, bundle: Bundle) -> list[dict[str, Any]]:
        o = bundle.organization
        made = [
            {
                "id": f"{o.id}/{GOVERNANCE_TAXONOMY}:{fact}",
                "link_id": o.id,
                "link_entity": "organization",
                "taxonomy_term_id": f"{GOVERNANCE_TAXONOMY}:{fact}",
                "value": value,
            }
            for fact, value in governance_values(o.governance).items()
        ]
        if o.fictional:
            made.append(
                {
                    "id": f"{o.id}/{FICTIONAL_TERM}",
                    "link_id": o.id,
                    "link_entity": "organization",
                    "taxonomy_term_id": FICTIONAL_TERM,
                    "value": "true",
                }
            )
        return made + [
            _drop_none(
                {
                    "id": a.id,
                    "link_id": a.link_id,
                    "link_entity": a.link_entity,
                    "taxonomy_term_id": a.taxonomy_term_id,
                    "value": a.value,
                }
            )
            for a in bundle.attributes
        ]

    def ladder_terms(self, used: set[str]) -> list[dict[str, Any]]:
        """Ladder's own taxonomy terms that the exported attributes use."""
        terms = []
        for vocabulary in MASKED:
            for term_id, term in self.vocabulary.terms[vocabulary].items():
                full = f"{taxonomy_name(vocabulary)}:{term_id}"
                if full in used:
                    terms.append(
                        {
                            "id": full,
                            "code": term_id,
                            "name": term.label,
                            "description": term.label,
                            "taxonomy": taxonomy_name(vocabulary),
                        }
                    )
        for fact, about in rules().facts.items():
            full = f"{GOVERNANCE_TAXONOMY}:{fact}"
            if full in used:
                terms.append(
                    {
                        "id": full,
                        "code": fact,
                        "name": about.label,
                        "description": f"{about.label} ({VALUE_KINDS[about.kind]})",
                        "taxonomy": GOVERNANCE_TAXONOMY,
                    }
                )
        if FICTIONAL_TERM in used:
            terms.append(
                {
                    "id": FICTIONAL_TERM,
                    "code": "fictional",
                    "name": "fictional (invented demo data)",
                    "description": "The record is invented, for trying Ladder out; not a real group.",
                    "taxonomy": FICTIONAL_TERM.split(":")[0],
                }
            )
        return terms


def _area(area: ServiceArea) -> dict[str, Any]:
    return _drop_none(
        {
            "id": area.id,
            "service_id": area.service_id,
            "name": area.name,
            "description": area.description,
            "extent": area.extent,
            "extent_type": area.extent_type,
            "uri": area.uri,
        }
    )


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
