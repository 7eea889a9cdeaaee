"""Who is calling, for which organisation, allowed to do what.

Two kinds of credential, both sent as `authorization: Bearer <token>` (gRPC metadata or
HTTP header):

- **API keys** for client systems: `ldr_<key id>_<secret>`. Only the SHA-256 of the secret
  is stored (in the keys file, `LADDER_API_KEYS_FILE`; `python -m gateway.keys` makes
  them). The secret is 256 random bits, so a fast hash is enough: there is nothing to
  guess, and comparing in constant time leaks nothing. A key belongs to one organisation
  and carries permissions. A *publishable* key (for the widget, whose page anyone can
  read) may only recommend, and only from the browser origins listed on it.
- **JWTs** from an intranet's identity provider, when configured: signature (RS256 or
  ES256, public keys from a file), issuer, audience and expiry are checked; the
  organisation and permissions come from claims.

Everything here is transport-free; the gRPC and HTTP adapters call `Authenticator`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from services.common.errors import LadderError


class Unauthenticated(LadderError):
    """No credential, or one that is not valid."""


class PermissionDenied(LadderError):
    """A valid credential that does not allow this."""


class Permission(StrEnum):
    CLASSIFY = "classify"  # classify, read the questionnaire, store and read own projects
    RECOMMEND = "recommend"
    MATCH = "match"  # match and read the directory
    DIRECTORY_WRITE = "directory:write"
    ADMIN = "admin"  # everything


# What a key that sits in a web page (and so is public) may do: the widget's key recommends
# only; a demo portal's may also classify. Neither can store or read projects.
PUBLISHABLE_PERMISSIONS = frozenset({Permission.RECOMMEND, Permission.CLASSIFY})
KEY_PREFIX = "ldr_"
_KEY_PATTERN = re.compile(r"ldr_([a-z0-9]{12})_([A-Za-z0-9_-]{43})")
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"


@dataclass(frozen=True)
class Principal:
    """The caller, once authenticated."""

    subject: str  # "key:<id>" or "jwt:<issuer>#<sub>": also the rate-limit bucket
    organisation_id: str
    permissions: frozenset[Permission]
    rate_per_minute: int | None = None  # None: the gateway's default
    publishable: bool = False
    origins: frozenset[str] = field(default_factory=frozenset)

    def allows(self, permission: Permission) -> bool:
        return Permission.ADMIN in self.permissions or permission in self.permissions

    def require(self, permission: Permission, origin: str | None = None) -> None:
        if not self.allows(permission):
            raise PermissionDenied(f"this credential does not allow {permission.value}")
        if self.publishable and (origin is None or origin not in self.origins):
            raise PermissionDenied(
                "a publishable key works only from the web origins listed on it"
            )


class StoredKey(BaseModel):
    """One line of the keys file. Never holds the secret itself."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]{12}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the secret, hex.")
    organisation_id: str = Field(pattern=_ID_PATTERN)
    permissions: frozenset[Permission]
    name: str = Field(default="", max_length=200, description="Who or what holds the key.")
    publishable: bool = False
    origins: frozenset[str] = frozenset()
    rate_per_minute: int | None = Field(default=None, ge=1, le=1_000_000)

    @field_validator("origins")
    @classmethod
    def _origins_are_origins(cls, origins: frozenset[str]) -> frozenset[str]:
        for origin in origins:
            if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", origin):
                raise ValueError(f"{origin!r} is not an origin like https://intranet.example.org")
        return origins

    @model_validator(mode="after")
    def _publishable_keys_are_narrow(self) -> StoredKey:
        if self.publishable and not self.permissions <= PUBLISHABLE_PERMISSIONS:
            raise ValueError("a publishable key may only recommend and classify")
        if self.publishable and not self.origins:
            raise ValueError("a publishable key needs at least one allowed origin")
        return self

    def principal(self) -> Principal:
        return Principal(
            subject=f"key:{self.id}",
            organisation_id=self.organisation_id,
            permissions=self.permissions,
            rate_per_minute=self.rate_per_minute,
            publishable=self.publishable,
            origins=self.origins,
        )


class KeysFileError(ValueError):
    """The keys file cannot be read or holds a bad entry; names the file and the entry."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key(organisation_id: str, permissions: set[Permission], name: str = "",
            publishable: bool = False, origins: set[str] | None = None,
            rate_per_minute: int | None = None) -> tuple[str, StoredKey]:
    """A fresh key: the token to hand over once, and what to store."""
    key_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)  # 43 characters, 256 bits
    stored = StoredKey(
        id=key_id, sha256=_digest(secret), organisation_id=organisation_id,
        permissions=frozenset(permissions), name=name, publishable=publishable,
        origins=frozenset(origins or ()), rate_per_minute=rate_per_minute,
    )
    return f"{KEY_PREFIX}{key_id}_{secret}", stored


class KeyRing:
    def __init__(self, keys: list[StoredKey]) -> None:
        self._by_id = {key.id: key for key in keys}

    def __len__(self) -> int:
        return len(self._by_id)

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        return cls(read_keys_file(path))

    def authenticate(self, token: str) -> Principal:
        match = _KEY_PATTERN.fullmatch(token)
        if match is None:
            raise Unauthenticated("the API key is malformed")
        key = self._by_id.get(match.group(1))
        # Compare even for an unknown id, so timing does not tell ids apart.
        expected = key.sha256 if key else "0" * 64
        if not hmac.compare_digest(expected, _digest(match.group(2))) or key is None:
            raise Unauthenticated("the API key is not valid")
        return key.principal()


def read_keys_file(path: Path) -> list[StoredKey]:
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8") or '{"keys": []}')
    except (OSError, json.JSONDecodeError) as error:
        raise KeysFileError(f"cannot read the keys file {path}: {error}") from None
    keys = []
    for index, entry in enumerate(data.get("keys", [])):
        try:
            keys.append(StoredKey.model_validate(entry))
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"]) or "entry"
            raise KeysFileError(
                f"{path}: keys[{index}].{where}: {problem['msg']}"
            ) from None
    return keys


def add_to_keys_file(path: Path, stored: StoredKey) -> None:
    """Append a key, replacing the file atomically (a crash leaves the old file whole)."""
    keys = read_keys_file(path)
    keys.append(stored)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"keys": [k.model_dump(mode="json") for k in keys]}, indent=2, sort_keys=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class JwtSettings:
    issuer: str
    audience: str
    public_keys: list[Any]  # loaded verification keys
    organisation_claim: str = "org"
    permissions_claim: str = "scope"  # space-separated, as OAuth scopes are
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    leeway_seconds: int = 30


def load_public_keys(path: Path) -> list[Any]:
    """PEM public keys (one or more) or a JWKS document."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        return [jwk.key for jwk in jwt.PyJWKSet.from_json(text).keys]
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    blocks = re.findall(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", text, re.S)
    if not blocks:
        raise ValueError(f"{path} holds no PEM public key and is not a JWKS document")
    return [load_pem_public_key(block.encode()) for block in blocks]


class JwtVerifier:
    def __init__(self, settings: JwtSettings) -> None:
        self.settings = settings

    def authenticate(self, token: str) -> Principal:
        s = self.settings
        claims = None
        for key in s.public_keys:
            try:
                claims = jwt.decode(
                    token, key, algorithms=list(s.algorithms), audience=s.audience, issuer=s.issuer,
                    leeway=s.leeway_seconds, options={"require": ["exp", "iss", "aud", "sub"]},
                )
                break
            except jwt.InvalidSignatureError:
                continue  # try the next key (rotation)
            except jwt.PyJWTError as error:
                raise Unauthenticated(f"the token is not valid: {error}") from None
        if claims is None:
            raise Unauthenticated("the token's signature is not valid")
        organisation = claims.get(s.organisation_claim)
        if not isinstance(organisation, str) or not re.fullmatch(_ID_PATTERN, organisation):
            raise Unauthenticated(f"the token has no usable {s.organisation_claim!r} claim")
        granted = claims.get(s.permissions_claim, "")
        names = granted.split() if isinstance(granted, str) else list(granted)
        permissions = frozenset(Permission(n) for n in names if n in Permission._value2member_map_)
        return Principal(subject=f"jwt:{s.issuer}#{claims['sub']}", organisation_id=organisation,
                         permissions=permissions)


class Authenticator:
    """From an `authorization` value to a Principal, or Unauthenticated."""

    def __init__(self, keys: KeyRing, jwt_verifier: JwtVerifier | None = None) -> None:
        self.keys = keys
        self.jwt = jwt_verifier

    def authenticate(self, authorization: str | None) -> Principal:
        if not authorization:
            raise Unauthenticated("send a credential: authorization: Bearer <API key or token>")
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("use the Bearer scheme: authorization: Bearer <API key or token>")
        if token.startswith(KEY_PREFIX):
            return self.keys.authenticate(token)
        if self.jwt is not None and token.count(".") == 2:
            return self.jwt.authenticate(token)
        raise Unauthenticated("the credential is neither an API key nor an accepted token")


# The caller of the request being handled, set by the gRPC and HTTP adapters once the
# guard has admitted it; LadderApi reads the organisation from here (tenant isolation).
principal_var: ContextVar[Principal | None] = ContextVar("principal", default=None)


class Guard:
    """Admit a request: authenticate, check the permission (and, for publishable keys, the
    web origin), then take a token from the caller's rate-limit bucket."""

    def __init__(self, authenticator: Authenticator, limiter: Any) -> None:
        self.authenticator = authenticator
        self.limiter = limiter

    def admit(self, authorization: str | None, permission: Permission, origin: str | None) -> Principal:
        principal = self.authenticator.authenticate(authorization)
        principal.require(permission, origin)
        self.limiter.check(principal.subject, principal.rate_per_minute)
        return principal
