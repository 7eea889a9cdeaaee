"""Hostile input from the OpenAPI document itself: schemathesis generates requests for
every operation (valid and invalid) and the gateway must never answer 5xx.

Runs in process (ASGI, embedded mode, with a real guard and an admin key), bounded in
examples per operation so the tier stays fast."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gateway.api import LadderApi
from gateway.auth import Authenticator, Guard, KeyRing, Permission, new_key
from gateway.clients.inprocess import InProcessClient
from gateway.http_api import create_app
from gateway.rate_limit import RateLimiter
from services.classifier.app import ClassifierApp
from services.classifier.projects import ProjectStore
from services.common.database import create_engine

TOKEN, STORED = new_key("fuzz-org", {Permission.ADMIN}, rate_per_minute=1_000_000)
DATABASE = Path(tempfile.mkdtemp(prefix="ladder-fuzz-")) / "ladder.sqlite3"
CLASSIFIER = ClassifierApp(store=ProjectStore(create_engine(f"sqlite:///{DATABASE}")))
APP = create_app(
    LadderApi(InProcessClient(classifier=CLASSIFIER)), lambda: {"classifier": True}, 1_048_576,
    guard=Guard(Authenticator(KeyRing([STORED])), RateLimiter(1_000_000)),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_gateway_fail(case):
    response = case.call(headers={"authorization": f"Bearer {TOKEN}"})
    case.validate_response(response, checks=(not_a_server_error,))
