"""What climbing each rung takes: the step itself, and what the organisation must change.

Reviewed data in data/climbing.yaml, validated on load like the method catalogue. The
organisation's actions are sorted into SCIE's co-production jigsaw: culture, structure,
practice and review.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from services.common.rungs import Rung
from services.recommender.catalogue import (
    CatalogueError,
    FrozenModel,
    Source,
    Text,
    describe_errors,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "climbing.yaml"


class JigsawPiece(StrEnum):
    CULTURE = "culture"
    STRUCTURE = "structure"
    PRACTICE = "practice"
    REVIEW = "review"


PIECE_ORDER = {piece: index for index, piece in enumerate(JigsawPiece)}

# Coercion is where a climb starts, never a rung to climb to.
CLIMBABLE = tuple(rung for rung in Rung if rung != Rung.COERCION)


class RungStep(FrozenModel):
    step: Text
    sources: tuple[Source, ...] = Field(min_length=1)


class OrganisationAction(FrozenModel):
    rung: Rung
    piece: JigsawPiece
    action: Text
    sources: tuple[Source, ...] = Field(min_length=1)

    @field_validator("rung")
    @classmethod
    def _climbable(cls, value: Rung) -> Rung:
        if value not in CLIMBABLE:
            raise ValueError(f"{value.value!r} is not a rung to climb to")
        return value


class Climbing(FrozenModel):
    version: Literal[1]
    sources: dict[str, Source] = Field(default_factory=dict)  # anchors for the entries
    rungs: dict[Rung, RungStep]
    organisation_actions: tuple[OrganisationAction, ...]

    @field_validator("rungs")
    @classmethod
    def _every_rung_described(cls, value: dict[Rung, RungStep]) -> dict[Rung, RungStep]:
        missing = [rung.value for rung in CLIMBABLE if rung not in value]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if Rung.COERCION in value:
            raise ValueError("'coercion' is not a rung to climb to")
        return value

    @model_validator(mode="after")
    def _every_piece_for_every_rung(self) -> Climbing:
        present = {(a.rung, a.piece) for a in self.organisation_actions}
        missing = [
            f"{rung.value}/{piece.value}"
            for rung in CLIMBABLE
            for piece in JigsawPiece
            if (rung, piece) not in present
        ]
        if missing:
            raise ValueError(f"organisation_actions: no action for {', '.join(missing)}")
        return self

    def actions_for(self, rungs: tuple[Rung, ...]) -> list[OrganisationAction]:
        """The actions of each rung climbed, rung by rung, each rung's in jigsaw order."""
        wanted = set(rungs)
        chosen = [a for a in self.organisation_actions if a.rung in wanted]
        return sorted(chosen, key=lambda a: (a.rung.position, PIECE_ORDER[a.piece]))


def load_climbing(path: Path | None = None) -> Climbing:
    path = DEFAULT_PATH if path is None else Path(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return Climbing.model_validate(data)
    except ValidationError as exc:
        problems = describe_errors(exc, "")
        raise CatalogueError(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems)) from None
