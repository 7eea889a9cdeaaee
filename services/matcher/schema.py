"""Matcher requests and answers as JSON: the shape on the bus and in the HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from services.matcher.vocabulary import ACCESS, FOCUS, INVOLVEMENT, vocabulary

MAX_RADIUS_KM = 1000.0
MAX_ASKED = 20


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


def _known(name: str, what: str):  # noqa: ANN202 (a pydantic validator factory)
    def check(values: list[str]) -> list[str]:
        known = vocabulary().ids(name)
        for value in values:
            if value not in known:
                raise PydanticCustomError("unknown_term", "{value} is not a known {what}; known: {known}",
                                          {"value": repr(value), "what": what, "known": ", ".join(known)})
        return list(dict.fromkeys(values))

    return check


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: Location | None = Field(
        default=None, description="The organisation's place (WGS84). Give this or postcode."
    )
    postcode: str | None = Field(
        default=None,
        min_length=2,
        max_length=16,
        description="A UK postcode ('M1 1AE') or postcode district ('M1'), looked up in the "
        "operator's postcode file. Give this or location.",
    )
    radius_km: float = Field(default=25.0, gt=0, le=MAX_RADIUS_KM, description="Search radius.")
    lived_experience: list[str] = Field(
        default=[],
        max_length=MAX_ASKED,
        description="Lived experience wanted (data/vocabulary.yaml), e.g. 'autism'; groups "
        "sharing none are left out.",
    )
    involvement: list[str] = Field(
        default=[], max_length=MAX_ASKED, description="Kinds of involvement wanted, e.g. 'access-audit'."
    )
    languages: list[str] = Field(
        default=[], max_length=MAX_ASKED, description="ISO 639 codes of languages wanted, e.g. 'cy'."
    )
    access_needs: list[str] = Field(
        default=[], max_length=MAX_ASKED, description="Access needs, e.g. 'bsl', 'step-free'."
    )
    include_allies: bool = Field(
        default=False, description="Also return groups that are not user-led (allies), ranked lower."
    )
    limit: int = Field(default=10, ge=1, le=100)

    _focus = field_validator("lived_experience")(_known(FOCUS, "lived experience focus"))
    _involvement = field_validator("involvement")(_known(INVOLVEMENT, "kind of involvement"))
    _access = field_validator("access_needs")(_known(ACCESS, "access need"))

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, values: list[str]) -> list[str]:
        codes = []
        for value in values:
            code = vocabulary().language_code(value)
            if code is None:
                raise PydanticCustomError(
                    "language_code", "{value} is not a language code (ISO 639, such as 'cy')",
                    {"value": repr(value)})
            codes.append(code)
        return list(dict.fromkeys(codes))

    # One of location and postcode is needed; the matcher says so naming `location` (a
    # model-level check here could only name the whole body).


class UserLed(BaseModel):
    status: Literal["user-led", "probably-user-led", "not-user-led"]
    reasons: list[str]


class Group(BaseModel):
    id: str
    name: str
    description: str
    location: Location = Field(description="Its place nearest to the organisation.")
    website: str | None = None
    email: str | None = None
    user_led: UserLed
    lived_experience: list[str] = Field(description="The lived experience it declares.")
    involvement: list[str] = Field(description="Kinds of involvement it offers.")
    languages: list[str] = Field(description="Languages it works in (ISO 639 codes).")
    access: list[str] = Field(description="Access it offers.")
    fictional: bool = Field(description="True for invented demo records: not a real group.")


class MatchedService(BaseModel):
    id: str
    name: str
    description: str


class ScoreFactor(BaseModel):
    factor: Literal["distance", "lived_experience", "involvement", "languages", "access", "user_led"]
    score: float = Field(ge=0, le=1, description="How well the group fits on this factor.")
    weight: float = Field(ge=0, le=1, description="Its share of the overall score.")
    reason: str


class GroupMatch(BaseModel):
    group: Group
    service: MatchedService | None = Field(
        description="The service that fits best (null: the organisation lists none)."
    )
    distance_km: float
    score: float = Field(ge=0, le=1)
    factors: list[ScoreFactor]
    reasons: list[str]


class Origin(BaseModel):
    location: Location
    postcode: str | None = None
    resolved_from: str


class MatchResponse(BaseModel):
    matches: list[GroupMatch]
    origin: Origin
    notices: list[str] = Field(
        default=[], description="Things to know about the answer, e.g. that it includes fictional demo data."
    )


# -- the directory ------------------------------------------------------------------------


class OrganizationRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=200)


class PutOrganizationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=200)
    organization: dict[str, Any] = Field(
        description="The organisation as an Open Referral (HSDS 3.0) organization object, "
        "with its services, locations and attributes nested."
    )


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["hsds", "csv"] = "hsds"
    feed: Any = Field(default=None, description="For hsds: the feed (a JSON object or array).")
    content: str | None = Field(default=None, description="For csv: the file's text.")

    # feed (hsds) or content (csv) is needed; the matcher says which, naming the field.

    @field_validator("feed")
    @classmethod
    def _object_or_array(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, dict | list):
            raise PydanticCustomError(
                "feed_type", "must be a JSON object (Open Referral arrays, or an API page) or an array")
        return value


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["hsds", "csv"] = "hsds"


class Problem(BaseModel):
    pointer: str = Field(description="JSON pointer (RFC 6901) to the bad value, e.g. /organizations/3/name.")
    reason: str


class Counts(BaseModel):
    created: int
    updated: int
    unchanged: int


class ImportReport(BaseModel):
    format: Literal["hsds", "csv"]
    created: int
    updated: int
    unchanged: int
    rejected: int = Field(description="Records not stored; each problem names one and why.")
    by_kind: dict[str, Counts]
    problems: list[Problem]
    warnings: list[Problem] = Field(
        description="Stored, but worth knowing (e.g. a location that could not be placed)."
    )


class PutOrganizationResponse(BaseModel):
    result: Literal["created", "updated", "unchanged"]
    organization: dict[str, Any] = Field(description="As stored, in Open Referral JSON.")
    user_led: UserLed
    warnings: list[Problem] = []


class ExportResponse(BaseModel):
    format: Literal["hsds", "csv"]
    hsds: dict[str, Any] | None = None
    csv: str | None = None
