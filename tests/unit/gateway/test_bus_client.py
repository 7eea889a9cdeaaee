"""The bus client's process-wide settings for kombu."""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder

from kombu import Connection

import gateway.clients.bus  # noqa: F401  (the import under test)


class RecordingFinder(MetaPathFinder):
    """Notes every module the import system goes looking for, and finds none."""

    def __init__(self) -> None:
        self.sought: list[str] = []

    def find_spec(self, fullname, path, target=None):  # noqa: ANN001, ANN201
        self.sought.append(fullname)
        return None


def test_making_a_connection_does_not_search_the_import_path():
    # nameko makes a Connection on every publish; kombu's librabbitmq probe used to
    # search sys.path each time (see gateway/clients/bus.py).
    uri = "amqp://guest:guest@localhost:5672/"
    Connection(uri)  # the first one imports kombu's transport modules, once
    finder = RecordingFinder()
    sys.meta_path.insert(0, finder)
    try:
        Connection(uri)
    finally:
        sys.meta_path.remove(finder)
    assert finder.sought == []
