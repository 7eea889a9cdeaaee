"""What a lost, closed or refusing RabbitMQ connection raises through kombu and py-amqp."""

from __future__ import annotations

import socket

from amqp.exceptions import AMQPError
from kombu.exceptions import OperationalError

CONNECTION_ERRORS = (OSError, socket.timeout, OperationalError, AMQPError, ConnectionError)
