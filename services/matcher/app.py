"""The matcher's application layer: JSON in, JSON out, no transport."""

from __future__ import annotations

import logging
import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.common.errors import NotFound
from services.common.events import DIRECTORY_CHANGED, Publish
from services.common.validation import parse
from services.matcher.directory import load_groups
from services.matcher.match import match
from services.matcher.schema import Group, MatchRequest, MatchResponse

log = logging.getLogger(__name__)


class GroupRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=200)


class MatcherApp:
    """Holds this replica's in-memory index of the directory. Changes made through any
    replica are published as `directory_changed`; every replica (this one included)
    applies them from that event, so all indexes converge without a restart."""

    def __init__(self, groups: list[Group] | None = None) -> None:
        self._groups = {g.id: g for g in (groups if groups is not None else load_groups())}
        self._lock = threading.Lock()

    def match(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(MatchRequest, request)
        groups = list(self._groups.values())  # a snapshot: changes may land meanwhile
        return MatchResponse(matches=match(groups, parsed)).model_dump(mode="json")

    def put_group(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        group = parse(Group, request).model_dump(mode="json")
        publish(DIRECTORY_CHANGED, {"change": "put", "group": group})
        return group

    def delete_group(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        ref = parse(GroupRef, request)
        if ref.id not in self._groups:
            raise NotFound(f"no group with id {ref.id!r}")
        publish(DIRECTORY_CHANGED, {"change": "delete", "id": ref.id})
        return {"id": ref.id}

    def apply_change(self, event: dict[str, Any]) -> None:
        """Update this replica's index from a directory_changed event."""
        with self._lock:
            groups = dict(self._groups)
            if event.get("change") == "put":
                group = Group.model_validate(event["group"])
                groups[group.id] = group
                changed = group.id
            elif event.get("change") == "delete":
                changed = event["id"]
                groups.pop(changed, None)
            else:
                log.warning("unknown directory change ignored", extra={"change": event.get("change")})
                return
            self._groups = groups  # swapped whole, so readers never see it half-changed
        log.info("directory change applied", extra={"change": event["change"], "group_id": changed})
