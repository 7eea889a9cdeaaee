"""The matcher's application layer: JSON in, JSON out, no transport."""

from __future__ import annotations

import logging
from typing import Any

from services.common.errors import InvalidArgument, NotFound
from services.common.events import DIRECTORY_CHANGED, Publish
from services.common.settings import load_settings
from services.common.validation import parse
from services.matcher.directory import Directory
from services.matcher.follow import DirectoryFollower
from services.matcher.index import DirectoryIndex
from services.matcher.match import FICTIONAL_REASON, Found, Matcher, Wanted
from services.matcher.schema import (
    ExportRequest,
    ImportRequest,
    MatchRequest,
    OrganizationRef,
    PutOrganizationRequest,
)
from services.matcher.user_led import assess
from services.matcher.vocabulary import ACCESS, FOCUS, INVOLVEMENT

log = logging.getLogger(__name__)

FICTIONAL_NOTICE = (
    "Some of these groups are fictional demo data (marked fictional): invented so "
    "you can try Ladder, not real groups."
)
EMPTY_NOTICE = "The directory is empty: import a feed (POST /v1/directory/import) to match real groups."


class MatcherApp:
    """Holds this replica's in-memory index of the directory. A change made through any
    replica is stored with a row in the directory's change log, in one transaction; this
    replica applies it at once, then publishes `directory_changed` (the log's position) to
    prompt the others. Every replica follows the log (follow.py), on that prompt and on a
    periodic check, so all indexes converge without a restart, even when a prompt is lost."""

    def __init__(self, directory: Directory | None = None) -> None:
        self.directory = directory or Directory.from_settings(load_settings())
        self.vocabulary = self.directory.vocabulary
        self.index = DirectoryIndex(self.vocabulary)
        self.matcher = Matcher(self.index, self.vocabulary)
        self.follower = DirectoryFollower(self.directory.store, self.index)
        self.follower.rebuild()

    # -- matching --------------------------------------------------------------------------

    def match(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(MatchRequest, request)
        if parsed.location is not None and parsed.postcode is None:
            origin = {
                "location": parsed.location.model_dump(),
                "postcode": None,
                "resolved_from": "latitude and longitude given",
            }
        elif parsed.postcode is not None and parsed.location is None:
            place = self.directory.postcodes.place(parsed.postcode, "postcode")
            origin = {
                "location": {"latitude": place.latitude, "longitude": place.longitude},
                "postcode": place.postcode,
                "resolved_from": place.resolved_from,
            }
        else:
            raise InvalidArgument.one(
                "location",
                "give the organisation's place as location (latitude and longitude) or as postcode, not both",
            )
        wanted = Wanted(
            latitude=origin["location"]["latitude"],
            longitude=origin["location"]["longitude"],
            radius_km=parsed.radius_km,
            lived_experience=tuple(parsed.lived_experience),
            involvement=tuple(parsed.involvement),
            languages=tuple(parsed.languages),
            access_needs=tuple(parsed.access_needs),
            include_allies=parsed.include_allies,
            limit=parsed.limit,
        )
        found = self.matcher.match(wanted)
        notices = []
        if any(f.entry.organization.fictional for f in found):
            notices.append(FICTIONAL_NOTICE)
        if not self.index.entries:
            notices.append(EMPTY_NOTICE)
        return {"matches": [self._answer(f) for f in found], "origin": origin, "notices": notices}

    def _answer(self, found: Found) -> dict[str, Any]:
        entry, organization, v = found.entry, found.entry.organization, self.vocabulary
        reasons = [f.reason for f in found.factors] + entry.verdict.reasons[1:]
        if organization.fictional:
            reasons.insert(0, FICTIONAL_REASON)
        service = entry.service
        return {
            "group": {
                "id": organization.id,
                "name": organization.name,
                "description": organization.description,
                "location": {"latitude": found.candidate.nearest[0], "longitude": found.candidate.nearest[1]},
                "website": organization.website,
                "email": organization.email,
                "user_led": {"status": entry.verdict.status.value, "reasons": entry.verdict.reasons},
                "lived_experience": v.term_ids(FOCUS, entry.focus_declared),
                "involvement": v.term_ids(INVOLVEMENT, entry.involvement),
                "languages": sorted(entry.languages),
                "access": v.term_ids(ACCESS, entry.access),
                "fictional": organization.fictional,
            },
            "service": None
            if service is None
            else {"id": service.id, "name": service.name, "description": service.description},
            "distance_km": round(found.candidate.distance_km, 2),
            "score": round(found.score, 3),
            "factors": [
                {"factor": f.factor, "score": f.score, "weight": f.weight, "reason": f.reason}
                for f in found.factors
            ],
            "reasons": reasons,
        }

    # -- the directory ---------------------------------------------------------------------

    def put_organization(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(PutOrganizationRequest, request)
        result, bundle, warnings = self.directory.put_organization(parsed.id, parsed.organization)
        if result != "unchanged":
            self._changed(publish, "put")
        verdict = assess(bundle.organization.governance)
        return {
            "result": result,
            "organization": self.directory.exporter.nested(bundle),
            "user_led": {"status": verdict.status.value, "reasons": verdict.reasons},
            "warnings": [w.as_json() for w in warnings],
        }

    def delete_organization(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        ref = parse(OrganizationRef, request)
        if not self.directory.delete_organization(ref.id):
            raise NotFound(f"no organization with id {ref.id!r}")
        self._changed(publish, "delete")
        return {"id": ref.id}

    def import_directory(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(ImportRequest, request)
        if parsed.format == "csv":
            if parsed.content is None:
                raise InvalidArgument.one("content", "a csv import needs content (the CSV text)")
            imported = self.directory.import_csv(parsed.content)
        else:
            if parsed.feed is None:
                raise InvalidArgument.one("feed", "an hsds import needs feed (the Open Referral JSON)")
            imported = self.directory.import_hsds(parsed.feed)
        if imported.written.total("created") or imported.written.total("updated"):
            self._changed(publish, "import")
        return imported.report(parsed.format)

    def export_directory(self, request: dict[str, Any], publish: Publish) -> dict[str, Any]:
        parsed = parse(ExportRequest, request)
        if parsed.format == "csv":
            return {"format": "csv", "csv": self.directory.export_csv(), "hsds": None}
        return {"format": "hsds", "hsds": self.directory.export_hsds(), "csv": None}

    # -- following the directory -------------------------------------------------------

    def _changed(self, publish: Publish, change: str) -> None:
        """After a write: apply it here (so the caller's next match on this replica sees
        it), then prompt every replica to catch up. The change is stored and logged
        already, so a prompt that cannot be published (the broker gone) loses nothing:
        the other replicas find the change at their next periodic check."""
        position = self.follower.catch_up().position
        try:
            publish(DIRECTORY_CHANGED, {"change": change, "position": position})
        except Exception as error:  # noqa: BLE001 - any transport's failure; the log makes it harmless
            log.warning(
                "directory_changed not published; replicas catch up at their next check",
                extra={"change": change, "position": position, "error": repr(error)},
            )

    def directory_changed(self, event: dict[str, Any]) -> None:
        """A prompt from the bus: some replica changed the directory up to `position`."""
        position = event.get("position")
        self.follower.catch_up(announced=position if isinstance(position, int) else None)

    def sync(self) -> None:
        """The periodic check: catch up whatever no prompt announced; prune the log."""
        self.follower.catch_up()
        self.follower.prune()

    def directory_status(self) -> dict[str, Any]:
        """What this replica's index holds, for comparing replicas (the health server's
        /directory): the log position applied and a digest of the index's entries."""
        return {
            "position": self.follower.position,
            "entries": len(self.index.entries),
            "organizations": len(self.index.organization_ids()),
            "digest": self.index.digest(),
        }
