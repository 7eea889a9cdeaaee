"""A RabbitMQ node of our own, for tests that stop and start the broker.

Stopping the machine's shared broker would break every other test running against it, so
these tests start a second node of the installed RabbitMQ on free ports, with its own
data directory, and stop and start *that*. Needs the `rabbitmq-server` scripts and the
right to run them (root, or the rabbitmq user), as on the CI machines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import wait_until
from tests.support.servers import free_port, port_open, require


class PrivateBroker:
    def __init__(self, directory: Path, port: int, node: str) -> None:
        self.directory = directory
        self.port = port
        self.node = node
        self.uri = f"amqp://guest:guest@127.0.0.1:{port}/"

    def _env(self) -> dict[str, str]:
        d = self.directory
        return {
            **os.environ,
            "HOME": str(d),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
            "RABBITMQ_LOG_BASE": str(d / "log"),
            "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
        }

    def ctl(self, *args: str) -> None:
        subprocess.run(["rabbitmqctl", "-n", self.node, *args], env=self._env(), check=True,
                       capture_output=True, timeout=60)

    def start_server(self) -> subprocess.Popen:
        process = subprocess.Popen(["rabbitmq-server"], env=self._env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: port_open("127.0.0.1", self.port, 0.2), 90, f"RabbitMQ node {self.node}")
        return process

    def stop_app(self) -> None:
        """The broker goes away (connections drop, the port closes); durable data stays."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")
        wait_until(lambda: port_open("127.0.0.1", self.port, 0.2), 60, f"RabbitMQ node {self.node}")


@contextmanager
def private_broker() -> Iterator[PrivateBroker]:
    require(shutil.which("rabbitmq-server") is not None and shutil.which("rabbitmqctl") is not None,
            "the rabbitmq-server scripts are needed to start a private RabbitMQ node")
    require(os.geteuid() == 0, "starting a private RabbitMQ node needs root (the scripts switch user)")
    directory = Path(tempfile.mkdtemp(prefix="ladder-rabbit-"))
    port = free_port()
    (directory / "rabbitmq.conf").write_text(
        f"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n"
    )
    shutil.chown(directory, "rabbitmq", "rabbitmq")
    shutil.chown(directory / "rabbitmq.conf", "rabbitmq", "rabbitmq")
    broker = PrivateBroker(directory, port, f"ladder-test-{uuid.uuid4().hex[:8]}@localhost")
    process = broker.start_server()
    try:
        yield broker
    finally:
        try:
            broker.ctl("stop")
        except (subprocess.SubprocessError, OSError):
            pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(directory, ignore_errors=True)
