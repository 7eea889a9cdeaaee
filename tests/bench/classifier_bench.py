"""The classifier in process: time to classify a description and a structured assessment,
and the memory of a classifier service process.

    make bench        (or: python -m tests.bench.classifier_bench)

Targets (issue 3): a ~300-word description classified in at most 5 ms at the median; a
structured assessment in at most 0.5 ms; the classifier service's resident memory at most
300 MB. Times are for `ClassifierApp.classify` in this process (validation, the English
check, reading, scoring and the JSON answer; no transport). Memory is measured in a fresh
Python process that imports the nameko service module (nameko, eventlet, kombu: what
`python -m services.runner classifier` loads) and builds and warms the app, without a
broker. Figures are printed, never asserted.

It also times the gateway bench's 4-answer request hot and with the CPU caches flushed
between calls: in a service sharing two cores with a broker, a gateway and clients, each
call starts cold, and that, not the hot figure, is what the gateway bench pays.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from services.classifier.app import ClassifierApp
from tests.bench.gateway_bench import CLASSIFY_ANSWERS
from tests.eval.run import load_items

RUNS = 300
TARGET_WORDS = 300
ANSWERS = {
    "first_involved": "before-decisions", "who_decides": "within-limits", "stages": ["planning"],
    "continuity": "ongoing", "feedback": "told-what-changed", "leadership": "staff-lead",
    "role": ["give-views"], "compulsory": "voluntary", "payment": "expenses-only",
    "expenses": "covered", "accessibility": ["choice-of-ways"], "diversity": "open-invitation",
}

_RSS_PROGRAM = """
import warnings
warnings.filterwarnings("ignore")
import services.classifier.service  # nameko, eventlet, kombu, as the service process
from services.classifier.app import ClassifierApp
app = ClassifierApp()
app.classify({"description": %r}, publish=lambda *_: None)
app.classify({"answers": %r}, publish=lambda *_: None)
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        print(int(line.split()[1]) / 1024)
"""


def description_of_about(words: int) -> str:
    """A development-set description near `words` long (padded with another if short)."""
    items = sorted(load_items(), key=lambda item: abs(len(item["text"].split()) - words))
    text = items[0]["text"]
    for item in items[1:]:
        if len(text.split()) >= words * 0.95:
            break
        text += " " + item["text"]
    return " ".join(text.split()[:words])


def median_ms(call: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    for _ in range(20):
        call()  # warm caches
    gc.collect()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


# Between two calls, write to this much other memory first, so each call starts with its
# code and data gone from the CPU caches, as a service does on a host shared with a broker,
# a gateway and clients (tests.bench.gateway_bench).
FLUSH_MB = 16


def cold_median_ms(call: Callable[[], Any], runs: int = RUNS) -> float:
    """Median CPU time of `call` when other memory has passed through the caches first."""
    other = bytearray(FLUSH_MB * 1024 * 1024)
    times = []
    for _ in range(runs):
        # Read every 64-byte cache line of it (the slice), then write every one. How cold
        # depends on how the caches are flushed: writing alone leaves the call about half
        # as slow as this, a Python loop over the lines (other code too) about twice.
        other[::64] = bytes(other[::64])
        started = time.thread_time_ns()
        call()
        times.append((time.thread_time_ns() - started) / 1e6)
    return statistics.median(times)


def service_rss_mb(text: str) -> float:
    output = subprocess.run(
        [sys.executable, "-c", _RSS_PROGRAM % (text, ANSWERS)],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    return float(output.strip().splitlines()[-1])


def main() -> int:
    app = ClassifierApp()
    text = description_of_about(TARGET_WORDS)
    publish = lambda *_: None  # noqa: E731
    words = len(text.split())
    text_p50, text_p99 = median_ms(lambda: app.classify({"description": text}, publish=publish))
    read_p50, _ = median_ms(lambda: app.reader.read(text))
    answers_p50, answers_p99 = median_ms(
        lambda: app.classify({"answers": ANSWERS}, publish=publish), runs=3000)
    structured = {"answers": CLASSIFY_ANSWERS}
    hot_p50, _ = median_ms(lambda: app.classify(structured, publish=publish), runs=3000)
    cold_p50 = cold_median_ms(lambda: app.classify(structured, publish=publish))
    rss = service_rss_mb(text)
    print(f"classifier, in process ({RUNS} runs; 3000 for answers):")
    print(f"  description ({words} words, {len(text):,} characters): median {text_p50:.2f} ms, "
          f"p99 {text_p99:.2f} ms (target <= 5 ms); of which reading {read_p50:.2f} ms")
    print(f"  structured assessment (12 answers): median {answers_p50:.3f} ms, p99 {answers_p99:.3f} ms "
          f"(target <= 0.5 ms)")
    print(f"  the gateway bench's request (4 answers): median {hot_p50:.3f} ms hot; {cold_p50:.3f} ms "
          f"CPU with {FLUSH_MB} MB of other work through the caches between calls")
    print(f"  service process RSS (nameko service module imported, app built and warmed, no broker): "
          f"{rss:.0f} MB (target <= 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
