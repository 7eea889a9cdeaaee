"""What the gateway offers, whatever the protocol: validate, then call the service.

Both the gRPC and the HTTP adapters call this, so a request is valid or invalid in the
same way on both, checked by the same pydantic models the services use; bad input is
refused here, before it costs a trip over the bus.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gateway.clients.base import SERVICE_NAMES, ServiceClient
from services.classifier.schema import ClassifyRequest
from services.common.errors import InvalidArgument
from services.common.validation import parse
from services.matcher.schema import (
    ExportRequest,
    ImportRequest,
    MatchRequest,
    OrganizationRef,
    PutOrganizationRequest,
)
from services.recommender.schema import RecommendRequest


class EchoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str
    message: str = Field(default="", max_length=1000)


class LadderApi:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def classify(self, request: ClassifyRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("classifier", "classify", _valid(ClassifyRequest, request))

    def recommend(self, request: RecommendRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("recommender", "recommend", _valid(RecommendRequest, request))

    def match(self, request: MatchRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("matcher", "match", _valid(MatchRequest, request))

    def put_organization(self, request: PutOrganizationRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("matcher", "put_organization", _valid(PutOrganizationRequest, request))

    def delete_organization(self, request: OrganizationRef | dict[str, Any]) -> dict[str, Any]:
        return self._call("matcher", "delete_organization", _valid(OrganizationRef, request))

    def import_directory(self, request: ImportRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("matcher", "import_directory", _valid(ImportRequest, request))

    def export_directory(self, request: ExportRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("matcher", "export_directory", _valid(ExportRequest, request))

    def echo(self, request: EchoRequest | dict[str, Any]) -> dict[str, Any]:
        parsed = _valid(EchoRequest, request)
        if parsed.service not in SERVICE_NAMES:
            raise InvalidArgument.one("service", f"must be one of {', '.join(SERVICE_NAMES)}")
        return self.client.call(parsed.service, "echo", parsed.message)

    def _call(self, service: str, method: str, request: BaseModel) -> dict[str, Any]:
        return self.client.call(service, method, request.model_dump(mode="json", exclude_none=True))


def _valid(model: type[BaseModel], request: Any) -> Any:
    return request if isinstance(request, model) else parse(model, request)
