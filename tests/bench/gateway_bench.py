"""Gateway through RabbitMQ: gRPC Classify (structured answers) against the echo baseline,
both through the same gateway process, proxy pool and classifier service, in one run.

    make bench        (or: python -m tests.bench.gateway_bench)

Targets (issue 2): Classify throughput >= 85% of echo's; Classify p99 at 8 clients
<= 1.3 x echo's; gateway resident memory < 150 MB. Figures are ratios measured in the
same session, so the machine's speed cancels out: each round runs echo then Classify back
to back, a ratio is taken per round, and the median of the rounds' ratios is the figure,
so a burst of other work on a shared machine moves one round, not the result. Rounds are
short (a second or two) and many, so the two halves of a pair see the same machine.

Each client keeps one channel for the whole session, as a real client does: connecting
is not part of any call's time (a cost counted on both sides would pull the ratio
towards 1).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
from ladder.v1 import classifier_pb2, classifier_pb2_grpc, diagnostics_pb2, diagnostics_pb2_grpc

from tests.support.credentials import admin_key, bearer
from tests.support.processes import Process, service, wait_until
from tests.support.servers import free_port, rabbit_vhost

CALLS = {1: 200, 8: 800}  # total calls per run, by number of concurrent clients
ROUNDS = 25  # echo and classify alternate, so drift in the machine hits both alike
# The middle half of single rounds' ratios spans about 0.08 on this host (printed with each
# result), so the median of 25 rounds moves by about 0.02 between runs, not 0.03 as with 15.

CLASSIFY_ANSWERS = {"first_involved": ["after-decisions"], "who_decides": ["provider-after-listening"],
                    "stages": ["planning"], "payment": ["expenses-only"]}
CLASSIFY = classifier_pb2.ClassifyRequest(answers={
    question: classifier_pb2.Choices(options=options) for question, options in CLASSIFY_ANSWERS.items()
})
ECHO = diagnostics_pb2.EchoRequest(service="classifier", message="x" * 32)


@dataclass
class Run:
    throughput: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: dict[str, float] | None = None  # CPU microseconds per call, by process


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by a process (this one included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def broker_pid() -> int | None:
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "beam.smp":
                return int(stat.parent.name)
        except OSError:
            continue
    return None


def connect(address: str, clients: int) -> list[grpc.Channel]:
    """One channel per client, connected now, kept for the whole session."""
    channels = [grpc.insecure_channel(address) for _ in range(clients)]
    for channel in channels:
        grpc.channel_ready_future(channel).result(timeout=30)
    return channels


def run(channels: list[grpc.Channel], path: str, total: int, metadata: tuple[tuple[str, str], ...],
        watch: dict[str, int] | None = None) -> Run:
    """`total` calls of `path`, spread over one client thread per channel."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker(channel: grpc.Channel, n: int) -> None:
        nonlocal errors
        if path == "echo":
            stub, request = diagnostics_pb2_grpc.DiagnosticsStub(channel).Echo, ECHO
        else:
            stub, request = classifier_pb2_grpc.ClassifierStub(channel).Classify, CLASSIFY
        mine, failed = [], 0
        for _ in range(n):
            started = time.perf_counter()
            try:
                stub(request, metadata=metadata, timeout=10)
            except grpc.RpcError:
                failed += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker, args=(channel, total // len(channels)))
               for channel in channels]
    watch = watch or {}
    cpu_before = {name: cpu_seconds(pid) for name, pid in watch.items()}
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = {name: (cpu_seconds(pid) - cpu_before[name]) / len(latencies) * 1e6
           for name, pid in watch.items()}
    latencies.sort()
    return Run(
        throughput=len(latencies) / elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000,
        errors=errors,
        cpu_us=cpu,
    )


def median_run(runs: list[Run]) -> Run:
    return Run(
        throughput=statistics.median(r.throughput for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        errors=sum(r.errors for r in runs),
        cpu_us={name: statistics.median(r.cpu_us[name] for r in runs) for name in runs[0].cpu_us or {}},
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    logs = Path(tempfile.mkdtemp(prefix="ladder-bench-"))
    with rabbit_vhost() as amqp_uri:
        services = [service(name, amqp_uri, logs) for name in ("classifier", "recommender", "matcher")]
        grpc_port, http_port = free_port(), free_port()
        keys_env, token = admin_key(logs)
        metadata = tuple(bearer(token).items())
        gateway = Process(["-m", "gateway"], {
            **keys_env,
            "AMQP_URI": amqp_uri, "LADDER_MODE": "bus", "LADDER_GRPC_PORT": str(grpc_port),
            "LADDER_HTTP_PORT": str(http_port), "LADDER_LOG_LEVEL": "WARNING",
        }, logs / "gateway.log")
        address = f"127.0.0.1:{grpc_port}"
        try:
            def echo_ok() -> bool:
                try:
                    with grpc.insecure_channel(address) as channel:
                        diagnostics_pb2_grpc.DiagnosticsStub(channel).Echo(ECHO, metadata=metadata, timeout=2)
                    return True
                except grpc.RpcError:
                    return False

            wait_until(echo_ok, 60, "the gateway and classifier")
            channels = {clients: connect(address, clients) for clients in CALLS}
            run(channels[8], "echo", 800, metadata)  # warm up both paths
            run(channels[8], "classify", 800, metadata)
            watch = {"client": os.getpid(), "gateway": gateway.pid, "classifier": services[0].pid}
            if (broker := broker_pid()) is not None:
                watch["rabbitmq"] = broker
            results: dict[tuple[str, int], Run] = {}
            ratios: dict[int, tuple[float, float]] = {}  # clients -> (throughput, p99), per-round medians
            spreads: dict[int, list[float]] = {}  # clients -> quartiles of the rounds' throughput ratios
            for clients, total in CALLS.items():
                runs: dict[str, list[Run]] = {"echo": [], "classify": []}
                for _ in range(ROUNDS):
                    for path in ("echo", "classify"):
                        runs[path].append(run(channels[clients], path, total, metadata, watch))
                for path, measured in runs.items():
                    results[(path, clients)] = median_run(measured)
                pairs = list(zip(runs["echo"], runs["classify"], strict=True))
                throughput_ratios = [c.throughput / e.throughput for e, c in pairs]
                spreads[clients] = statistics.quantiles(throughput_ratios, n=4)
                ratios[clients] = (statistics.median(throughput_ratios),
                                   statistics.median(c.p99_ms / e.p99_ms for e, c in pairs))
            memory = rss_mb(gateway.pid)
            for opened in channels.values():
                for channel in opened:
                    channel.close()
        finally:
            gateway.terminate()
            for process in services:
                process.terminate()

    print(f"\nGateway -> RabbitMQ -> classifier, gRPC, median of {ROUNDS} rounds; ratios are "
          "medians of each round's classify/echo")
    names = list(next(iter(results.values())).cpu_us or {})
    print(f"{'path':<10}{'clients':>8}{'calls/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   "
          "CPU us per call: " + " ".join(f"{n:>10}" for n in names))
    for (path, clients), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0] != "echo")):
        cpu = " ".join(f"{(r.cpu_us or {}).get(n, 0):>10.0f}" for n in names)
        print(f"{path:<10}{clients:>8}{r.throughput:>10.0f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.errors:>8}"
              f"   {'':16}{cpu}")
    checks = []
    for clients in CALLS:
        ratio = ratios[clients][0]
        low, _, high = spreads[clients]
        checks.append((f"classify/echo throughput, {clients} client(s): {ratio:.2f} (target >= 0.85; "
                       f"the middle half of the rounds' ratios: {low:.2f} to {high:.2f})",
                       ratio >= 0.85))
    p99_ratio = ratios[8][1]
    checks.append((f"classify/echo p99 at 8 clients: {p99_ratio:.2f} (target <= 1.3)", p99_ratio <= 1.3))
    checks.append((f"gateway RSS: {memory:.0f} MB (target < 150)", memory < 150))
    errors = sum(r.errors for r in results.values())
    checks.append((f"errors: {errors} (target 0)", errors == 0))
    print()
    for text, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
