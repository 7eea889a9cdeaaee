"""The matcher with a generated directory of 100,000 services, in process.

    python -m tests.bench.matcher_bench      (make bench runs it)

Targets (issue 5): the top 10 matches in at most 5 ms at the median, in process; import
into SQLite at 5,000 records a second or more. Figures are printed, never asserted.

The directory is generated (a fixed seed, so runs are comparable): organisations placed at
the centres of real UK postcode districts (../shared/data/uk_outcodes.csv, read in place,
never copied) with a few kilometres of jitter, each with one to three services, lived
experience, kinds of involvement, access, languages, governance facts and, for some, a
service area. It is imported in pages of PAGE organisations, as a council's API would be
read, into a fresh SQLite file; the index is then built from the database, as a matcher
replica builds it at start.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from services.common.settings import Settings
from services.matcher.app import MatcherApp
from services.matcher.csv_format import radius_extent
from services.matcher.directory import Directory
from services.matcher.vocabulary import ACCESS, FOCUS, INVOLVEMENT, taxonomy_name, vocabulary

ROOT = Path(__file__).resolve().parents[2]
OUTCODES = Path(os.environ.get("LADDER_TEST_OUTCODES", ROOT.parent / "shared" / "data" / "uk_outcodes.csv"))
SERVICES = int(os.environ.get("LADDER_BENCH_SERVICES", "100000"))
PAGE = 2000  # organisations per imported page
REIMPORTED = 4000  # services in the pages imported a second time
QUERIES = 400
SEED = 5
WELSH = ("CF", "SA", "LL", "NP", "LD", "SY")


def districts() -> list[tuple[str, float, float]]:
    with OUTCODES.open(newline="") as handle:
        return [(row["postcode"], float(row["latitude"]), float(row["longitude"]))
                for row in csv.DictReader(handle)]


def generate(places: list[tuple[str, float, float]], services: int) -> Iterator[dict]:
    """Pages of an Open Referral feed (flat arrays), until `services` services are made."""
    rng = random.Random(SEED)
    words = vocabulary()
    focus, involvement, access = words.ids(FOCUS), words.ids(INVOLVEMENT), words.ids(ACCESS)
    made, org = 0, 0
    while made < services:
        page: dict[str, list] = {k: [] for k in (
            "organizations", "services", "locations", "service_at_locations", "service_areas", "attributes")}
        for _ in range(PAGE):
            if made >= services:
                break
            org += 1
            org_id = f"bench-org-{org}"
            district, lat, lon = rng.choice(places)
            page["organizations"].append({"id": org_id, "name": f"Bench group {org}",
                                          "description": "Generated for the benchmark."})
            location_id = f"{org_id}-base"
            page["locations"].append({"id": location_id, "organization_id": org_id,
                                      "latitude": round(lat + rng.uniform(-0.03, 0.03), 5),
                                      "longitude": round(lon + rng.uniform(-0.05, 0.05), 5),
                                      "addresses": [{"postal_code": district}]})
            kind = rng.random()
            facts = {"governing_body_percent": rng.choice([80, 90, 100])} if kind < 0.6 else \
                {"self_declared_user_led": "true"} if kind < 0.8 else {"governing_body_percent": 20}
            for fact, value in facts.items():
                page["attributes"].append({"id": f"{org_id}/{fact}", "link_id": org_id,
                                           "link_entity": "organization", "value": str(value),
                                           "taxonomy_term_id": f"ladder-governance:{fact}"})
            languages = [{"code": "cy"}, {"code": "en"}] if district.startswith(WELSH) else \
                [{"code": rng.choice(["en", "en", "en", "pl", "ur", "pa"])}]
            for number in range(rng.choice([1, 2, 2, 3])):
                if made >= services:
                    break
                made += 1
                service_id = f"{org_id}-svc-{number}"
                page["services"].append({"id": service_id, "organization_id": org_id,
                                         "name": f"Service {number}", "status": "active",
                                         "languages": languages})
                page["service_at_locations"].append({"service_id": service_id, "location_id": location_id})
                terms = [(FOCUS, rng.choice(focus)), (INVOLVEMENT, rng.choice(involvement))]
                if rng.random() < 0.5:
                    terms.append((ACCESS, rng.choice(access)))
                for vocabulary_name, term in terms:
                    term_id = f"{taxonomy_name(vocabulary_name)}:{term}"
                    page["attributes"].append({"id": f"{service_id}/{term_id}", "link_id": service_id,
                                               "link_entity": "service", "taxonomy_term_id": term_id})
                area = rng.random()
                if area < 0.03:
                    page["service_areas"].append({"id": f"{service_id}/area", "service_id": service_id,
                                                  "name": "national"})
                elif area < 0.18:
                    page["service_areas"].append({"id": f"{service_id}/area", "service_id": service_id,
                                                  "name": "nearby", "extent_type": "geojson",
                                                  "extent": radius_extent(rng.choice([10, 20, 30, 50]))})
        yield page


def records_in(page: dict) -> int:
    """Records as counted by an import: governance facts are part of their organisation."""
    governance = sum(1 for a in page["attributes"] if a["taxonomy_term_id"].startswith("ladder-governance:"))
    return sum(len(page[k]) for k in ("organizations", "services", "locations", "service_areas",
                                      "attributes")) - governance


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    if not OUTCODES.is_file():
        print(f"the shared district table is not at {OUTCODES} (set LADDER_TEST_OUTCODES)", file=sys.stderr)
        return 2
    places = districts()
    with tempfile.TemporaryDirectory(prefix="ladder-matcher-bench-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'directory.sqlite3'}"
        directory = Directory.from_settings(Settings(database_url=url, demo_directory=False))

        records, seconds, rejected = 0, 0.0, 0
        for page in generate(places, SERVICES):
            started = time.perf_counter()
            report = directory.import_hsds(page).report("hsds")
            seconds += time.perf_counter() - started
            records += report["created"]
            rejected += report["rejected"]
        expected = sum(records_in(p) for p in generate(places, SERVICES))

        started = time.perf_counter()
        app = MatcherApp(directory)
        index_seconds = time.perf_counter() - started

        again_started = time.perf_counter()
        unchanged = sum(directory.import_hsds(page).report("hsds")["unchanged"]
                        for page in generate(places, REIMPORTED))
        again_seconds = time.perf_counter() - again_started

        rng = random.Random(SEED + 1)
        words = vocabulary()
        origins = [rng.choice(places) for _ in range(QUERIES)]
        shapes = {
            "one focus and one kind of involvement, 25 km": lambda r: {
                "lived_experience": [r.choice(words.ids(FOCUS))],
                "involvement": [r.choice(words.ids(INVOLVEMENT))], "radius_km": 25},
            "nothing but the place, 25 km": lambda r: {"radius_km": 25},
            "focus, involvement, language and access, 50 km, allies too": lambda r: {
                "lived_experience": [r.choice(words.ids(FOCUS))],
                "involvement": [r.choice(words.ids(INVOLVEMENT))], "languages": ["cy"],
                "access_needs": [r.choice(words.ids(ACCESS))], "radius_km": 50, "include_allies": True},
        }
        timings: dict[str, list[float]] = {}
        found: dict[str, list[int]] = {}
        for name, shape in shapes.items():
            r = random.Random(SEED + 2)
            requests = [{"location": {"latitude": lat, "longitude": lon}, "limit": 10, **shape(r)}
                        for _, lat, lon in origins]
            for request in requests[:20]:  # warm up
                app.match(request, lambda *_: None)
            timings[name], found[name] = [], []
            for request in requests:
                started = time.perf_counter()
                answer = app.match(request, lambda *_: None)
                timings[name].append((time.perf_counter() - started) * 1000)
                found[name].append(len(answer["matches"]))

    services_indexed = sum(1 for e in app.index.entries.values() if e.service is not None)
    print(f"\nMatcher, in process, generated directory of {services_indexed:,} services "
          f"({len(app.index.by_organization):,} organisations)")
    print(f"  import into SQLite: {records:,} records in {seconds:.1f} s = "
          f"{records / seconds:,.0f} records/s (pages of {PAGE:,} organisations; {rejected} rejected; "
          f"{expected:,} expected)")
    print(f"  re-import of the first pages: {unchanged:,} records unchanged in {again_seconds:.1f} s "
          f"= {unchanged / again_seconds:,.0f} records/s")
    print(f"  index built from the database in {index_seconds:.1f} s")
    print(f"  top 10 matches, {QUERIES} places at random UK postcode districts "
          "(MatcherApp.match, JSON in and out):")
    print(f"  {'request':<62}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'found':>7}")
    for name, values in timings.items():
        print(f"  {name:<62}{statistics.median(values):>8.2f}{percentile(values, 0.9):>8.2f}"
              f"{percentile(values, 0.99):>8.2f}{statistics.mean(found[name]):>7.1f}")
    typical = statistics.median(timings[next(iter(shapes))])
    print(f"\n  [{'PASS' if typical <= 5 else 'FAIL'}] median top-10 match {typical:.2f} ms (target <= 5 ms)")
    print(f"  [{'PASS' if records / seconds >= 5000 else 'FAIL'}] import {records / seconds:,.0f} records/s "
          "(target >= 5,000)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
