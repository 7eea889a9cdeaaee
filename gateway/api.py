"""What the gateway offers, whatever the protocol: validate, then call the service.

Both the gRPC and the HTTP adapters call this, so a request is valid or invalid in the
same way on both, checked by the same pydantic models the services use; bad input is
refused here, before it costs a trip over the bus.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import PermissionDenied, Unauthenticated, principal_var
from gateway.clients.base import SERVICE_NAMES, ServiceClient
from services.classifier.schema import ClassifyRequest, ProjectHistoryRequest, ProjectRequest
from services.common.errors import InvalidArgument
from services.common.rungs import Rung
from services.common.validation import parse
from services.matcher.schema import (
    ExportRequest,
    ImportRequest,
    MatchRequest,
    OrganizationRef,
    PutOrganizationRequest,
)
from services.recommender.schema import NO_START, RecommendRequest


class EchoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str
    message: str = Field(default="", max_length=1000)


class LadderApi:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def classify(self, request: ClassifyRequest | dict[str, Any]) -> dict[str, Any]:
        parsed = _valid(ClassifyRequest, request)
        payload = parsed.model_dump(mode="json", exclude_none=True)
        if parsed.project_id is not None:
            # The organisation is the credential's, never the request's: tenants cannot
            # write into each other's projects by naming them.
            payload["organisation_id"] = _organisation_for_projects()
        return self.client.call("classifier", "classify", payload)

    def project(self, project_id: str) -> dict[str, Any]:
        return self._project_call("project", ProjectRequest, {"project_id": project_id})

    def project_history(self, project_id: str, limit: int = 50) -> dict[str, Any]:
        return self._project_call("project_history", ProjectHistoryRequest,
                                  {"project_id": project_id, "limit": limit})

    def delete_project(self, project_id: str) -> dict[str, Any]:
        return self._project_call("delete_project", ProjectRequest, {"project_id": project_id})

    def _project_call(self, method: str, model: type[BaseModel], request: dict[str, Any]) -> dict[str, Any]:
        payload = {**request, "organisation_id": _organisation_for_projects()}
        return self.client.call("classifier", method, _valid(model, payload).model_dump(mode="json"))

    def questionnaire(self) -> dict[str, Any]:
        return self.client.call("classifier", "get_questionnaire", {})

    def frameworks(self) -> dict[str, Any]:
        return self.client.call("classifier", "get_frameworks", {})

    def recommend(self, request: RecommendRequest | dict[str, Any]) -> dict[str, Any]:
        """Recommend; with answers and no current_rung, classify first (an inline
        assessment) and pass the rung on. If both are given, current_rung wins and the
        answers are not assessed."""
        parsed = _valid(RecommendRequest, request)
        if parsed.missing_start():
            raise InvalidArgument.one("current_rung", NO_START)
        classification = None
        if parsed.current_rung is None:
            # Same field paths as in this request: "answers.payment" names the bad answer.
            assessment = _valid(ClassifyRequest, {"answers": parsed.answers})
            classification = self._call("classifier", "classify", assessment)
            assessed = Rung(classification["rung"])
            if parsed.target_rung is not None and parsed.target_rung < assessed:
                raise InvalidArgument.one("target_rung", (
                    f"{parsed.target_rung.value!r} is below {assessed.value!r}, where your "
                    f"answers place the project; aim at {assessed.value!r} or above"
                ))
            parsed = parsed.model_copy(update={"current_rung": assessed})
        forwarded = parsed.model_dump(mode="json", exclude_none=True, exclude={"answers"})
        answer = self.client.call("recommender", "recommend", forwarded)
        if classification is not None:
            answer["classification"] = classification
        return answer

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


def _organisation_for_projects() -> str:
    principal = principal_var.get()
    if principal is None:
        raise Unauthenticated("stored projects need a credential that names an organisation")
    if principal.publishable:
        raise PermissionDenied("stored projects need a secret key, not a publishable one")
    return principal.organisation_id


def _valid(model: type[BaseModel], request: Any) -> Any:
    return request if isinstance(request, model) else parse(model, request)
