"""This replica's in-memory index of the directory, for fast matching.

One entry per active service (or, for an organisation that lists no services, one for the
organisation itself), with what matching needs precomputed: its places, its lived
experience, involvement and access as bit masks, its languages, its user-led verdict and
its service areas. Entries sit in a grid of 0.1-degree cells by place, so a search looks
only at the cells its circle overlaps; groups whose service area reaches further sit in a
coarse grid by the area they cover, and national ones in a list of their own.

Built from the database at start and changed an organisation at a time as the replica
follows the directory's change log (follow.py); the database is the truth, the index a
view of it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from services.matcher.geo import cell_of, cells_of_circle, cells_within, distance_km
from services.matcher.records import (
    Attribute,
    Bundle,
    Organization,
    Service,
    ServiceArea,
    TaxonomyTerm,
)
from services.matcher.user_led import Status, Verdict, assess
from services.matcher.vocabulary import ACCESS, FOCUS, INVOLVEMENT, MASKED, Vocabulary, load_yaml, simplify

CELL_DEGREES = 0.1
AREA_CELL_DEGREES = 1.0
CELL_MARGIN_KM = 0.5
STATUSES = (Status.USER_LED, Status.PROBABLY_USER_LED, Status.NOT_USER_LED)


@cache
def matching_settings() -> dict:
    return load_yaml("matching.yaml")


@dataclass(frozen=True, slots=True)
class Reach:
    """How far a service area takes a group: everywhere, or a circle."""

    national: bool
    name: str
    centres: tuple[tuple[float, float], ...] = ()
    radius_km: float = 0.0

    def covers(self, latitude: float, longitude: float) -> bool:
        return self.national or any(
            distance_km(latitude, longitude, lat, lon) <= self.radius_km for lat, lon in self.centres
        )


@dataclass(slots=True)
class Entry:
    key: str
    organization: Organization
    service: Service | None
    verdict: Verdict
    status: int  # position in STATUSES
    points: tuple[tuple[float, float], ...]
    focus_declared: int
    focus: int  # with what broader terms cover
    involvement: int
    access: int
    languages: frozenset[str]
    languages_stated: bool
    reaches: tuple[Reach, ...]
    national: bool = False  # a service area reaches the whole UK


@dataclass(slots=True)
class Candidate:
    entry: Entry
    distance_km: float
    nearest: tuple[float, float]
    local: bool  # within the radius asked for
    reach: Reach | None = None  # the service area that covers the place, if one does


@dataclass
class _Grids:
    cells: dict[tuple[int, int], dict[str, tuple[float, float, Entry]]] = field(default_factory=dict)
    area_cells: dict[tuple[int, int], dict[str, Entry]] = field(default_factory=dict)
    # National groups, by status (so a search can pass over a whole status at once).
    national: dict[int, dict[str, Entry]] = field(default_factory=dict)


class DirectoryIndex:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.entries: dict[str, Entry] = {}
        self.by_organization: dict[str, list[str]] = {}
        self.terms: dict[str, list[tuple[str, str]]] = {}
        self._grids = _Grids()
        self._lock = threading.RLock()
        settings = matching_settings()
        self.assumed_language: str = settings["assumed_language"]
        self.national_names = {simplify(n) for n in settings["national_area_names"]}

    # -- changes ---------------------------------------------------------------------------

    def set_terms(self, terms: Iterable[TaxonomyTerm]) -> None:
        """Stored taxonomy terms from other directories, mapped to Ladder's vocabularies."""
        mapped = {
            t.id: self.vocabulary.recognise(taxonomy=t.taxonomy, code=t.code, name=t.name) for t in terms
        }
        with self._lock:
            self.terms = mapped

    def replace(self, organization_ids: Iterable[str], bundles: Iterable[Bundle]) -> None:
        """Forget these organisations, then index the given bundles (their current state)."""
        built = [entry for bundle in bundles for entry in self._entries(bundle)]
        with self._lock:
            for org_id in organization_ids:
                for key in self.by_organization.pop(org_id, []):
                    self._remove(self.entries.pop(key))
            for entry in built:
                if entry.key in self.entries:  # a service moved between organisations
                    old = self.entries.pop(entry.key)
                    self._remove(old)
                    self.by_organization.get(old.organization.id, []).remove(entry.key)
                self.entries[entry.key] = entry
                self.by_organization.setdefault(entry.organization.id, []).append(entry.key)
                self._add(entry)

    def organization_ids(self) -> set[str]:
        with self._lock:
            return set(self.by_organization)

    def digest(self) -> str:
        """A fingerprint of everything matching reads from the entries: two indexes with
        the same digest match alike. Lets operators (and tests) compare replicas."""
        with self._lock:
            entries = [self.entries[key] for key in sorted(self.entries)]
        hashed = hashlib.sha256()
        for e in entries:
            hashed.update(json.dumps([
                e.key, e.organization.model_dump(mode="json"),
                e.service.model_dump(mode="json") if e.service else None,
                e.points, e.focus_declared, e.focus, e.involvement, e.access,
                sorted(e.languages), e.languages_stated, e.national,
                [[r.national, r.name, r.centres, r.radius_km] for r in e.reaches],
            ], sort_keys=True).encode())
            hashed.update(b"\n")
        return hashed.hexdigest()

    def _add(self, entry: Entry) -> None:
        grids = self._grids
        for index, (lat, lon) in enumerate(entry.points):
            grids.cells.setdefault(cell_of(lat, lon, CELL_DEGREES), {})[f"{entry.key}#{index}"] = (
                lat,
                lon,
                entry,
            )
        for reach in entry.reaches:
            if reach.national:
                grids.national.setdefault(entry.status, {})[entry.key] = entry
            for lat, lon in reach.centres:
                for cell in cells_of_circle(lat, lon, reach.radius_km, AREA_CELL_DEGREES):
                    grids.area_cells.setdefault(cell, {})[entry.key] = entry

    def _remove(self, entry: Entry) -> None:
        grids = self._grids
        for index, (lat, lon) in enumerate(entry.points):
            cell = cell_of(lat, lon, CELL_DEGREES)
            grids.cells.get(cell, {}).pop(f"{entry.key}#{index}", None)
            if not grids.cells.get(cell, True):
                del grids.cells[cell]
        grids.national.get(entry.status, {}).pop(entry.key, None)
        for reach in entry.reaches:
            for lat, lon in reach.centres:
                for cell in cells_of_circle(lat, lon, reach.radius_km, AREA_CELL_DEGREES):
                    grids.area_cells.get(cell, {}).pop(entry.key, None)

    # -- building entries ------------------------------------------------------------------

    def _entries(self, bundle: Bundle) -> list[Entry]:
        organization = bundle.organization
        verdict = assess(organization.governance)
        locations = {loc.id: loc for loc in (*bundle.locations, *bundle.shared_locations)}
        located = [loc for loc in bundle.locations if loc.located]
        attributes: dict[tuple[str, str], list[Attribute]] = {}
        for attribute in bundle.attributes:
            attributes.setdefault((attribute.link_entity, attribute.link_id), []).append(attribute)
        org_terms = self._terms(attributes.get(("organization", organization.id), []))
        areas: dict[str, list[ServiceArea]] = {}
        for area in bundle.service_areas:
            areas.setdefault(area.service_id, []).append(area)

        entries = []
        services: list[Service | None] = [s for s in bundle.services if s.status == "active"]
        if not bundle.services:
            services = [None]  # an organisation that lists no services is matched as itself
        for service in services:
            places = located
            if service is not None:
                places = [
                    locations[i] for i in service.location_ids if i in locations and locations[i].located
                ] or located  # a service with no place of its own runs from the organisation's
            if not places:
                continue  # cannot be placed, so cannot be matched by distance
            terms = {name: set(ids) for name, ids in org_terms.items()}
            if service is not None:
                for name, ids in self._terms(attributes.get(("service", service.id), [])).items():
                    terms[name] |= ids
            for place in places:
                for name, ids in self._terms(attributes.get(("location", place.id), [])).items():
                    terms[name] |= ids
                for note in place.accessibility:
                    terms[ACCESS] |= self.vocabulary.access_in_text(note)
            languages = set(service.languages if service else ())
            for place in places:
                languages |= set(place.languages)
            points = tuple((p.latitude, p.longitude) for p in places)
            reaches = tuple(
                r
                for a in (areas.get(service.id, []) if service else [])
                if (r := self._reach(a, points)) is not None
            )
            entries.append(
                Entry(
                    key=service.id if service else f"organization:{organization.id}",
                    organization=organization,
                    service=service,
                    verdict=verdict,
                    status=STATUSES.index(verdict.status),
                    points=points,  # type: ignore[arg-type]
                    focus_declared=_own_bits(self.vocabulary, FOCUS, terms[FOCUS]),
                    focus=self.vocabulary.mask(FOCUS, terms[FOCUS]),
                    involvement=self.vocabulary.mask(INVOLVEMENT, terms[INVOLVEMENT]),
                    access=self.vocabulary.mask(ACCESS, terms[ACCESS]),
                    languages=frozenset(languages or {self.assumed_language}),
                    languages_stated=bool(languages),
                    reaches=reaches,
                    national=any(r.national for r in reaches),
                )
            )
        return entries

    def _terms(self, attributes: list[Attribute]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {name: set() for name in MASKED}
        for attribute in attributes:
            builtin = self.vocabulary.builtin_term(attribute.taxonomy_term_id)
            for name, term_id in [builtin] if builtin else self.terms.get(attribute.taxonomy_term_id, []):
                found[name].add(term_id)
        return found

    def _reach(self, area: ServiceArea, points: tuple[tuple[float, float], ...]) -> Reach | None:
        """National by name; a circle as a GeoJSON Feature with properties.radius_km around
        a Point geometry (or, with geometry null, around the service's own places)."""
        name = area.name or area.description or "its service area"
        if area.name and simplify(area.name) in self.national_names:
            return Reach(national=True, name=area.name)
        if (area.extent_type or "").lower() != "geojson" or not area.extent:
            return None
        try:
            feature = json.loads(area.extent)
            radius = float(feature["properties"]["radius_km"])
            geometry = feature.get("geometry")
            centres = (
                points
                if geometry is None
                else ((float(geometry["coordinates"][1]), float(geometry["coordinates"][0])),)
            )
        except (ValueError, KeyError, TypeError, IndexError):
            return None  # another kind of extent (a polygon): kept and exported, not used here
        return (
            Reach(national=False, name=name, centres=tuple(centres), radius_km=radius) if radius > 0 else None
        )

    # -- searching -------------------------------------------------------------------------

    def reading(self) -> threading.RLock:
        """Hold while reading cells, so no change lands mid-search."""
        return self._lock

    def nearby_cells(self, latitude: float, longitude: float, radius_km: float,
                     ) -> list[tuple[float, dict[str, tuple[float, float, Entry]]]]:
        """The grid cells a circle overlaps, nearest first, each with the least distance
        from the centre to any point of it (call while holding `reading()`)."""
        cells = self._grids.cells
        rows, columns = cells_within(latitude, longitude, radius_km, CELL_DEGREES)
        if len(rows) * len(columns) <= len(cells):
            keys = [(r, c) for r in rows for c in columns if (r, c) in cells]
        else:  # a radius wider than the directory: visit what is there
            keys = [(r, c) for r, c in cells if r in rows and c in columns]
        found = []
        for row, column in keys:
            # The cell's point nearest the centre, less a margin for the meridians converging.
            lat = min(max(latitude, row * CELL_DEGREES), (row + 1) * CELL_DEGREES)
            lon = min(max(longitude, column * CELL_DEGREES), (column + 1) * CELL_DEGREES)
            least = max(0.0, distance_km(latitude, longitude, lat, lon) - CELL_MARGIN_KM)
            if least <= radius_km:
                found.append((least, cells[(row, column)]))
        found.sort(key=lambda item: item[0])
        return found

    def wider(self, latitude: float, longitude: float) -> tuple[list[Entry], dict[int, dict[str, Entry]]]:
        """Groups whose service area may reach the place, however far away they are based:
        those with a radius whose circle may cover it, and the national ones by status
        (call while holding `reading()`; check `Reach.covers` for the first)."""
        grids = self._grids
        nearby = grids.area_cells.get(cell_of(latitude, longitude, AREA_CELL_DEGREES), {})
        return [e for e in nearby.values() if not e.national], grids.national

    def reaching(self, entry: Entry, latitude: float, longitude: float, radius_km: float) -> Candidate | None:
        """The entry as a candidate if a service area of its covers the place."""
        reach = next((r for r in entry.reaches if r.covers(latitude, longitude)), None)
        if reach is None:
            return None
        distance, nearest = min(
            (distance_km(latitude, longitude, lat, lon), (lat, lon)) for lat, lon in entry.points)
        return Candidate(entry, distance, nearest, distance <= radius_km, reach)

    def candidates(self, latitude: float, longitude: float, radius_km: float, statuses: int,
                   focus: int) -> list[Candidate]:
        """Every entry within the radius, or whose service area covers the place, of an
        allowed status (a bit per STATUSES position) and, when `focus` is not 0, sharing a
        focus: the whole search, with nothing left out early."""
        found: dict[str, Candidate] = {}
        with self._lock:
            for _, cell in self.nearby_cells(latitude, longitude, radius_km):
                for lat, lon, entry in cell.values():
                    if not (statuses >> entry.status) & 1 or (focus and not entry.focus & focus):
                        continue
                    distance = distance_km(latitude, longitude, lat, lon)
                    if distance <= radius_km:
                        known = found.get(entry.key)
                        if known is None or distance < known.distance_km:
                            found[entry.key] = Candidate(entry, distance, (lat, lon), True)
            areas, national = self.wider(latitude, longitude)
            for entry in [*areas, *(e for bucket in national.values() for e in bucket.values())]:
                if not (statuses >> entry.status) & 1 or (focus and not entry.focus & focus):
                    continue
                candidate = self.reaching(entry, latitude, longitude, radius_km)
                if candidate is not None:
                    local = found.get(entry.key)
                    if local is None:
                        found[entry.key] = candidate
                    else:
                        local.reach = candidate.reach
        return list(found.values())


def _own_bits(vocabulary: Vocabulary, name: str, ids: set[str]) -> int:
    bits = vocabulary.bit[name]
    mask = 0
    for term_id in ids:
        mask |= bits.get(term_id, 0)
    return mask
