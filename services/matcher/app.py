"""The matcher's application layer: JSON in, JSON out, no transport."""

from __future__ import annotations

from typing import Any

from services.common.events import Publish
from services.common.validation import parse
from services.matcher.directory import load_groups
from services.matcher.match import match
from services.matcher.schema import Group, MatchRequest, MatchResponse


class MatcherApp:
    def __init__(self, groups: list[Group] | None = None) -> None:
        self.groups = groups if groups is not None else load_groups()

    def match(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(MatchRequest, request)
        return MatchResponse(matches=match(self.groups, parsed)).model_dump(mode="json")
