"""Reach the services over RabbitMQ with nameko's standalone RPC proxies.

A ClusterRpcProxy is not thread-safe (one shared by threads hangs), and each one leaves a
reply queue behind, so proxies are created once, kept in a pool, and each call borrows
one for its duration.
"""

from __future__ import annotations

import logging
import queue
import sys
import time
from typing import Any

from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.metrics import record_rpc
from services.common.bus_errors import CONNECTION_ERRORS
from services.common.errors import LadderError, ServiceUnavailable
from services.common.logs import request_id_var
from services.common.metrics import outcome_of
from services.common.nameko_adapter import REQUEST_ID_KEY, register_domain_errors

log = logging.getLogger(__name__)

# Every publish through a standalone proxy makes a kombu Connection (nameko looks up its
# producer pool by one), and outside eventlet each new Connection asks whether the C
# client librabbitmq can be imported. It is not installed, and a failed import is never
# remembered, so every call walked the whole import path again: 0.12 ms of the gateway's
# CPU per call, measured. Recording it as absent makes the answer immediate.
sys.modules.setdefault("librabbitmq", None)  # type: ignore[arg-type]


class _PooledProxy:
    """One started ClusterRpcProxy and the context dict its calls carry."""

    def __init__(self, config: dict[str, Any], timeout: float) -> None:
        # nameko's WorkerContext keeps this very dict, so setting a key before a call sends
        # it as that call's context data (the request id travels in AMQP headers).
        self.context: dict[str, Any] = {}
        self._standalone = ClusterRpcProxy(config, context_data=self.context, timeout=timeout)
        self.services = self._standalone.start()

    def stop(self) -> None:
        try:
            self._standalone.stop()
        except Exception:  # a dead connection cannot be closed politely; drop it
            log.debug("proxy stop failed", exc_info=True)


class BusClient:
    def __init__(self, amqp_uri: str, pool_size: int, timeout: float) -> None:
        register_domain_errors()
        self._config = {"AMQP_URI": amqp_uri, "serializer": "json"}
        self._timeout = timeout
        self._pool: queue.LifoQueue[_PooledProxy | None] = queue.LifoQueue()
        # Slots start empty and are filled lazily, so the gateway starts (and reports
        # not-ready) while the broker is down, and recovers by itself when it returns.
        for _ in range(pool_size):
            self._pool.put(None)

    def call(self, service: str, method: str, payload: Any) -> Any:
        started = time.perf_counter()
        outcome = "error"  # unless a branch below knows better
        try:
            proxy = self._pool.get(timeout=self._timeout)
        except queue.Empty:
            record_rpc(service, method, "at_capacity", time.perf_counter() - started)
            raise ServiceUnavailable("the gateway is at capacity; try again shortly") from None
        healthy = True
        try:
            if proxy is None:
                proxy = _PooledProxy(self._config, self._timeout)
            proxy.context[REQUEST_ID_KEY] = request_id_var.get() or ""
            result = getattr(getattr(proxy.services, service), method)(payload)
            outcome = "ok"
            return result
        except LadderError as error:  # the service refused (InvalidArgument, NotFound)
            outcome = outcome_of(error)
            raise
        except RpcTimeout:
            healthy = False  # a late reply would otherwise be read by the next borrower
            outcome = "timeout"
            raise ServiceUnavailable(
                f"{service} did not answer within {self._timeout:g} s"
            ) from None
        except UnknownService:
            outcome = "not_running"
            raise ServiceUnavailable(f"{service} is not running") from None
        except CONNECTION_ERRORS as error:
            healthy = False
            outcome = "bus_unavailable"
            log.warning("bus unavailable", extra={"service": service, "error": repr(error)})
            raise ServiceUnavailable("the message bus is unavailable") from None
        finally:
            if proxy is not None and not healthy:
                proxy.stop()
                proxy = None
            self._pool.put(proxy)
            record_rpc(service, method, outcome, time.perf_counter() - started)

    def close(self) -> None:
        while True:
            try:
                proxy = self._pool.get_nowait()
            except queue.Empty:
                return
            if proxy is not None:
                proxy.stop()
