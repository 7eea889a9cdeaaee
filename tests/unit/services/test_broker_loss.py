"""A service survives a reply or an ack that fails because the broker just went away.

Built on a real (never started) nameko container, so the entrypoint is the one the
service really uses; the broker's going is simulated by the socket error it causes.
"""

from __future__ import annotations

import pytest
from nameko.containers import ServiceContainer
from nameko.rpc import Rpc

from services.classifier.service import ClassifierService


def classify_entrypoint() -> Rpc:
    container = ServiceContainer(ClassifierService, {"AMQP_URI": "amqp://nobody@127.0.0.1:1/"})
    return next(e for e in container.entrypoints if isinstance(e, Rpc) and e.method_name == "classify")


class Worker:
    class entrypoint:  # noqa: N801 - shaped like nameko's worker context
        method_name = "classify"


def failing_with(error: BaseException):
    def handle_result(message, result, exc_info):
        raise error
    return handle_result


@pytest.mark.parametrize("error", [ConnectionResetError(104, "reset by peer"), BrokenPipeError(32, "pipe")])
def test_a_reply_or_ack_lost_with_the_broker_does_not_raise(monkeypatch, error):
    entrypoint = classify_entrypoint()
    monkeypatch.setattr(entrypoint.rpc_consumer, "handle_result", failing_with(error))
    assert entrypoint.handle_result(object(), Worker(), {"rung": "consultation"}, None) == (
        {"rung": "consultation"}, None)


def test_other_failures_while_replying_still_raise(monkeypatch):
    entrypoint = classify_entrypoint()
    monkeypatch.setattr(entrypoint.rpc_consumer, "handle_result", failing_with(ValueError("a bug")))
    with pytest.raises(ValueError):
        entrypoint.handle_result(object(), Worker(), {}, None)


def test_nameko_alone_lets_the_socket_error_escape(monkeypatch):
    """Why the guard exists: nameko's own entrypoint treats it as fatal to the container."""
    entrypoint = classify_entrypoint()
    monkeypatch.setattr(entrypoint.rpc_consumer, "handle_result", failing_with(ConnectionResetError()))
    with pytest.raises(ConnectionResetError):
        Rpc.handle_result(entrypoint, object(), Worker(), {}, None)
