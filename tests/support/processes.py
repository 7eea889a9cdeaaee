"""Start Ladder's own processes (services, gateway, the launcher) for tests and benchmarks."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# Every child started here. Each runs in a session of its own (so a test's Ctrl-C reaches
# it only through terminate()); a test that forgets one, or fails before its cleanup, must
# not leave a service consuming the shared broker's queues for the next test or run.
_started: list[subprocess.Popen] = []


@atexit.register
def _kill_leftovers() -> None:
    for popen in _started:
        if popen.poll() is None:
            popen.kill()


class Process:
    """A child process whose output (JSON log lines) is kept in a file for assertions."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.popen = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env={**os.environ, **env},
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        _started.append(self.popen)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def started_or_exited(self) -> bool:
        """A service's own "started" log line, or its exit (which the caller then reports).
        An echo answer is no proof: another replica on the same queue may give it."""
        return '"msg": "started"' in self.output() or not self.alive()

    def terminate(self, timeout: float = 20) -> int:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            return self.popen.wait()
        finally:
            self._log.close()


def service(name: str, amqp_uri: str, log_dir: Path, suffix: str = "", http_port: int = 0,
            module: str = "services.runner", env: dict[str, str] | None = None) -> Process:
    """A service process; its health and metrics port is off unless given (runs on this
    shared machine must never collide on the default 8000). `env`: more settings."""
    return Process(
        ["-m", module, name],
        {"AMQP_URI": amqp_uri, "LADDER_LOG_LEVEL": "INFO", "LADDER_SERVICE_HTTP_PORT": str(http_port),
         **(env or {})},
        log_dir / f"{name}{suffix}.log",
    )


# The test-only slow classifier (tests/support/slow_service.py): a call whose request id
# starts with SLOW_PREFIX takes SLOW_SECONDS. Kept here, because importing that module
# would monkey-patch the test process with eventlet.
SLOW_SECONDS = 4.0
SLOW_PREFIX = "slow-"


def slow_classifier(amqp_uri: str, log_dir: Path, http_port: int = 0) -> Process:
    return service("classifier", amqp_uri, log_dir, http_port=http_port,
                   module="tests.support.slow_service")


def held_events_classifier(amqp_uri: str, log_dir: Path) -> Process:
    """The classifier whose events stay queued until it is asked to stop."""
    return service("held-events", amqp_uri, log_dir, module="tests.support.slow_service")


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
