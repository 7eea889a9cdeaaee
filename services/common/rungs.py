"""The seven rungs of the ladder of co-production, bottom to top.

Think Local Act Personal with the National Co-production Advisory Group, after Arnstein.
The names are the wire names used by every API ("co-design", lowercase with hyphens);
their definitions and sources live in the classifier's framework data.
"""

from __future__ import annotations

from enum import StrEnum


class Rung(StrEnum):
    COERCION = "coercion"
    EDUCATING = "educating"
    INFORMING = "informing"
    CONSULTATION = "consultation"
    ENGAGEMENT = "engagement"
    CO_DESIGN = "co-design"
    CO_PRODUCTION = "co-production"

    # 0 for coercion up to 6 for co-production: a plain attribute set on each member
    # below, because scoring reads it dozens of times per request (a property and a dict
    # lookup by an enum's Python-level hash cost several times more).
    position: int

    def next_up(self) -> Rung | None:
        """The rung above this one, or None at the top."""
        position = self.position
        return _ORDER[position + 1] if position + 1 < len(_ORDER) else None

    def __lt__(self, other: object) -> bool:  # order by the ladder, not the alphabet
        if not isinstance(other, Rung):
            return NotImplemented
        return self.position < other.position

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Rung):
            return NotImplemented
        return self.position <= other.position

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Rung):
            return NotImplemented
        return self.position > other.position

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Rung):
            return NotImplemented
        return self.position >= other.position


_ORDER: list[Rung] = list(Rung)
for _index, _rung in enumerate(_ORDER):
    _rung.position = _index

RUNGS_BOTTOM_UP: tuple[Rung, ...] = tuple(_ORDER)
