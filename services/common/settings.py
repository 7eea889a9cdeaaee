"""Typed settings from the environment, validated at start-up.

Every variable has a safe local default, so `make run` needs none. Names are listed in
the README. They carry a LADDER_ prefix, except AMQP_URI, which is the name nameko and
most RabbitMQ tooling already use.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Mode(StrEnum):
    AUTO = "auto"  # bus when a broker answers at AMQP_URI, otherwise embedded
    BUS = "bus"  # services are separate processes on RabbitMQ
    EMBEDDED = "embedded"  # one process, domain code called in process, no broker


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LADDER_", extra="ignore", frozen=True)

    amqp_uri: str = Field(
        default="amqp://guest:guest@localhost:5672/",
        validation_alias=AliasChoices("AMQP_URI", "LADDER_AMQP_URI"),
        description="RabbitMQ connection URI (vhost included).",
    )
    mode: Mode = Field(default=Mode.AUTO, description="auto, bus or embedded.")
    host: str = Field(default="127.0.0.1", description="Address the gateway listens on.")
    grpc_port: int = Field(default=50051, ge=1, le=65535, description="gRPC port.")
    http_port: int = Field(default=8080, ge=1, le=65535, description="HTTP/JSON port.")
    service_http_port: int = Field(
        default=8000, ge=0, le=65535,
        description="Port of a service process's health and metrics endpoints (0: none).",
    )
    rpc_timeout_seconds: float = Field(
        default=5.0, gt=0, le=120, description="Deadline for one call to a service."
    )
    rpc_pool_size: int = Field(
        default=8, ge=1, le=256,
        description="Bus proxies in the gateway's pool; also its worker threads.",
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, le=16_777_216,
        description="Largest request body (HTTP) or message (gRPC) accepted.",
    )
    database_url: str = Field(
        default="sqlite:///var/ladder.sqlite3",
        description=(
            "Where stored data lives: sqlite:///path (relative to the working directory) "
            "or postgresql://user:password@host:5432/db."
        ),
    )
    api_keys_file: str = Field(
        default="var/api-keys.json",
        description="The gateway's API keys (hashes only), made by `python -m gateway.keys create`.",
    )
    jwt_issuer: str | None = Field(
        default=None, description="Accept JWTs from this issuer (with the audience and keys below)."
    )
    jwt_audience: str | None = Field(default=None, description="The audience JWTs must name.")
    jwt_public_keys_file: str | None = Field(
        default=None, description="PEM public key(s) or a JWKS document that sign accepted JWTs."
    )
    jwt_organisation_claim: str = Field(default="org", description="JWT claim naming the organisation.")
    jwt_permissions_claim: str = Field(
        default="scope", description="JWT claim listing permissions (space-separated or a list)."
    )
    description_retention_days: int = Field(
        default=90, ge=0, le=3650,
        description=(
            "Days a stored project's description is kept (what was concluded is kept); "
            "0: descriptions are never stored."
        ),
    )
    demo_key: str = Field(
        default="",
        description=(
            "A publishable key (recommend and classify, limited to the gateway's own origin) "
            "that the demo page at / uses; `make run` makes one. Empty: the page has none."
        ),
    )
    rate_limit_per_minute: int = Field(
        default=600, ge=1, le=1_000_000,
        description="Requests a minute per credential, unless the key sets its own.",
    )
    shutdown_delay_seconds: float = Field(
        default=0.0, ge=0, le=60,
        description=(
            "Gateway: seconds it keeps serving after SIGTERM while reporting not ready, so "
            "load balancers that poll readiness stop sending work first (in Kubernetes the "
            "preStop sleep does this; leave 0)."
        ),
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    payment_rate_gbp_per_hour: float = Field(
        default=25.0, ge=0, le=200,
        description=(
            "Recommender: what participants are paid per hour of their time when a request "
            "does not say. 25 follows NIHR's payment guidance for researchers and professionals "
            "(https://www.nihr.ac.uk/documents/payment-guidance-for-researchers-and-professionals/27392)."
        ),
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return upper

    @field_validator("amqp_uri")
    @classmethod
    def _amqp_scheme(cls, value: str) -> str:
        if not value.startswith(("amqp://", "amqps://")):
            raise ValueError("must start with amqp:// or amqps://")
        return value

    @field_validator("replica_id")
    @classmethod
    def _queue_name_part(cls, value: str) -> str:
        # It becomes part of a RabbitMQ queue name, and people read it in the management UI.
        if value and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", value):
            raise ValueError(
                "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _database_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgres://", "postgresql+pg8000://")):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    # Web pages on these origins may call the HTTP API from a browser (the widget embedded
    # in a portal). Comma-separated, e.g. "https://intranet.example.org,https://portal.example".
    # NoDecode: read as plain text, not as JSON, which pydantic-settings expects for lists.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description=(
            "Origins (scheme://host[:port]) whose pages may call the HTTP API from a "
            "browser, comma-separated. Default: none (same-origin pages need none)."
        ),
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        origins = tuple(part.strip() for part in value.split(",") if part.strip())
        for origin in origins:
            parts = urlsplit(origin)
            if origin == "*":
                raise ValueError("'*' is not allowed: list each origin that may call the API")
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ValueError(f"{origin!r} is not an origin like https://portal.example.org")
            if parts.path or parts.query or parts.fragment or parts.username:
                raise ValueError(f"{origin!r}: an origin has no path, query or user, not even '/'")
        return origins


    @model_validator(mode="after")
    def _jwt_all_or_nothing(self) -> Settings:
        given = [self.jwt_issuer, self.jwt_audience, self.jwt_public_keys_file]
        if any(given) and not all(given):
            raise ValueError(
                "set all of LADDER_JWT_ISSUER, LADDER_JWT_AUDIENCE and "
                "LADDER_JWT_PUBLIC_KEYS_FILE, or none"
            )
        return self

    # The matcher.
    postcode_file: Path | None = Field(
        default=None,
        description=(
            "CSV of UK postcodes for the matcher: the ONS Postcode Directory (columns pcds, "
            "lat, long) or postcode districts (columns postcode, latitude, longitude). Unset: "
            "places are given as latitude and longitude only."
        ),
    )
    directory_sync_seconds: float = Field(
        default=5.0, ge=0.5, le=3600,
        description=(
            "Matcher: how often each replica checks the directory's change log for changes "
            "no event announced (an event lost while the broker was down): the longest a "
            "replica can lag behind the database."
        ),
    )
    replica_id: str = Field(
        default="",
        description=(
            "Matcher: this replica's name for its durable event queue (letters, digits, "
            "'.', '_', '-'; unique per replica). Empty: host name and process id, unique on "
            "a host (the pod name on Kubernetes)."
        ),
    )
    demo_directory: bool = Field(
        default=True,
        description=(
            "Load the fictional demo directory at start (true), or remove it (false): set "
            "false when the directory holds real groups."
        ),
    )


class SettingsError(SystemExit):
    """Raised at start-up for a bad environment variable; exits with a clear message."""


def load_settings() -> Settings:
    """Read and validate settings; on a bad value, exit naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        lines = ["Ladder cannot start: bad configuration."]
        for problem in error.errors():
            name = _variable_name(problem["loc"])
            lines.append(f"  {name}={problem.get('input')!r}: {problem['msg']}")
        raise SettingsError("\n".join(lines)) from None


def _variable_name(loc: tuple) -> str:
    field = str(loc[0]) if loc else "?"
    if field in {"AMQP_URI", "LADDER_AMQP_URI", "amqp_uri"}:
        return "AMQP_URI"
    return field if field.isupper() else f"LADDER_{field.upper()}"
