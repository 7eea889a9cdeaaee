"""How a replica's in-memory index follows the directory in the database.

The database is the truth; each replica's index is a view of it, kept in step by reading
the change log (store.py): the replica remembers the position of the last change it
applied, and catching up means reloading, from the database, the organisations named by
every change after that position, in order. A `directory_changed` event on the bus only
prompts a replica to catch up sooner; a periodic check (LADDER_DIRECTORY_SYNC_SECONDS)
catches up whatever no event announced: an event lost while the broker was down, a change
committed by a replica that died before publishing, a replica cut off from the bus.

So duplicate, late or out-of-order events are harmless (they name a position already
applied, or prompt a read that finds nothing new), and a lost one costs at most one
sync interval. A replica whose position is older than the oldest row kept (rows are
pruned after CHANGE_RETENTION_SECONDS), or ahead of the log's head (the database was
restored from a backup), rebuilds its index from scratch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from services.matcher.index import DirectoryIndex
from services.matcher.store import DirectoryStore

CATCH_UP_BATCH = 200  # change-log rows read, and their organisations reloaded, at a time
# Log rows older than this are pruned. A replica that has not caught up for this long
# (its database unreachable all that time) rebuilds instead, which is always correct.
CHANGE_RETENTION_SECONDS = 24 * 3600
PRUNE_EVERY_SECONDS = 3600

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaughtUp:
    position: int
    changes: int  # change-log rows applied (0 after a rebuild)
    organizations: int  # organisations reloaded
    rebuilt: bool = False


class DirectoryFollower:
    """Keeps one replica's index in step with the database by following the change log.

    Catching up runs under a lock: the bus handler, the periodic check and the write that
    this replica just made may all ask at once, and two catch-ups interleaving could apply
    an older read of an organisation after a newer one."""

    def __init__(self, store: DirectoryStore, index: DirectoryIndex,
                 clock: Callable[[], float] = time.time, batch: int = CATCH_UP_BATCH) -> None:
        self.store = store
        self.index = index
        self.clock = clock
        self.batch = batch
        self.position = 0
        self._lock = threading.Lock()
        self._pruned_at = 0.0

    def rebuild(self) -> CaughtUp:
        """Index everything stored, from scratch (at start, and when the log has a gap)."""
        with self._lock:
            return self._rebuild()

    def _rebuild(self) -> CaughtUp:
        # The head first: every change up to it is in what is read next; any after it is
        # applied again by the next catch-up, which is harmless (a reload).
        head = self.store.change_head()
        self.index.set_terms(self.store.terms())
        bundles = self.store.all_bundles()
        self.index.replace(self.index.organization_ids(), bundles)
        self.position = head
        log.info("directory indexed", extra={"entries": len(self.index.entries), "position": head})
        return CaughtUp(head, 0, len(bundles), rebuilt=True)

    def catch_up(self, announced: int | None = None) -> CaughtUp:
        """Apply every change after this replica's position. `announced`: the position an
        event names; one this replica has already applied needs no read at all."""
        if announced is not None and announced <= self.position:
            return CaughtUp(self.position, 0, 0)
        with self._lock:
            applied, reloaded = 0, 0
            while True:
                head, changes = self.store.changes_after(self.position, self.batch)
                if head < self.position or (changes and changes[0].position != self.position + 1) or (
                    not changes and head > self.position
                ):
                    log.warning("directory change log has moved past this replica; rebuilding",
                                extra={"position": self.position, "head": head})
                    return self._rebuild()
                if not changes:
                    break
                ids = sorted({i for change in changes for i in change.organization_ids})
                self.index.set_terms(self.store.terms())  # first: the organisations may use new ones
                self.index.replace(ids, self.store.bundles(ids))
                self.position = changes[-1].position
                applied += len(changes)
                reloaded += len(ids)
                log.info("directory changes applied", extra={
                    "position": self.position, "changes": len(changes),
                    "organizations": len(ids), "organization_ids": ids[:20],
                })
                if len(changes) < self.batch:
                    break
            return CaughtUp(self.position, applied, reloaded)

    def prune(self, force: bool = False) -> int:
        """Delete change-log rows older than the retention, at most once per
        PRUNE_EVERY_SECONDS per replica (any replica may do it; doing it twice is harmless)."""
        now = self.clock()
        if not force and now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return 0
        self._pruned_at = now
        pruned = self.store.prune_changes(now - CHANGE_RETENTION_SECONDS)
        if pruned:
            log.info("directory change log pruned", extra={"rows": pruned})
        return pruned
