"""Small fakes for what lies outside the code under test (see tests/README.md)."""

from __future__ import annotations

from typing import Any


class RaisingClient:
    """A service client standing in for a bus that fails in a given way."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def call(self, service: str, method: str, payload: Any) -> Any:
        raise self.error

    def close(self) -> None:
        pass
