"""Integration tier: real RabbitMQ (a fresh vhost per run) and real service processes.

What may be faked here: nothing. Services run as `python -m services.runner`, exactly as
`make run` and the container image run them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.clients.bus import BusClient
from gateway.clients.inprocess import InProcessClient
from services.common.errors import ServiceUnavailable
from tests.support.processes import Process, service, wait_until
from tests.support.servers import rabbit_vhost

SERVICES = ("classifier", "recommender", "matcher")


@pytest.fixture(scope="session")
def amqp_uri() -> Iterator[str]:
    with rabbit_vhost() as uri:
        yield uri


@pytest.fixture(scope="session")
def service_logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("service-logs")


def answers_echo(client: BusClient, name: str) -> bool:
    try:
        return client.call(name, "echo", "up?")["service"] == name
    except ServiceUnavailable:
        return False


@pytest.fixture(scope="session")
def bus_services(amqp_uri, service_logs) -> Iterator[dict[str, Process]]:
    processes = {name: service(name, amqp_uri, service_logs) for name in SERVICES}
    probe = BusClient(amqp_uri, pool_size=1, timeout=1.0)
    try:
        for name, process in processes.items():
            wait_until(lambda n=name, p=process: answers_echo(probe, n) or not p.alive(), 60,
                       f"{name} to answer on the bus")
            assert process.alive(), process.output()
        yield processes
    finally:
        probe.close()
        for process in processes.values():
            process.terminate()


@pytest.fixture(scope="session")
def bus_client(amqp_uri, bus_services) -> Iterator[BusClient]:
    client = BusClient(amqp_uri, pool_size=8, timeout=5.0)
    yield client
    client.close()


@pytest.fixture(scope="session", params=["in-process", "bus"])
def client(request):
    """The same contract tests run against both implementations of the client."""
    if request.param == "in-process":
        return InProcessClient()
    return request.getfixturevalue("bus_client")
