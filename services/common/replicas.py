"""nameko extensions for a service whose every replica must hear every event of a kind
(the matcher's `directory_changed`), across a broker restart.

nameko's BROADCAST handler gives each replica its own queue, but, unless given a stable
`broadcast_identifier`, an auto-delete, exclusive one: when the broker restarts the queue
goes with the connection, and events published before the replica has reconnected and
declared it again are routed nowhere. `ReplicaBroadcastHandler` declares a durable queue
per replica instead (reliable delivery: acked after the handler ran), named by the
replica's id, which RabbitMQ deletes once it has been unused for QUEUE_EXPIRES_MS (a
replica that is gone for good) and which keeps at most QUEUE_MAX_LENGTH messages,
dropping the oldest: for the matcher an event is only a prompt to read the change log,
so a newer one stands for all those before it.

Imported only by nameko service processes.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from nameko.events import BROADCAST, EventHandler
from nameko.timer import Timer

from services.common.nameko_adapter import settled_unless_broker_lost

# Keys of the nameko config, set by services/runner.py from the settings of these names.
REPLICA_ID_CONFIG_KEY = "LADDER_REPLICA_ID"
DIRECTORY_SYNC_CONFIG_KEY = "LADDER_DIRECTORY_SYNC_SECONDS"

QUEUE_EXPIRES_MS = 24 * 3600 * 1000
QUEUE_MAX_LENGTH = 1000
# RabbitMQ refuses to declare an existing queue with other arguments
# (PRECONDITION_FAILED): change these only with a new queue name.
QUEUE_ARGUMENTS = {"x-expires": QUEUE_EXPIRES_MS, "x-max-length": QUEUE_MAX_LENGTH,
                   "x-overflow": "drop-head"}


def default_replica_id() -> str:
    """Host name and process id: unique among the processes of a host, so two replicas on
    one machine never share a queue (sharing one, each would get only some events)."""
    return f"{socket.gethostname()}-{os.getpid()}"


class ReplicaBroadcastHandler(EventHandler):
    """A BROADCAST event handler with a durable queue per replica:
    `evt-<source>-<event>--<service>.<method>-<replica id>`."""

    def __init__(self, source_service: str, event_type: str, **kwargs: Any) -> None:
        super().__init__(source_service, event_type, handler_type=BROADCAST,
                         reliable_delivery=True, **kwargs)

    @property
    def broadcast_identifier(self) -> str | None:
        # nameko reads this property while building the container, before it is bound.
        if self.container is None:
            return None
        return self.container.config.get(REPLICA_ID_CONFIG_KEY) or default_replica_id()

    def setup(self) -> None:
        super().setup()  # builds self.queue: durable, not auto-delete, not exclusive
        self.queue.queue_arguments = dict(QUEUE_ARGUMENTS)

    def handle_result(self, message: Any, worker_ctx: Any, result: Any = None, exc_info: Any = None) -> Any:
        # As for RPC (nameko_adapter.LadderRpc): an event not acknowledged comes again, harmlessly.
        return settled_unless_broker_lost(
            lambda: super(ReplicaBroadcastHandler, self).handle_result(message, worker_ctx, result, exc_info),
            result, exc_info, self.method_name,
            "event not acknowledged: the broker connection is down; it comes again",
        )


class ConfiguredTimer(Timer):
    """nameko's timer, with its interval read from the container's config at setup (the
    decorator's argument is fixed when the class is defined)."""

    def __init__(self, config_key: str, default_interval: float, **kwargs: Any) -> None:
        self.config_key = config_key
        super().__init__(default_interval, **kwargs)

    def setup(self) -> None:
        configured = self.container.config.get(self.config_key)
        if configured:
            self.interval = float(configured)
        super().setup()


replica_broadcast = ReplicaBroadcastHandler.decorator
configured_timer = ConfiguredTimer.decorator
