"""API keys for tests that start a gateway process: a keys file and the tokens."""

from __future__ import annotations

from pathlib import Path

from gateway.auth import Permission, add_to_keys_file, new_key


def admin_key(directory: Path, organisation: str = "test-org") -> tuple[dict[str, str], str]:
    """(environment for the gateway, the bearer token): an admin key with no rate limit to
    speak of, in a keys file of its own under `directory`."""
    keys_file = directory / "api-keys.json"
    token, stored = new_key(organisation, {Permission.ADMIN}, name="tests",
                            rate_per_minute=1_000_000)
    add_to_keys_file(keys_file, stored)
    return {"LADDER_API_KEYS_FILE": str(keys_file)}, token


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}
