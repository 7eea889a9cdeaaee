"""A service's metrics and its health endpoints, with no broker.

Calls run through nameko's real worker lifecycle on a container that is built but never
started (so nothing connects anywhere): the RequestContext dependency sees each call as
it would in production. The health WSGI app is driven by Werkzeug's test client.
"""

from __future__ import annotations

import json

import pytest
from nameko.containers import ServiceContainer
from nameko.rpc import Rpc
from nameko.testing.utils import get_extension
from prometheus_client import REGISTRY
from werkzeug.test import Client

from services.classifier.service import ClassifierService
from services.common.errors import InvalidArgument, NotFound
from services.common.health import HealthServer, health_app
from services.common.metrics import outcome_of
from services.common.nameko_adapter import App


def calls(method: str, outcome: str) -> float:
    labels = {"service": "classifier", "method": method, "outcome": outcome}
    return REGISTRY.get_sample_value("ladder_service_calls_total", labels) or 0.0


def duration_count(method: str) -> float:
    labels = {"service": "classifier", "method": method}
    return REGISTRY.get_sample_value("ladder_service_call_duration_seconds_count", labels) or 0.0


@pytest.fixture(scope="module")
def container() -> ServiceContainer:
    container = ServiceContainer(ClassifierService, {"AMQP_URI": "amqp://nobody@127.0.0.1:1/"})
    get_extension(container, App).setup()  # the real ClassifierApp, data files loaded
    return container


def run(container: ServiceContainer, method: str, *args) -> tuple[object, object]:
    """Run one call through the worker lifecycle; return (result, exc_info)."""
    outcome = {}

    def handle_result(worker_ctx, result, exc_info):
        outcome["result"], outcome["exc_info"] = result, exc_info
        return result, exc_info

    container.spawn_worker(get_extension(container, Rpc, method_name=method), args, {},
                           handle_result=handle_result)
    container._worker_pool.waitall()
    return outcome["result"], outcome["exc_info"]


def test_a_call_moves_the_counter_and_the_histogram(container):
    before, timed_before = calls("echo", "ok"), duration_count("echo")
    result, exc_info = run(container, "echo", "counted?")
    assert exc_info is None and result["message"] == "counted?"
    assert calls("echo", "ok") == before + 1
    assert duration_count("echo") == timed_before + 1


def test_a_refused_call_is_counted_by_its_domain_error(container):
    before = calls("classify", "invalid_argument")
    _, exc_info = run(container, "classify", {"answers": {"payment": "lots"}})
    assert isinstance(exc_info[1], InvalidArgument)
    assert calls("classify", "invalid_argument") == before + 1
    assert REGISTRY.get_sample_value("ladder_service_calls_in_progress", {"service": "classifier"}) == 0


def test_outcomes_come_from_a_fixed_set():
    assert outcome_of(None) == "ok"
    assert outcome_of(InvalidArgument.one("x", "bad")) == "invalid_argument"
    assert outcome_of(NotFound("gone")) == "not_found"
    assert outcome_of(KeyError("surprise")) == "error"


def test_without_a_port_no_server_is_started(container):
    server = get_extension(container, HealthServer)
    server.setup()
    server.start()
    assert server._socket is None and server._thread is None


# ---------------------------------------------------------------- the health endpoints


def client(ready: bool, reason: str) -> Client:
    return Client(health_app("classifier", lambda: (ready, reason)))


def test_healthz_says_alive():
    response = client(False, "connecting to the broker").get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.data) == {"status": "alive", "service": "classifier"}


@pytest.mark.parametrize(("ready", "status", "word"), [(True, 200, "ready"), (False, 503, "not ready")])
def test_readyz_follows_readiness_and_says_why(ready, status, word):
    response = client(ready, "the reason").get("/readyz")
    assert response.status_code == status
    assert json.loads(response.data) == {"status": word, "service": "classifier", "reason": "the reason"}


def test_metrics_are_in_the_prometheus_text_format(container):
    run(container, "echo", "scraped")
    response = client(True, "ok").get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.data.decode()
    assert 'ladder_service_calls_total{method="echo",outcome="ok",service="classifier"}' in text
    assert "ladder_service_call_duration_seconds_bucket" in text


def test_other_paths_and_methods_are_refused():
    assert client(True, "ok").get("/v1/anything").status_code == 404
    assert client(True, "ok").post("/readyz").status_code == 405
