"""Per-credential rate limits: a token bucket for each key or token subject.

Each bucket holds up to a minute's allowance and refills continuously, so a client may
burst up to its per-minute rate and then keeps to it. Buckets live in this gateway
process: with N gateway replicas behind a Service a client can reach N times the rate
at most. That bound is stated in the operator guide; a shared store (Redis) would make it
exact at the cost of a round trip on every request.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from services.common.errors import LadderError


class RateLimited(LadderError):
    """Too many requests from one credential; retry after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
        self.args = (message, retry_after_seconds)


class RateLimiter:
    def __init__(self, default_per_minute: int, clock: Callable[[], float] = time.monotonic,
                 max_buckets: int = 100_000) -> None:
        self.default_per_minute = default_per_minute
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: dict[str, tuple[float, float]] = {}  # subject -> (tokens, last refill)
        self._lock = threading.Lock()

    def check(self, subject: str, per_minute: int | None = None) -> None:
        """Take one token for `subject`, or raise RateLimited with a retry hint."""
        rate = per_minute or self.default_per_minute
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(subject, (float(rate), now))
            tokens = min(float(rate), tokens + (now - last) * rate / 60.0)
            if tokens < 1.0:
                self._buckets[subject] = (tokens, now)
                wait = (1.0 - tokens) * 60.0 / rate
                raise RateLimited(
                    f"rate limit of {rate} requests a minute reached; retry in {math.ceil(wait)} s",
                    retry_after_seconds=max(1, math.ceil(wait)),
                )
            if len(self._buckets) >= self._max_buckets and subject not in self._buckets:
                self._forget_full_buckets(now)
            self._buckets[subject] = (tokens - 1.0, now)

    def _forget_full_buckets(self, now: float) -> None:
        # A bucket idle for a minute is full again: forgetting it changes nothing.
        self._buckets = {s: (t, last) for s, (t, last) in self._buckets.items() if now - last < 60}
