"""The three participation frameworks and the crosswalk between them, from data.

The data file (data/frameworks.yaml) holds every definition and the crosswalk, which is
a documented judgement. This module only checks the file is well formed and answers
"where does this rung sit on each framework?".
"""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from services.classifier.datafile import Frozen as _Frozen
from services.classifier.datafile import Source, load_model
from services.classifier.questionnaire import ScieValue
from services.common.rungs import RUNGS_BOTTOM_UP, Rung

DEFAULT_PATH = Path(__file__).with_name("data") / "frameworks.yaml"
LADDER_ID = "co-production-ladder"
OTHER_IDS = ("arnstein", "iap2")


class FrameworkRung(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    group: str
    definition: str = Field(min_length=20)


class Framework(_Frozen):
    id: str
    name: str
    sources: tuple[str, ...] = Field(min_length=1)
    rungs: tuple[FrameworkRung, ...] = Field(min_length=2)

    @cached_property
    def _by_id(self) -> dict[str, FrameworkRung]:
        return {rung.id: rung for rung in self.rungs}

    def rung(self, rung_id: str) -> FrameworkRung | None:
        return self._by_id.get(rung_id)

    def position(self, rung_id: str) -> int:
        return self.rungs.index(self._by_id[rung_id])


class _Targets(_Frozen):
    """Where something sits on the other two frameworks, and why."""

    arnstein: tuple[str, ...] = Field(min_length=1)
    iap2: tuple[str, ...] = Field(min_length=1)
    why: str

    def targets(self, framework_id: str) -> tuple[str, ...]:
        return self.arnstein if framework_id == "arnstein" else self.iap2


class CrosswalkEntry(_Targets):
    ladder: Rung


class UserLed(_Targets):
    when_facts: tuple[str, ...] = Field(min_length=1)


class Crosswalk(_Frozen):
    judgement: bool
    note: str
    rungs: tuple[CrosswalkEntry, ...]
    user_led: UserLed


class Value(_Frozen):
    id: ScieValue
    name: str
    meaning: str
    step: str
    sources: tuple[str, ...] = Field(min_length=1)


class Frameworks(_Frozen):
    version: int
    sources: tuple[Source, ...]
    frameworks: tuple[Framework, ...]
    crosswalk: Crosswalk
    values: tuple[Value, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Frameworks:
        source_ids = {source.id for source in self.sources}
        by_id = {framework.id: framework for framework in self.frameworks}
        if set(by_id) != {LADDER_ID, *OTHER_IDS} or len(by_id) != len(self.frameworks):
            raise ValueError(f"frameworks must be exactly {LADDER_ID}, {', '.join(OTHER_IDS)}")
        for framework in self.frameworks:
            if set(framework.sources) - source_ids:
                raise ValueError(f"framework {framework.id}: unknown sources")
            if len({rung.id for rung in framework.rungs}) != len(framework.rungs):
                raise ValueError(f"framework {framework.id}: rung ids repeat")
        ladder_ids = tuple(rung.id for rung in by_id[LADDER_ID].rungs)
        if ladder_ids != tuple(rung.value for rung in RUNGS_BOTTOM_UP):
            raise ValueError(f"{LADDER_ID} must list the seven rungs bottom to top, as services.common.rungs")
        if [value.id for value in self.values] != list(ScieValue):
            raise ValueError("values must be SCIE's four, in order: " + ", ".join(ScieValue))
        for value in self.values:
            if set(value.sources) - source_ids:
                raise ValueError(f"value {value.id}: unknown sources")
        mapped = [entry.ladder for entry in self.crosswalk.rungs]
        if mapped != list(RUNGS_BOTTOM_UP):
            raise ValueError("the crosswalk must map every rung of the ladder once, bottom to top")
        for framework_id in OTHER_IDS:
            framework = by_id[framework_id]
            targets = [entry.targets(framework_id) for entry in self.crosswalk.rungs]
            targets.append(self.crosswalk.user_led.targets(framework_id))
            for target in targets:
                unknown = [t for t in target if framework.rung(t) is None]
                if unknown:
                    raise ValueError(f"crosswalk: {framework_id} has no rung {unknown}")
            # A higher rung of the ladder never maps lower on another framework.
            lowest = [min(framework.position(t) for t in target) for target in targets[:-1]]
            if lowest != sorted(lowest):
                raise ValueError(f"crosswalk to {framework_id} steps down as the ladder steps up")
        return self

    def framework(self, framework_id: str) -> Framework:
        return next(f for f in self.frameworks if f.id == framework_id)

    @cached_property
    def reference(self) -> dict[str, Any]:
        """Everything a classification points to by id, as JSON (schema.Frameworks): the
        frameworks with their definitions, the crosswalk and SCIE's values."""
        return {
            "version": self.version,
            "frameworks": [
                {
                    "id": framework.id,
                    "name": framework.name,
                    "rungs": [_rung_json(rung, definition=True) for rung in framework.rungs],
                    "source_ids": list(framework.sources),
                }
                for framework in self.frameworks
            ],
            "crosswalk": [
                {"rung": entry.ladder.value, "arnstein": list(entry.arnstein),
                 "iap2": list(entry.iap2), "why": entry.why.strip()}
                for entry in self.crosswalk.rungs
            ],
            "crosswalk_note": self.crosswalk.note.strip(),
            "values": [
                {"value": value.id.value, "name": value.name, "meaning": value.meaning.strip(),
                 "step": value.step.strip(), "source_ids": list(value.sources)}
                for value in self.values
            ],
            "sources": [source.model_dump() for source in self.sources],
        }

    def placement(self, rung: Rung, user_led: bool = False) -> list[dict[str, Any]]:
        """Where `rung` sits on every framework, as JSON (schema.FrameworkPlacement)."""
        return self._placements[(rung, user_led)]

    @cached_property
    def _placements(self) -> dict[tuple[Rung, bool], list[dict[str, Any]]]:
        # Few enough to build once: 7 rungs x user-led or not.
        return {
            (rung, user_led): self._build_placement(rung, user_led)
            for rung in RUNGS_BOTTOM_UP for user_led in (False, True)
        }

    def _build_placement(self, rung: Rung, user_led: bool) -> list[dict[str, Any]]:
        ladder = self.framework(LADDER_ID)
        entry = self.crosswalk.rungs[rung.position]
        use_user_led = user_led and rung is Rung.CO_PRODUCTION
        placements = [_placement(ladder, (rung.value,), judgement=False, note="")]
        for framework_id in OTHER_IDS:
            if use_user_led:
                targets, why = self.crosswalk.user_led.targets(framework_id), self.crosswalk.user_led.why
            else:
                targets, why = entry.targets(framework_id), entry.why
            placements.append(_placement(
                self.framework(framework_id), targets, judgement=self.crosswalk.judgement,
                note=f"{why.strip()} (Ladder's crosswalk: a documented judgement, not a published mapping.)",
            ))
        return placements


def _placement(framework: Framework, rung_ids: tuple[str, ...], judgement: bool, note: str) -> dict[str, Any]:
    return {
        "framework": framework.id,
        "framework_name": framework.name,
        # Without the definition: the same text every time, served once by `reference`.
        "rungs": [
            _rung_json(r, definition=False)
            for r in (framework.rung(rung_id) for rung_id in rung_ids) if r is not None
        ],
        "crosswalk_judgement": judgement,
        "note": note,
    }


def _rung_json(rung: FrameworkRung, definition: bool) -> dict[str, Any]:
    found = {"id": rung.id, "name": rung.name, "group": rung.group}
    if definition:
        found["definition"] = rung.definition.strip()
    return found


class FrameworksError(ValueError):
    pass


@cache
def load_frameworks(path: Path = DEFAULT_PATH) -> Frameworks:
    return load_model(path, Frameworks, FrameworksError)
