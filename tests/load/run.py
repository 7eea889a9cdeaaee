"""A bounded mixed load against the whole stack on RabbitMQ: `make load`.

Starts the three services and the gateway on a fresh vhost (as `make run` does), finds
the stack's maximum throughput with a short closed-loop burst, then sends a steady
open-loop mix of classify, recommend and match at half of it for LOAD_SECONDS (default
600), over HTTP with an API key, and reports requests a second, p50 and p99, errors by
status, and each process's resident memory at the start, every minute, and at the end.

Aim (issue 7): zero errors and flat memory over ten minutes at half the maximum.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.bench.gateway_bench import rss_mb
from tests.support.credentials import admin_key, bearer
from tests.support.processes import Process, service, wait_until
from tests.support.servers import free_port, rabbit_vhost

CLASSIFY = {"answers": {"first_involved": ["after-decisions"],
                        "who_decides": ["provider-after-listening"],
                        "stages": ["planning"], "payment": ["expenses-only"]}}
RECOMMEND = {"current_rung": "consultation"}
MATCH = {"location": {"latitude": 51.45, "longitude": -2.59}, "radius_km": 50}
MIX = [("/v1/classifications", CLASSIFY), ("/v1/recommendations", RECOMMEND), ("/v1/matches", MATCH)]


class Recorder:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.lock = threading.Lock()

    def record(self, started: float, status: str) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[status] += 1


def call(client: httpx.Client, n: int, recorder: Recorder) -> None:
    path, body = MIX[n % len(MIX)]
    started = time.perf_counter()
    try:
        status = str(client.post(path, json=body).status_code)
    except httpx.HTTPError as error:
        status = type(error).__name__
    recorder.record(started, status)


def closed_loop(base: str, headers: dict, seconds: float, clients: int = 16) -> float:
    recorder = Recorder()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            n = offset
            while time.monotonic() < deadline:
                call(client, n, recorder)
                n += clients

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    return recorder.statuses["200"] / seconds


def open_loop(base: str, headers: dict, rate: float, seconds: float, watch: dict[str, int],
              report_every: float = 60.0) -> tuple[Recorder, list[dict[str, float]]]:
    """Send at a fixed rate whatever the answers' speed (so slowness shows as latency)."""
    recorder = Recorder()
    memory = [{name: rss_mb(pid) for name, pid in watch.items()}]
    local = threading.local()

    def send(n: int) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, headers=headers, timeout=30)
        call(local.client, n, recorder)

    with ThreadPoolExecutor(64) as pool:
        started = time.monotonic()
        next_report = started + report_every
        n = 0
        while (now := time.monotonic()) < started + seconds:
            due = started + n / rate
            if due > now:
                time.sleep(min(due - now, 0.05))
                continue
            pool.submit(send, n)
            n += 1
            if now >= next_report:
                memory.append({name: rss_mb(pid) for name, pid in watch.items()})
                done = sum(recorder.statuses.values())
                print(f"  {now - started:5.0f} s  {done} requests  "
                      + "  ".join(f"{k} {v:.0f} MB" for k, v in memory[-1].items()), flush=True)
                next_report += report_every
    memory.append({name: rss_mb(pid) for name, pid in watch.items()})
    return recorder, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", 600)))
    parser.add_argument("--probe-seconds", type=float, default=20)
    args = parser.parse_args()

    logs = Path(tempfile.mkdtemp(prefix="ladder-load-"))
    keys_env, token = admin_key(logs, organisation="load-test")
    headers = bearer(token)
    with rabbit_vhost() as amqp_uri:
        services = {name: service(name, amqp_uri, logs) for name in ("classifier", "recommender", "matcher")}
        http_port = free_port()
        gateway = Process(["-m", "gateway"], {
            "AMQP_URI": amqp_uri, "LADDER_MODE": "bus", "LADDER_GRPC_PORT": str(free_port()),
            "LADDER_HTTP_PORT": str(http_port), "LADDER_LOG_LEVEL": "WARNING",
            **keys_env, "LADDER_DATABASE_URL": f"sqlite:///{logs}/load.db",
        }, logs / "gateway.log")
        base = f"http://127.0.0.1:{http_port}"
        try:
            wait_until(lambda: _ready(base), 90, "the stack to be ready")
            closed_loop(base, headers, 5)  # warm up
            maximum = closed_loop(base, headers, args.probe_seconds)
            rate = maximum / 2
            print(f"maximum {maximum:.0f} requests/s (closed loop, 16 clients); "
                  f"running at {rate:.0f}/s for {args.seconds:.0f} s")
            watch = {"gateway": gateway.pid, **{n: p.pid for n, p in services.items()}}
            recorder, memory = open_loop(base, headers, rate, args.seconds, watch)
        finally:
            gateway.terminate()
            for process in services.values():
                process.terminate()

    latencies = sorted(recorder.latencies)
    total = len(latencies)
    errors = total - recorder.statuses["200"]
    print(f"\nmixed load (classify, recommend, match over HTTP, on RabbitMQ): {total} requests "
          f"in {args.seconds:.0f} s = {total / args.seconds:.1f}/s")
    print(f"  p50 {latencies[total // 2] * 1000:.1f} ms   p99 {latencies[int(total * 0.99)] * 1000:.1f} ms"
          f"   median of all {statistics.median(latencies) * 1000:.1f} ms")
    print(f"  errors: {errors}  statuses: {dict(recorder.statuses)}")
    print("  resident memory (MB), start -> end: " + ", ".join(
        f"{name} {memory[0][name]:.0f} -> {memory[-1][name]:.0f}" for name in memory[0]))
    return 0 if errors == 0 else 1


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    sys.exit(main())
