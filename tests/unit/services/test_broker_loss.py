"""A service container survives an ack on a connection the broker has just dropped.

Built on a real (never started) nameko container, so the QueueConsumer patched is the one
the RPC entrypoints really use.
"""

from __future__ import annotations

import pytest
from nameko.containers import ServiceContainer
from nameko.messaging import QueueConsumer
from nameko.testing.utils import get_extension

from services.classifier.service import ClassifierService
from services.common.nameko_adapter import AckSurvivesBrokerLoss


class DroppedConnectionMessage:
    """What kombu hands the worker once the broker has reset the socket."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.channel = self  # nameko checks message.channel.connection before settling
        self.connection = True

    def ack(self) -> None:
        raise self.error

    requeue = ack


@pytest.fixture
def consumer() -> QueueConsumer:
    container = ServiceContainer(ClassifierService, {"AMQP_URI": "amqp://nobody@127.0.0.1:1/"})
    get_extension(container, AckSurvivesBrokerLoss).setup()
    return get_extension(container, QueueConsumer)


@pytest.mark.parametrize("error", [ConnectionResetError(104, "reset by peer"), BrokenPipeError(32, "pipe")])
def test_settling_a_message_after_the_broker_dropped_the_socket_does_not_raise(consumer, error):
    consumer.ack_message(DroppedConnectionMessage(error))
    consumer.requeue_message(DroppedConnectionMessage(error))


def test_other_failures_while_settling_still_raise(consumer):
    with pytest.raises(ValueError):
        consumer.ack_message(DroppedConnectionMessage(ValueError("a bug, not a lost connection")))


def test_without_the_guard_nameko_lets_the_socket_error_escape():
    """Why the guard exists: nameko's own ack only ignores amqp's ConnectionError."""
    container = ServiceContainer(ClassifierService, {"AMQP_URI": "amqp://nobody@127.0.0.1:1/"})
    with pytest.raises(ConnectionResetError):
        get_extension(container, QueueConsumer).ack_message(DroppedConnectionMessage(ConnectionResetError()))
