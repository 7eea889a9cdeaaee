"""Reading what arrives on a kombu connection in a test."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def drain_until(connection: Any, done: Callable[[], bool], seconds: float, step: float = 0.5) -> None:
    """Let `connection` deliver to its consumers until `done()` holds or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        try:
            connection.drain_events(timeout=step)
        except TimeoutError:
            pass
