"""Start Ladder on this machine: what `make run` runs.

With a RabbitMQ broker answering at AMQP_URI: the three services and the gateway as
separate processes, as in production. Without one: the gateway alone, in embedded mode,
calling the same domain code in process. Either way it waits until the gateway is ready,
prints where to look, and stops everything cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from gateway.auth import (  # noqa: E402
    KeyRing,
    Permission,
    Unauthenticated,
    add_to_keys_file,
    new_key,
)
from gateway.main import broker_reachable  # noqa: E402
from services.common.settings import Mode, Settings, load_settings  # noqa: E402

SERVICES = ("classifier", "recommender", "matcher")
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 20


class Stop(Exception):
    pass


def _on_signal(signum: int, frame: object) -> None:
    raise Stop


def _start(args: list[str], mode: Mode, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**os.environ, "LADDER_MODE": mode.value, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    # Its own process group, so Ctrl-C reaches the launcher only and we stop children in order.
    return subprocess.Popen(  # noqa: S603 (our own modules, run with this interpreter)
        [sys.executable, *args], cwd=ROOT, env=env, start_new_session=True
    )


def service_http_ports(settings: Settings) -> dict[str, int]:
    """One health and metrics port per service, counting up from LADDER_SERVICE_HTTP_PORT
    (8000, 8001, 8002), since all three share this machine; 0 turns them all off."""
    base = settings.service_http_port
    return {name: base + index if base else 0 for index, name in enumerate(SERVICES)}


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def development_keys(settings: Settings) -> tuple[str, str]:
    """An admin key for the organisation "dev" (for curl and gRPC) and a publishable key
    for the demo page, made on the first run and kept beside the keys file (var/ by
    default; readable by you only), so a new user is not locked out and the same keys
    work run after run."""
    keys_file = Path(settings.api_keys_file)
    origins = {f"http://{host}:{settings.http_port}" for host in (settings.host, "localhost", "127.0.0.1")}
    wanted = {
        "dev-api-key": dict(permissions={Permission.ADMIN}, name="make run: development key"),
        "dev-demo-key": dict(permissions={Permission.CLASSIFY, Permission.RECOMMEND},
                             name="make run: the demo page", publishable=True, origins=origins),
    }
    tokens = []
    for file_name, options in wanted.items():
        kept = keys_file.parent / file_name
        token = kept.read_text().strip() if kept.exists() else ""
        try:
            principal = KeyRing.load(keys_file).authenticate(token)
            if principal.publishable and not origins <= principal.origins:
                raise Unauthenticated("the demo key does not cover this address")
        except Unauthenticated:
            token, stored = new_key("dev", **options)
            add_to_keys_file(keys_file, stored)
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(token + "\n")
            kept.chmod(0o600)
        tokens.append(token)
    return tokens[0], tokens[1]


def _wait_ready(settings: Settings, processes: list[subprocess.Popen]) -> None:
    url = f"http://{settings.host}:{settings.http_port}/readyz"
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(process.args[1:])} exited with {process.returncode}")
        if _ready(url):
            return
        time.sleep(0.5)
    raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: {url}")


def _stop(processes: list[subprocess.Popen]) -> None:
    # The gateway first (it stops taking requests), then the services finish their work.
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def _banner(settings: Settings, mode: Mode, api_key: str) -> str:
    http = f"http://{settings.host}:{settings.http_port}"
    ports = service_http_ports(settings)
    services = (
        ["  Services  /healthz, /readyz and /metrics of each:",
         *(f"            {name:<12}http://{settings.host}:{port}" for name, port in ports.items())]
        if mode is Mode.BUS and all(ports.values()) else []
    )
    how = (
        "full stack on RabbitMQ: 3 services + gateway, as separate processes"
        if mode is Mode.BUS
        else "embedded: one process, no broker (start RabbitMQ for the full stack)"
    )
    return "\n".join([
        "",
        f"Ladder is running. Mode: {how}",
        f"  Open      {http}/   (the demo page: assess a project, then see how to climb)",
        f"  gRPC      {settings.host}:{settings.grpc_port}   (ladder.v1; reflection on)",
        f"  HTTP      {http}",
        f"  API docs  {http}/openapi.json",
        f"  Ready?    {http}/readyz",
        f"  Metrics   {http}/metrics",
        *services,
        f"  API key   {api_key}",
        "            (development key: admin for organisation 'dev'; kept beside "
        f"{settings.api_keys_file})",
        "Try:",
        f"  curl -s {http}/v1/classifications -H 'authorization: Bearer {api_key}' \\",
        "    -H 'content-type: application/json' \\",
        "    -d '{\"answers\": {\"first_involved\": \"after-decisions\", "
        "\"who_decides\": \"provider-after-listening\"}}'",
        "Press Ctrl-C to stop.",
        "",
    ])


def main() -> int:
    settings = load_settings()
    mode = settings.mode
    if mode is Mode.AUTO:
        mode = Mode.BUS if broker_reachable(settings.amqp_uri) else Mode.EMBEDDED
    print(f"Ladder: starting in {mode.value} mode", flush=True)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    processes: list[subprocess.Popen] = []
    try:
        if mode is Mode.BUS:
            processes += [
                _start(["-m", "services.runner", name], mode, {"LADDER_SERVICE_HTTP_PORT": str(port)})
                for name, port in service_http_ports(settings).items()
            ]
        api_key, demo_key = development_keys(settings)
        processes.append(_start(["-m", "gateway"], mode, {"LADDER_DEMO_KEY": demo_key}))
        _wait_ready(settings, processes)
        print(_banner(settings, mode, api_key), flush=True)
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("Ladder: a process exited unexpectedly; stopping the rest.", file=sys.stderr)
        return 1
    except Stop:
        print("\nLadder: stopping...", flush=True)
        return 0
    except RuntimeError as error:
        print(f"Ladder: could not start: {error}", file=sys.stderr)
        return 1
    finally:
        _stop(processes)
        print("Ladder: stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
