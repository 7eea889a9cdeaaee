"""What every Ladder nameko service shares: the thin layer between the bus and the apps.

Imported only by nameko service processes and by the gateway's bus client; domain code
never imports nameko.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from weakref import WeakKeyDictionary

from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.exceptions import get_module_path, registry
from nameko.extensions import DependencyProvider
from nameko.messaging import QueueConsumer
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange
from nameko.timer import Timer

from services.common import metrics
from services.common.bus_errors import CONNECTION_ERRORS
from services.common.diagnostics import echo_reply
from services.common.errors import ERROR_TYPES
from services.common.health import HealthServer
from services.common.logs import request_id_var
from services.common.wire import use_orjson

REQUEST_ID_KEY = "request_id"  # key in nameko's context data (AMQP headers)

log = logging.getLogger(__name__)


def register_domain_errors() -> None:
    """Let nameko rebuild our domain errors on the calling side as the same classes
    (not RemoteError), carrying their field violations."""
    for error_type in ERROR_TYPES:
        registry[get_module_path(error_type)] = error_type


register_domain_errors()
use_orjson()  # the bus's JSON, faster (services/common/wire.py); the gateway imports this too


class ReplyPublisher(Publisher):
    """Replies are published transient. A reply goes to the caller's own reply queue and
    is worth nothing once that caller has stopped waiting, which it has by the time a
    broker restart is over; nameko's default, persistent, makes RabbitMQ write every
    reply to disk first (and replies over 4 KiB, such as a classification, to its
    message store rather than the queue index), measured in `make bench` as broker CPU
    per call that grew with the reply's size."""

    delivery_mode = NON_PERSISTENT


class ReplyResponder(Responder):
    publisher_cls = ReplyPublisher


class LadderRpcConsumer(RpcConsumer):
    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        # nameko's RpcConsumer.handle_result with ReplyResponder: reply, then acknowledge.
        config = self.container.config
        responder = ReplyResponder(
            config[AMQP_URI_CONFIG_KEY], get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY), login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class LadderRpc(Rpc):
    """nameko's RPC entrypoint, except that a reply the broker cannot take does not kill
    the service, and whose replies are transient (ReplyPublisher).

    In nameko 2.14.1 a reply that cannot be published, or a request that cannot be
    acknowledged, because the broker went away while the call ran, raises a socket error
    out of the worker's result handling, and the container treats that as fatal: every
    call in flight is killed and the service stops instead of reconnecting when the broker
    returns (found by tests/integration/test_directory_replicas.py). The request was not
    acknowledged, so the broker delivers it again once it is back; the caller, whose reply
    queue went with the broker, has been told the bus is unavailable."""

    rpc_consumer = LadderRpcConsumer()

    def handle_result(self, message: Any, worker_ctx: Any, result: Any, exc_info: Any) -> Any:
        return settled_unless_broker_lost(
            lambda: super(LadderRpc, self).handle_result(message, worker_ctx, result, exc_info),
            result, exc_info, self.method_name,
            "reply not sent: the broker connection is down; the request stays queued",
        )


rpc = LadderRpc.decorator


def settled_unless_broker_lost(settle: Any, result: Any, exc_info: Any, method: str, lost: str) -> Any:
    """Run an entrypoint's result handling (reply, ack); when the broker connection has just
    gone, log `lost` instead of letting the socket error kill the container. The message
    was not acknowledged, so the broker delivers it again."""
    try:
        return settle()
    except CONNECTION_ERRORS as error:
        log.warning(lost, extra={"method": method, "error": repr(error)})
        return result, exc_info


class RequestContext(DependencyProvider):
    """Puts the caller's request id into the logging context for the worker's lifetime,
    and logs and counts each call: method, outcome, duration (services/common/metrics.py)."""

    def __init__(self) -> None:
        # Kept beside the worker, not in its context data, which travels on to any call
        # the worker makes.
        self._started: WeakKeyDictionary[Any, float] = WeakKeyDictionary()

    def worker_setup(self, worker_ctx: Any) -> None:
        # Each nameko worker runs in its own greenlet, which has its own contextvars.
        request_id_var.set(worker_ctx.data.get(REQUEST_ID_KEY))
        self._started[worker_ctx] = time.perf_counter()
        metrics.CALLS_IN_PROGRESS.labels(self.container.service_name).inc()

    def worker_result(self, worker_ctx: Any, result: Any = None, exc_info: Any = None) -> None:
        seconds = time.perf_counter() - self._started.pop(worker_ctx)
        method = worker_ctx.entrypoint.method_name
        service = self.container.service_name
        metrics.CALLS_IN_PROGRESS.labels(service).dec()
        metrics.record_call(service, method, metrics.outcome_of(exc_info and exc_info[1]), seconds)
        fields = {"method": method, "duration_ms": round(seconds * 1000, 2)}
        if exc_info is None:
            # A timer's routine tick (the matcher's sync every few seconds) is no news.
            level = logging.DEBUG if isinstance(worker_ctx.entrypoint, Timer) else logging.INFO
            log.log(level, "handled", extra=fields)
        elif isinstance(exc_info[1], ERROR_TYPES):
            log.info("refused", extra={**fields, "error": type(exc_info[1]).__name__})
        else:
            log.error("failed", exc_info=exc_info, extra=fields)

    def worker_teardown(self, worker_ctx: Any) -> None:
        request_id_var.set(None)


def _queue_consumer(container: Any) -> QueueConsumer | None:
    return next((e for e in container.subextensions if isinstance(e, QueueConsumer)), None)


class AckBeforeClosing(DependencyProvider):
    """During a graceful stop, keeps the container's AMQP consumer connection open until
    every call in flight has been acknowledged.

    nameko 2.14.1's QueueConsumer closes its connection as soon as its consumers are
    cancelled, the first step of container.stop(), while workers are still running; their
    acks are then skipped and the broker puts the messages back on the queue, so a call
    answered during a shutdown ran a second time on another replica (found by
    tests/integration/test_shutdown.py). Here the consumer loop's per-iteration hook ends
    the loop only once no worker is left, which adds at most one drain interval (1 s)."""

    def setup(self) -> None:
        container = self.container
        consumer = _queue_consumer(container)
        if consumer is None:
            return

        def on_iteration() -> None:  # QueueConsumer.on_iteration, plus the wait for workers
            consumer._cancel_consumers_if_requested()
            if not consumer._consumers and not container._worker_threads:
                consumer.should_stop = True

        consumer.on_iteration = on_iteration


class App(DependencyProvider):
    """One application object per container, built at start-up (data files are loaded
    and validated then, not on the first request)."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.app: Any = None

    def setup(self) -> None:
        self.app = self.factory()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.app

    @staticmethod
    def of(container: Any) -> Any:
        """The application object of this container (for extensions that are not workers)."""
        return next(d.app for d in container.dependencies if isinstance(d, App))


class OnConnected(DependencyProvider):
    """Calls `action(app)` in a thread of its own each time the container's AMQP consumer
    has connected and is consuming: at start, and after every reconnection (a broker
    restart), when whatever was missed meanwhile is worth looking for at once."""

    def __init__(self, action: Any) -> None:
        self.action = action

    def setup(self) -> None:
        container = self.container
        consumer = _queue_consumer(container)
        if consumer is None:
            return
        consume_ready = consumer.on_consume_ready

        def on_consume_ready(*args: Any, **kwargs: Any) -> None:
            consume_ready(*args, **kwargs)
            container.spawn_managed_thread(self._act, identifier="on_connected")

        consumer.on_consume_ready = on_consume_ready

    def _act(self) -> None:
        try:
            self.action(App.of(self.container))
        except Exception:  # a failed attempt must not stop the container; the caller retries
            log.exception("action after connecting failed")


class LadderService:
    """Base for the three services: request context, health and metrics over HTTP, a
    graceful stop that loses no acknowledgement, and the diagnostics echo."""

    name = "ladder"
    context = RequestContext()
    health = HealthServer()
    graceful_stop = AckBeforeClosing()

    @rpc
    def echo(self, message: str) -> dict[str, Any]:
        """Return the message untouched: the baseline for benchmarks and readiness checks."""
        return echo_reply(self.name, message)
