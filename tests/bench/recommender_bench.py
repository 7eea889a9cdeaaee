"""Recommender, in process: the time of one recommendation over the full catalogue with
typical constraints (every method estimated, checked and ranked; the plan; the jigsaw; and,
where nothing fits, the explanation).

    make bench        (or: python -m tests.bench.recommender_bench)

Target (issue 4): median <= 2 ms for the application call (request JSON in, answer JSON
out). The same requests through the gateway's API over the in-process client (validation
and the JSON round trip the embedded mode makes) are printed for comparison.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from gateway.api import LadderApi
from gateway.clients.inprocess import InProcessClient
from services.recommender.app import RecommenderApp

CALLS = 2000  # per scenario, after a warm-up
TARGET_MS = 2.0

SCENARIOS: dict[str, dict[str, Any]] = {
    "typical": {
        "current_rung": "consultation", "budget_gbp": 5000, "weeks": 12, "participants": 20,
        "mode": "in-person", "access_needs": ["bsl", "step-free"],
        "lived_experience": ["learning-disability"], "limit": 5,
    },
    "climb 3 rungs, Welsh": {
        "current_rung": "consultation", "target_rung": "co-production", "budget_gbp": 60000,
        "weeks": 104, "participants": 12, "access_needs": ["easy-read", "captions", "paper"],
        "lived_experience": ["carers", "older-people"], "language": "cy",
    },
    "nothing fits": {
        "current_rung": "consultation", "target_rung": "co-production", "budget_gbp": 4000,
        "weeks": 10, "participants": 30, "mode": "in-person", "access_needs": ["bsl"],
    },
    "no constraints": {"current_rung": "engagement"},
}


def timings_ms(call: Callable[[], Any], calls: int) -> list[float]:
    for _ in range(50):
        call()
    gc.collect()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)


def main() -> int:
    app = RecommenderApp()
    api = LadderApi(InProcessClient())
    methods = len(app.catalogue.methods)
    print(f"\nRecommender in process: {methods} methods, {CALLS} calls per scenario")
    print(f"{'scenario':<24}{'app p50 ms':>12}{'app p99 ms':>12}{'gateway p50 ms':>16}")
    medians = []
    for name, request in SCENARIOS.items():
        app_ms = timings_ms(lambda r=request: app.recommend(r, publish=lambda *_: None), CALLS)
        api_ms = timings_ms(lambda r=request: api.recommend(r), CALLS // 4)
        p50, p99 = statistics.median(app_ms), app_ms[int(len(app_ms) * 0.99) - 1]
        medians.append(p50)
        print(f"{name:<24}{p50:>12.3f}{p99:>12.3f}{statistics.median(api_ms):>16.3f}")
    worst = max(medians)
    ok = worst <= TARGET_MS
    print(f"\n  [{'PASS' if ok else 'FAIL'}] slowest scenario's median: {worst:.3f} ms "
          f"(target <= {TARGET_MS} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
