"""`make run` makes development keys once, keeps them, and they work."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gateway.auth import KeyRing, Permission, PermissionDenied
from services.common.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[3]


def launch_module():
    spec = importlib.util.spec_from_file_location("launch", REPO_ROOT / "deploy" / "local" / "launch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_development_keys_are_made_once_and_work(tmp_path):
    launch = launch_module()
    settings = Settings(api_keys_file=str(tmp_path / "var" / "api-keys.json"), http_port=8123)
    admin, demo = launch.development_keys(settings)
    assert launch.development_keys(settings) == (admin, demo)  # kept, not remade
    ring = KeyRing.load(tmp_path / "var" / "api-keys.json")
    assert len(ring) == 2
    assert ring.authenticate(admin).allows(Permission.DIRECTORY_WRITE)
    page = ring.authenticate(demo)
    page.require(Permission.CLASSIFY, origin="http://127.0.0.1:8123")
    with pytest.raises(PermissionDenied):
        page.require(Permission.CLASSIFY, origin="http://elsewhere.example")
    assert ((tmp_path / "var" / "dev-api-key").stat().st_mode & 0o777) == 0o600


def test_a_new_port_gets_a_demo_key_that_covers_it(tmp_path):
    launch = launch_module()
    keys_file = str(tmp_path / "api-keys.json")
    admin, first = launch.development_keys(Settings(api_keys_file=keys_file, http_port=8123))
    again, second = launch.development_keys(Settings(api_keys_file=keys_file, http_port=9000))
    assert again == admin and second != first
    KeyRing.load(Path(keys_file)).authenticate(second).require(
        Permission.RECOMMEND, origin="http://localhost:9000")
