"""End to end: the stack started exactly as `make run` starts it (deploy/local/launch.py),
called by a real gRPC client and a real HTTP client, in both modes, then stopped."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from ladder.v1 import (
    classifier_pb2,
    classifier_pb2_grpc,
    common_pb2,
    diagnostics_pb2,
    diagnostics_pb2_grpc,
)

from tests.support.processes import Process, wait_until
from tests.support.servers import free_port, rabbit_vhost


class Stack:
    def __init__(self, launcher: Process, grpc_port: int, http_port: int) -> None:
        self.launcher = launcher
        # The development key the launcher printed, as a new user would copy it.
        self.api_key = re.search(r"API key\s+(ldr_\S+)", launcher.output()).group(1)
        self.metadata = (("authorization", f"Bearer {self.api_key}"),)
        self.grpc_address = f"127.0.0.1:{grpc_port}"
        self.http = f"http://127.0.0.1:{http_port}"

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.http + path, data=json.dumps(body).encode(),
            headers={"content-type": "application/json", "authorization": f"Bearer {self.api_key}"},
            method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def start_stack(tmp_path: Path, amqp_uri: str, name: str) -> Stack:
    grpc_port, http_port = free_port(), free_port()
    launcher = Process(
        ["deploy/local/launch.py"],
        {"AMQP_URI": amqp_uri, "LADDER_GRPC_PORT": str(grpc_port), "LADDER_HTTP_PORT": str(http_port),
         "LADDER_MODE": "auto", "LADDER_API_KEYS_FILE": str(tmp_path / "var" / "api-keys.json"),
         # The services' health ports (8000-8002 by default) are off: runs share this machine.
         "LADDER_SERVICE_HTTP_PORT": "0"},
        tmp_path / f"{name}.log",
    )
    wait_until(lambda: "Ladder is running" in launcher.output() or not launcher.alive(), 120,
               "the launcher to report the stack ready")
    assert launcher.alive(), launcher.output()
    return Stack(launcher, grpc_port, http_port)


@pytest.fixture(scope="module")
def bus_stack(tmp_path_factory) -> Iterator[Stack]:
    with rabbit_vhost() as amqp_uri:
        stack = start_stack(tmp_path_factory.mktemp("bus"), amqp_uri, "bus")
        yield stack
        assert stack.launcher.terminate(timeout=40) == 0, stack.launcher.output()


@pytest.fixture(scope="module")
def embedded_stack(tmp_path_factory) -> Iterator[Stack]:
    # Nothing listens on this port, so the launcher must choose the embedded mode.
    stack = start_stack(tmp_path_factory.mktemp("embedded"),
                        f"amqp://guest:guest@127.0.0.1:{free_port()}/", "embedded")
    yield stack
    assert stack.launcher.terminate(timeout=40) == 0, stack.launcher.output()


def check_the_stack_answers(stack: Stack) -> None:
    with grpc.insecure_channel(stack.grpc_address) as channel:
        request = classifier_pb2.ClassifyRequest(answers={
            "first_involved": classifier_pb2.Choices(options=["from-the-start"]),
            "who_decides": classifier_pb2.Choices(options=["jointly"]),
            "stages": classifier_pb2.Choices(options=["planning", "design", "delivery", "evaluation"]),
            "payment": classifier_pb2.Choices(options=["paid"]),
        })
        reply = classifier_pb2_grpc.ClassifierStub(channel).Classify(
            request, metadata=stack.metadata, timeout=10)
        assert reply.classification.rung == common_pb2.RUNG_CO_PRODUCTION
        assert len(reply.classification.evidence) == 4
        echo = diagnostics_pb2_grpc.DiagnosticsStub(channel).Echo(
            diagnostics_pb2.EchoRequest(service="classifier", message="e2e"),
            metadata=(("x-request-id", "e2e-request-1"), *stack.metadata), timeout=10)
        assert echo.request_id == "e2e-request-1"
        health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert health.status == health_pb2.HealthCheckResponse.SERVING

    with grpc.insecure_channel(stack.grpc_address) as channel, pytest.raises(grpc.RpcError) as refused:
        classifier_pb2_grpc.ClassifierStub(channel).Classify(request, timeout=10)  # no key
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED

    status, body = stack.post("/v1/classifications", {"answers": {
        "first_involved": "after-decisions", "who_decides": "provider-after-listening"}})
    assert status == 200 and body["rung"] == "consultation" and body["evidence"]
    status, body = stack.post("/v1/classifications", {"answers": {"first_involved": "someday"}})
    assert status == 422
    assert body["error"]["field_violations"][0]["field"] == "answers.first_involved"
    status, body = stack.post("/v1/recommendations", {"current_rung": "informing"})
    assert status == 200 and body["recommendations"]
    status, body = stack.post("/v1/matches", {"location": {"latitude": 55.86, "longitude": -4.25}})
    assert status == 200 and body["matches"]


def test_the_full_stack_on_rabbitmq(bus_stack):
    assert "Mode: full stack on RabbitMQ" in bus_stack.launcher.output()
    check_the_stack_answers(bus_stack)


def test_the_embedded_mode_without_a_broker(embedded_stack):
    assert "Mode: embedded" in embedded_stack.launcher.output()
    check_the_stack_answers(embedded_stack)
