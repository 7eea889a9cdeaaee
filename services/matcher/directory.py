"""The directory of groups, read from Open Referral (HSDS 3.0) JSON.

An HSDS feed lists organizations and, separately, locations that point at them by
organization_id; a group is an organization with its first located location.
"""

from __future__ import annotations

import json
from pathlib import Path

from services.matcher.schema import Group, Location

DEMO_DIRECTORY = Path(__file__).with_name("data") / "demo_directory.json"


def load_groups(path: Path = DEMO_DIRECTORY) -> list[Group]:
    feed = json.loads(path.read_text(encoding="utf-8"))
    located: dict[str, Location] = {}
    for location in feed.get("locations", []):
        owner = location.get("organization_id")
        if owner and owner not in located and location.get("latitude") is not None:
            located[owner] = Location(latitude=location["latitude"], longitude=location["longitude"])
    return [
        Group(
            id=org["id"],
            name=org["name"],
            description=org.get("description", ""),
            website=org.get("website"),
            location=located[org["id"]],
        )
        for org in feed.get("organizations", [])
        if org["id"] in located
    ]
