"""Credentials: API keys (hashed at rest), publishable keys, JWTs; and rate limits."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.auth import (
    Authenticator,
    JwtSettings,
    JwtVerifier,
    KeyRing,
    KeysFileError,
    Permission,
    PermissionDenied,
    Unauthenticated,
    add_to_keys_file,
    load_public_keys,
    new_key,
    read_keys_file,
)
from gateway.keys import main as keys_cli
from gateway.rate_limit import RateLimited, RateLimiter


@pytest.fixture
def keys_file(tmp_path):
    return tmp_path / "keys.json"


def test_a_key_authenticates_as_its_organisation_and_only_its_hash_is_stored(keys_file):
    token, stored = new_key("org-a", {Permission.CLASSIFY}, name="grant portal")
    add_to_keys_file(keys_file, stored)
    assert token.split("_", 2)[2] not in keys_file.read_text()  # the secret (may hold "_") is not at rest
    principal = Authenticator(KeyRing.load(keys_file)).authenticate(f"Bearer {token}")
    assert principal.organisation_id == "org-a"
    assert principal.allows(Permission.CLASSIFY) and not principal.allows(Permission.MATCH)
    principal.require(Permission.CLASSIFY)
    with pytest.raises(PermissionDenied, match="does not allow match"):
        principal.require(Permission.MATCH)


@pytest.mark.parametrize("header, problem", [
    (None, "send a credential"),
    ("", "send a credential"),
    ("Basic abc", "Bearer scheme"),
    ("Bearer ", "Bearer scheme"),
    ("Bearer ldr_short", "malformed"),
    ("Bearer something-else", "neither an API key"),
])
def test_missing_or_malformed_credentials_are_unauthenticated(header, problem):
    with pytest.raises(Unauthenticated, match=problem):
        Authenticator(KeyRing([])).authenticate(header)


def test_a_tampered_or_unknown_key_is_refused(keys_file):
    token, stored = new_key("org-a", {Permission.CLASSIFY})
    ring = KeyRing([stored])
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(Unauthenticated, match="not valid"):
        ring.authenticate(tampered)
    other_token, _ = new_key("org-a", {Permission.CLASSIFY})
    with pytest.raises(Unauthenticated, match="not valid"):
        ring.authenticate(other_token)


def test_admin_allows_everything():
    _, stored = new_key("org-a", {Permission.ADMIN})
    assert all(stored.principal().allows(p) for p in Permission)


def test_a_publishable_key_recommends_only_and_only_from_its_origins():
    _, stored = new_key("org-a", {Permission.RECOMMEND}, publishable=True,
                        origins={"https://intranet.example.org"})
    principal = stored.principal()
    principal.require(Permission.RECOMMEND, origin="https://intranet.example.org")
    with pytest.raises(PermissionDenied, match="origins"):
        principal.require(Permission.RECOMMEND, origin="https://evil.example")
    with pytest.raises(PermissionDenied, match="origins"):
        principal.require(Permission.RECOMMEND, origin=None)  # e.g. over gRPC
    with pytest.raises(PermissionDenied):
        principal.require(Permission.DIRECTORY_WRITE, origin="https://intranet.example.org")


def test_a_publishable_key_cannot_be_made_broad_or_without_origins():
    with pytest.raises(ValueError, match="only recommend and classify"):
        new_key("org-a", {Permission.MATCH}, publishable=True, origins={"https://a.example"})
    with pytest.raises(ValueError, match="at least one allowed origin"):
        new_key("org-a", {Permission.RECOMMEND}, publishable=True)


def test_a_bad_keys_file_names_the_entry(keys_file):
    _, stored = new_key("org-a", {Permission.CLASSIFY})
    entry = stored.model_dump(mode="json")
    entry["permissions"] = ["classify", "fly"]
    keys_file.write_text(json.dumps({"keys": [entry]}))
    with pytest.raises(KeysFileError, match=r"keys\[0\]\.permissions"):
        read_keys_file(keys_file)
    keys_file.write_text("{not json")
    with pytest.raises(KeysFileError, match="cannot read"):
        read_keys_file(keys_file)


def test_the_cli_prints_a_key_once_that_then_works(keys_file, capsys):
    assert keys_cli(["create", "--organisation", "org-b", "--permission", "match",
                     "--permission", "recommend", "--file", str(keys_file)]) == 0
    token = capsys.readouterr().out.strip()
    principal = KeyRing.load(keys_file).authenticate(token)
    assert principal.organisation_id == "org-b"
    assert principal.permissions == {Permission.MATCH, Permission.RECOMMEND}
    assert (keys_file.stat().st_mode & 0o777) == 0o600


def test_the_cli_refuses_a_bad_organisation_id(keys_file, capsys):
    assert keys_cli(["create", "--organisation", "not ok!", "--permission", "match",
                     "--file", str(keys_file)]) == 2
    assert "organisation_id" in capsys.readouterr().err
    assert not keys_file.exists()


# --- JWTs, with a key pair made for the test

@pytest.fixture(scope="module")
def key_pair(tmp_path_factory):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path_factory.mktemp("jwt") / "idp.pem"
    path.write_bytes(pem)
    return private, path


def verifier(path) -> JwtVerifier:
    return JwtVerifier(JwtSettings(issuer="https://idp.example", audience="ladder",
                                   public_keys=load_public_keys(path)))


def token(private, **overrides) -> str:
    claims = {"iss": "https://idp.example", "aud": "ladder", "sub": "user-7", "org": "org-a",
              "scope": "classify recommend", "exp": int(time.time()) + 300, **overrides}
    return jwt.encode(claims, private, algorithm="RS256")


def test_a_valid_jwt_gives_its_organisation_and_scopes(key_pair):
    private, path = key_pair
    principal = Authenticator(KeyRing([]), verifier(path)).authenticate(f"Bearer {token(private)}")
    assert principal.organisation_id == "org-a"
    assert principal.permissions == {Permission.CLASSIFY, Permission.RECOMMEND}
    assert principal.subject == "jwt:https://idp.example#user-7"


@pytest.mark.parametrize("overrides, problem", [
    ({"exp": int(time.time()) - 3600}, "expired"),
    ({"aud": "someone-else"}, "(?i)audience"),
    ({"iss": "https://other-idp.example"}, "(?i)issuer"),
    ({"org": None}, "'org' claim"),
])
def test_a_jwt_that_is_expired_or_for_someone_else_is_refused(key_pair, overrides, problem):
    private, path = key_pair
    claims = {k: v for k, v in overrides.items() if v is not None}
    bad = token(private, **claims)
    if overrides.get("org", "") is None:
        payload = jwt.decode(bad, options={"verify_signature": False})
        payload.pop("org")
        bad = jwt.encode(payload, private, algorithm="RS256")
    with pytest.raises(Unauthenticated, match=problem):
        Authenticator(KeyRing([]), verifier(path)).authenticate(f"Bearer {bad}")


def test_a_jwt_signed_by_another_key_is_refused(key_pair):
    _, path = key_pair
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated, match="signature"):
        Authenticator(KeyRing([]), verifier(path)).authenticate(f"Bearer {token(stranger)}")


def test_an_unsigned_jwt_is_refused(key_pair):
    _, path = key_pair
    unsigned = jwt.encode({"iss": "https://idp.example", "aud": "ladder", "sub": "x", "org": "org-a",
                           "exp": int(time.time()) + 60}, key=None, algorithm="none")
    with pytest.raises(Unauthenticated):
        Authenticator(KeyRing([]), verifier(path)).authenticate(f"Bearer {unsigned}")


# --- rate limits

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_rate_then_refused_with_a_retry_hint_then_refilled():
    clock = Clock()
    limiter = RateLimiter(default_per_minute=60, clock=clock)
    for _ in range(60):
        limiter.check("key:a")
    with pytest.raises(RateLimited) as refused:
        limiter.check("key:a")
    assert refused.value.retry_after_seconds == 1
    limiter.check("key:b")  # another credential has its own bucket
    clock.now += 1.0
    limiter.check("key:a")  # one more token a second at 60 a minute


def test_a_key_with_its_own_rate_uses_it():
    clock = Clock()
    limiter = RateLimiter(default_per_minute=1000, clock=clock)
    for _ in range(3):
        limiter.check("key:slow", per_minute=3)
    with pytest.raises(RateLimited) as refused:
        limiter.check("key:slow", per_minute=3)
    assert refused.value.retry_after_seconds == 20
