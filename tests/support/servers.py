"""Real servers for the integration, end-to-end and benchmark tiers.

The rule for what may be faked (see tests/README.md): nothing inside Ladder is faked in
these tiers; RabbitMQ and the databases are the real servers on this machine. When one
is absent, its tests skip with the reason, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest

RABBIT_HOST = os.environ.get("LADDER_TEST_RABBIT_HOST", "127.0.0.1")
RABBIT_PORT = int(os.environ.get("LADDER_TEST_RABBIT_PORT", "5672"))
RABBIT_USER = os.environ.get("LADDER_TEST_RABBIT_USER", "guest")
RABBIT_PASSWORD = os.environ.get("LADDER_TEST_RABBIT_PASSWORD", "guest")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require(available: bool, reason: str) -> None:
    """Skip outside CI when a server is missing; in CI, a missing server is a failure."""
    if available:
        return
    if in_ci():
        pytest.fail(f"CI=true but {reason}: these tests may not skip in CI")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@contextmanager
def rabbit_vhost() -> Iterator[str]:
    """A fresh vhost for one test run, so runs never see each other's queues or messages;
    yields its AMQP URI and deletes it afterwards."""
    require(port_open(RABBIT_HOST, RABBIT_PORT), f"no RabbitMQ broker at {RABBIT_HOST}:{RABBIT_PORT}")
    require(shutil.which("rabbitmqctl") is not None, "rabbitmqctl is needed to make a test vhost")
    vhost = f"ladder-test-{uuid.uuid4().hex[:12]}"
    _rabbitmqctl("add_vhost", vhost)
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, RABBIT_USER, ".*", ".*", ".*")
        yield f"amqp://{RABBIT_USER}:{RABBIT_PASSWORD}@{RABBIT_HOST}:{RABBIT_PORT}/{quote(vhost, safe='')}"
    finally:
        _rabbitmqctl("delete_vhost", vhost)
