"""Rank groups for an organisation: which are within reach, how well each fits what was
asked, and why, factor by factor (weights in data/matching.yaml)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

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


class Matcher:
    def __init__(self, index: DirectoryIndex, vocabulary: Vocabulary) -> None:
        self.index = index
        self.vocabulary = vocabulary
        settings = matching_settings()
        self.weights: dict[str, float] = settings["weights"]
        self.status_factor = [settings["user_led_factor"][s.value] for s in STATUSES]
        self.area_factor: float = settings["service_area_reach_factor"]
        self.broader_factor: float = settings["broader_focus_factor"]

    def match(self, wanted: Wanted) -> list[Found]:
        vocabulary = self.vocabulary
        focus = _own_mask(vocabulary, FOCUS, wanted.lived_experience)
        involvement = _own_mask(vocabulary, INVOLVEMENT, wanted.involvement)
        access = _own_mask(vocabulary, ACCESS, wanted.access_needs)
        languages = frozenset(wanted.languages)
        statuses = 0b111 if wanted.include_allies else 0b011
        candidates = self.index.candidates(
            wanted.latitude, wanted.longitude, wanted.radius_km, statuses, focus
        )

        weights = self._weights(wanted)
        total = sum(weights.values())
        w = {name: weight / total for name, weight in weights.items()}
        counts = {
            name: max(1, len(getattr(wanted, field)))
            for name, field in (
                ("lived_experience", "lived_experience"),
                ("involvement", "involvement"),
                ("languages", "languages"),
                ("access", "access_needs"),
            )
        }
        status_factor, area_factor, radius = self.status_factor, self.area_factor, wanted.radius_km
        broader = self.broader_factor

        def score(c: Candidate) -> float:
            e = c.entry
            value = w["distance"] * ((1 - c.distance_km / radius) if c.local else area_factor)
            value += w["user_led"] * status_factor[e.status]
            if focus:
                exact = (e.focus_declared & focus).bit_count()
                covered = (e.focus & focus).bit_count() - exact
                value += w["lived_experience"] * (exact + broader * covered) / counts["lived_experience"]
            if involvement:
                value += w["involvement"] * (e.involvement & involvement).bit_count() / counts["involvement"]
            if access:
                value += w["access"] * (e.access & access).bit_count() / counts["access"]
            if languages:
                value += w["languages"] * len(e.languages & languages) / counts["languages"]
            return value

        scored = [(round(score(c), 9), -c.distance_km, c) for c in candidates]
        # Best first, then nearest, then by id so answers are stable; one answer per
        # organisation (its best-fitting service). Only the few best are fully ordered.
        best = heapq.nlargest(wanted.limit * 4 + 8, scored, key=_score_then_nearness)
        chosen = _one_per_organization(sorted(best, key=_rank), wanted.limit)
        if len(chosen) < wanted.limit and len(best) < len(scored):
            chosen = _one_per_organization(sorted(scored, key=_rank), wanted.limit)
        return [Found(c.entry, c, value, self._explain(c, wanted, w)) for value, _, c in chosen]

    def _weights(self, wanted: Wanted) -> dict[str, float]:
        asked = {
            "distance": True,
            "user_led": True,
            "lived_experience": bool(wanted.lived_experience),
            "involvement": bool(wanted.involvement),
            "languages": bool(wanted.languages),
            "access": bool(wanted.access_needs),
        }
        return {name: weight for name, weight in self.weights.items() if asked[name]}

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
        if c.local:
            return Factor(
                "distance",
                round(1 - c.distance_km / wanted.radius_km, 3),
                round(weight, 3),
                f"{c.distance_km:.1f} km away, within the {wanted.radius_km:g} km asked for.",
            )
        reach = c.reach
        how = (
            "it works nationally"
            if reach and reach.national
            else f"its service area ({reach.name if reach else 'its area'}) covers the place"
        )
        return Factor(
            "distance",
            self.area_factor,
            round(weight, 3),
            f"Based {c.distance_km:.1f} km away, beyond the {wanted.radius_km:g} km asked for, but {how}.",
        )

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


def _score_then_nearness(item: tuple) -> tuple[float, float]:
    return item[0], item[1]


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
