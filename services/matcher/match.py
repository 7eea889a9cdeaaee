"""Rank groups for an organisation: which are within reach, how well each fits what was
asked, and why, factor by factor (weights in data/matching.yaml)."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

from services.matcher.geo import distance_km
from services.matcher.index import STATUSES, Candidate, DirectoryIndex, Entry, matching_settings
from services.matcher.user_led import Status
from services.matcher.vocabulary import ACCESS, FOCUS, INVOLVEMENT, Vocabulary

STATUS_WORDS = {
    Status.USER_LED: "User-led",
    Status.PROBABLY_USER_LED: "Probably user-led",
    Status.NOT_USER_LED: "Not user-led (included because allies were asked for)",
}
FICTIONAL_REASON = "Fictional demo data: an invented group, not a real one; do not contact it."


@dataclass(frozen=True)
class Wanted:
    """A match request, resolved: the place, and what is asked for."""

    latitude: float
    longitude: float
    radius_km: float
    lived_experience: tuple[str, ...] = ()
    involvement: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    access_needs: tuple[str, ...] = ()
    include_allies: bool = False
    limit: int = 10


@dataclass(frozen=True)
class Factor:
    factor: str
    score: float
    weight: float
    reason: str


@dataclass(frozen=True)
class Found:
    entry: Entry
    candidate: Candidate
    score: float
    factors: tuple[Factor, ...]


class Scoring:
    """How one request scores a group: the weights of the factors it asks about (rescaled
    to sum to 1), and its wants as bit masks, so scoring a group is a few integer steps."""

    def __init__(self, matcher: Matcher, wanted: Wanted) -> None:
        v = matcher.vocabulary
        asked = {"distance": True, "user_led": True, "lived_experience": bool(wanted.lived_experience),
                 "involvement": bool(wanted.involvement), "languages": bool(wanted.languages),
                 "access": bool(wanted.access_needs)}
        weights = {name: weight for name, weight in matcher.weights.items() if asked[name]}
        total = sum(weights.values())
        self.weights = {name: weight / total for name, weight in weights.items()}
        self.focus = _own_mask(v, FOCUS, wanted.lived_experience)
        self.involvement = _own_mask(v, INVOLVEMENT, wanted.involvement)
        self.access = _own_mask(v, ACCESS, wanted.access_needs)
        self.languages = frozenset(wanted.languages)
        self.statuses = 0b111 if wanted.include_allies else 0b011  # a bit per STATUSES position
        self.radius = wanted.radius_km
        self.status_factor = matcher.status_factor
        self.broader = matcher.broader_factor
        self.area_factor = matcher.area_factor
        w = self.weights
        self.w_distance, self.w_user_led = w["distance"], w["user_led"]
        self.w_focus = w.get("lived_experience", 0.0) / max(1, len(wanted.lived_experience))
        self.w_involvement = w.get("involvement", 0.0) / max(1, len(wanted.involvement))
        self.w_access = w.get("access", 0.0) / max(1, len(wanted.access_needs))
        self.w_languages = w.get("languages", 0.0) / max(1, len(wanted.languages))
        # The best fit (all but distance) a group of each status could have.
        others = sum(weight for name, weight in w.items() if name not in ("distance", "user_led"))
        self.best_fit = [others + self.w_user_led * factor for factor in self.status_factor]

    def allows(self, e: Entry) -> bool:
        return bool((self.statuses >> e.status) & 1) and (not self.focus or bool(e.focus & self.focus))

    def fit(self, e: Entry) -> float:
        """Everything but distance."""
        value = self.w_user_led * self.status_factor[e.status]
        if self.focus:
            exact = (e.focus_declared & self.focus).bit_count()
            value += self.w_focus * (exact + self.broader * ((e.focus & self.focus).bit_count() - exact))
        if self.involvement:
            value += self.w_involvement * (e.involvement & self.involvement).bit_count()
        if self.access:
            value += self.w_access * (e.access & self.access).bit_count()
        if self.languages:
            value += self.w_languages * len(e.languages & self.languages)
        return value

    def score(self, c: Candidate) -> float:
        return self.fit(c.entry) + self.w_distance * _distance_factor(c, self.radius, self.area_factor)


class _Best:
    """The best `keep` candidates so far, one per index entry."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.heap: list[tuple[float, float, int, Candidate]] = []
        self.by_key: dict[str, tuple[float, float, Candidate]] = {}
        self.count = 0

    def beaten(self, at_most: float) -> bool:
        """Could a candidate scoring at most this no longer be kept?"""
        return len(self.heap) >= self.keep and at_most < self.heap[0][0] - 1e-9

    def offer(self, score: float, candidate: Candidate) -> None:
        key = candidate.entry.key
        if key in self.by_key and self.by_key[key][0] >= score:
            return
        self.by_key[key] = (score, -candidate.distance_km, candidate)
        self.count += 1
        item = (score, -candidate.distance_km, self.count, candidate)
        if len(self.heap) < self.keep:
            heapq.heappush(self.heap, item)
        elif item > self.heap[0]:
            heapq.heapreplace(self.heap, item)

    def kept(self) -> list[tuple[float, float, Candidate]]:
        keys = {item[3].entry.key for item in self.heap}
        return [best for key, best in self.by_key.items() if key in keys]


class Matcher:
    def __init__(self, index: DirectoryIndex, vocabulary: Vocabulary, prune: bool = True) -> None:
        self.index = index
        self.vocabulary = vocabulary
        self.prune = prune  # False: score every candidate (the reference the tests compare with)
        settings = matching_settings()
        self.weights: dict[str, float] = settings["weights"]
        self.status_factor = [settings["user_led_factor"][s.value] for s in STATUSES]
        self.area_factor: float = settings["service_area_reach_factor"]
        self.broader_factor: float = settings["broader_focus_factor"]

    def match(self, wanted: Wanted) -> list[Found]:
        scoring = Scoring(self, wanted)
        # More than the limit are kept (several may be one organisation's services).
        keep = wanted.limit * 4 + 8 if self.prune else len(self.index.entries) + 1
        best, pruned = self._search(wanted, scoring, keep)
        chosen = _one_per_organization(sorted(best.kept(), key=_rank), wanted.limit)
        if len(chosen) < wanted.limit and pruned:  # rare: many services of few organisations
            everything = self.index.candidates(wanted.latitude, wanted.longitude, wanted.radius_km,
                                               scoring.statuses, scoring.focus)
            chosen = _one_per_organization(
                sorted(((round(scoring.score(c), 9), -c.distance_km, c) for c in everything), key=_rank),
                wanted.limit)
        return [Found(c.entry, c, value, self._explain(c, wanted, scoring.weights)) for value, _, c in chosen]

    def _search(self, wanted: Wanted, scoring: Scoring, keep: int) -> tuple[_Best, bool]:
        """The best candidates. Cells are visited nearest first; once even a perfect fit in
        the next cell could not be kept, the rest are skipped (and so are groups that could
        not be kept whatever their distance)."""
        latitude, longitude, radius = wanted.latitude, wanted.longitude, wanted.radius_km
        best = _Best(keep)
        prune = self.prune
        pruned = False
        w_distance, top_fit = scoring.w_distance, max(scoring.best_fit)
        statuses, focus = scoring.statuses, scoring.focus
        with self.index.reading():
            for least, cell in self.index.nearby_cells(latitude, longitude, radius):
                nearest_possible = w_distance * (1 - least / radius)
                if prune and best.beaten(top_fit + nearest_possible):
                    pruned = True
                    break
                for lat, lon, entry in cell.values():
                    if not (statuses >> entry.status) & 1 or (focus and not entry.focus & focus):
                        continue  # scoring.allows, inlined: this loop is the hot path
                    fit = scoring.fit(entry)
                    if prune and best.beaten(fit + nearest_possible):
                        pruned = True
                        continue
                    distance = distance_km(latitude, longitude, lat, lon)
                    if distance <= radius:
                        best.offer(round(fit + w_distance * (1 - distance / radius), 9),
                                   Candidate(entry, distance, (lat, lon), True))
            # Groups whose service area covers the place score area_factor for distance, or
            # more if near: near enough to beat that, they were offered above.
            areas, national = self.index.wider(latitude, longitude)
            far = w_distance * self.area_factor
            buckets = [bucket.values() for status, bucket in national.items()
                       if (scoring.statuses >> status) & 1
                       and not (prune and best.beaten(scoring.best_fit[status] + far))]
            for entry in itertools.chain(areas, *buckets):
                if not scoring.allows(entry):
                    continue
                if prune and best.beaten(scoring.fit(entry) + far):
                    pruned = True
                    continue
                candidate = self.index.reaching(entry, latitude, longitude, radius)
                if candidate is not None:
                    best.offer(round(scoring.score(candidate), 9), candidate)
        return best, pruned

    # -- explaining ------------------------------------------------------------------------

    def _explain(self, c: Candidate, wanted: Wanted, weights: dict[str, float]) -> tuple[Factor, ...]:
        e = c.entry
        factors = [self._distance(c, wanted, weights["distance"])]
        if wanted.lived_experience:
            factors.append(
                self._terms(
                    FOCUS,
                    "lived_experience",
                    wanted.lived_experience,
                    e.focus,
                    e.focus_declared,
                    weights["lived_experience"],
                    "Lived experience",
                )
            )
        if wanted.involvement:
            factors.append(
                self._terms(
                    INVOLVEMENT,
                    "involvement",
                    wanted.involvement,
                    e.involvement,
                    e.involvement,
                    weights["involvement"],
                    "Involvement",
                )
            )
        if wanted.languages:
            factors.append(self._languages(e, wanted.languages, weights["languages"]))
        if wanted.access_needs:
            factors.append(
                self._terms(
                    ACCESS, "access", wanted.access_needs, e.access, e.access, weights["access"], "Access"
                )
            )
        status = STATUSES[e.status]
        factors.append(
            Factor(
                "user_led",
                self.status_factor[e.status],
                round(weights["user_led"], 3),
                f"{STATUS_WORDS[status]}. {e.verdict.reasons[0]}",
            )
        )
        return tuple(factors)

    def _distance(self, c: Candidate, wanted: Wanted, weight: float) -> Factor:
        factor = round(_distance_factor(c, wanted.radius_km, self.area_factor), 3)
        local = 1 - c.distance_km / wanted.radius_km if c.local else -1.0
        if c.reach is None or local >= self.area_factor:
            reason = f"{c.distance_km:.1f} km away, within the {wanted.radius_km:g} km asked for."
        else:
            how = "it works nationally" if c.reach.national else \
                f"its service area ({c.reach.name}) covers the place"
            where = "within" if c.local else "beyond"
            reason = f"Based {c.distance_km:.1f} km away, {where} the {wanted.radius_km:g} km asked for; " \
                f"{how}."
        return Factor("distance", factor, round(weight, 3), reason)

    def _terms(
        self,
        vocabulary: str,
        factor: str,
        asked: tuple[str, ...],
        mask: int,
        declared: int,
        weight: float,
        title: str,
    ) -> Factor:
        v = self.vocabulary
        met, unmet, credit = [], [], 0.0
        for term_id in asked:
            bit = v.bit[vocabulary][term_id]
            if not mask & bit:
                unmet.append(v.label(vocabulary, term_id))
            elif declared & bit:
                met.append(v.label(vocabulary, term_id))
                credit += 1
            else:  # reached through a broader term the group declares
                broader = [
                    v.label(vocabulary, t)
                    for t in v.term_ids(vocabulary, declared)
                    if v.reach[vocabulary][t] & bit
                ]
                met.append(f"{v.label(vocabulary, term_id)} (as part of its work with {', '.join(broader)})")
                credit += self.broader_factor
        parts = []
        if met:
            parts.append(f"offers {'; '.join(met)}")
        if unmet:
            parts.append(f"does not list {'; '.join(unmet)}")
        return Factor(
            factor, round(credit / len(asked), 3), round(weight, 3), f"{title}: {', '.join(parts)}."
        )

    def _languages(self, e: Entry, asked: tuple[str, ...], weight: float) -> Factor:
        v = self.vocabulary
        met = [v.language_label(c) for c in asked if c in e.languages]
        unmet = [v.language_label(c) for c in asked if c not in e.languages]
        parts = []
        if met:
            parts.append(f"works in {', '.join(met)}")
        if unmet:
            parts.append(f"does not list {', '.join(unmet)}")
        note = "" if e.languages_stated else " (it states no language, so English is assumed)"
        return Factor(
            "languages",
            round(len(met) / len(asked), 3),
            round(weight, 3),
            f"Languages: {', '.join(parts)}{note}.",
        )


def _distance_factor(c: Candidate, radius_km: float, area_factor: float) -> float:
    """Near is better; a group whose service area covers the place is reachable, however
    far away it is based."""
    local = 1 - c.distance_km / radius_km if c.local else 0.0
    return max(local, area_factor) if c.reach is not None else local


def _rank(item: tuple) -> tuple:
    score, negative_distance, candidate = item
    return -score, -negative_distance, candidate.entry.organization.id, candidate.entry.key


def _one_per_organization(ranked: list[tuple], limit: int) -> list[tuple]:
    seen: set[str] = set()
    chosen = []
    for item in ranked:
        org_id = item[2].entry.organization.id
        if org_id in seen:
            continue
        seen.add(org_id)
        chosen.append(item)
        if len(chosen) == limit:
            break
    return chosen


def _own_mask(vocabulary: Vocabulary, name: str, ids: tuple[str, ...]) -> int:
    mask = 0
    for term_id in ids:
        mask |= vocabulary.bit[name][term_id]
    return mask
