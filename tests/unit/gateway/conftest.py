"""Gateway unit tests: the real gateway code over the in-process client (the embedded
mode). No broker, no network beyond loopback. Failure paths use small fake clients that
raise what a real client raises: the rule is to fake only what lies outside the gateway."""

from __future__ import annotations

import pytest

from gateway.api import LadderApi
from gateway.clients.inprocess import InProcessClient


@pytest.fixture(scope="session")
def in_process_client() -> InProcessClient:
    return InProcessClient()


@pytest.fixture(scope="session")
def api(in_process_client) -> LadderApi:
    return LadderApi(in_process_client)
