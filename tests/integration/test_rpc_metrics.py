"""The gateway's bus client counts and times every call to a service, by outcome."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from gateway.clients.bus import BusClient
from services.common.errors import InvalidArgument, ServiceUnavailable


def rpc_calls(service: str, method: str, outcome: str) -> float:
    labels = {"service": service, "method": method, "outcome": outcome}
    return REGISTRY.get_sample_value("ladder_gateway_rpc_calls_total", labels) or 0.0


def rpc_timed(service: str, method: str) -> float:
    labels = {"service": service, "method": method}
    return REGISTRY.get_sample_value("ladder_gateway_rpc_duration_seconds_count", labels) or 0.0


def test_an_answered_call_is_counted_ok_and_timed(bus_client):
    before, timed = rpc_calls("classifier", "echo", "ok"), rpc_timed("classifier", "echo")
    bus_client.call("classifier", "echo", "metrics")
    assert rpc_calls("classifier", "echo", "ok") == before + 1
    assert rpc_timed("classifier", "echo") == timed + 1


def test_a_refusal_by_the_service_is_counted_by_its_error(bus_client):
    before = rpc_calls("classifier", "classify", "invalid_argument")
    with pytest.raises(InvalidArgument):
        bus_client.call("classifier", "classify", {"answers": {"payment": "lots"}})
    assert rpc_calls("classifier", "classify", "invalid_argument") == before + 1


def test_a_service_nobody_runs_is_counted_not_running(amqp_uri):
    client = BusClient(amqp_uri, pool_size=1, timeout=5.0)
    before = rpc_calls("ghost", "echo", "not_running")
    try:
        with pytest.raises(ServiceUnavailable):
            client.call("ghost", "echo", "anyone?")
    finally:
        client.close()
    assert rpc_calls("ghost", "echo", "not_running") == before + 1
