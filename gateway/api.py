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
from services.common.rungs import Rung
from services.common.validation import parse
from services.matcher.schema import MatchRequest
from services.recommender.schema import NO_START, RecommendRequest


class EchoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str
    message: str = Field(default="", max_length=1000)


class LadderApi:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def classify(self, request: ClassifyRequest | dict[str, Any]) -> dict[str, Any]:
        return self._call("classifier", "classify", _valid(ClassifyRequest, request))

    def questionnaire(self) -> dict[str, Any]:
        return self.client.call("classifier", "get_questionnaire", {})

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

    def echo(self, request: EchoRequest | dict[str, Any]) -> dict[str, Any]:
        parsed = _valid(EchoRequest, request)
        if parsed.service not in SERVICE_NAMES:
            raise InvalidArgument.one("service", f"must be one of {', '.join(SERVICE_NAMES)}")
        return self.client.call(parsed.service, "echo", parsed.message)

    def _call(self, service: str, method: str, request: BaseModel) -> dict[str, Any]:
        return self.client.call(service, method, request.model_dump(mode="json", exclude_none=True))


def _valid(model: type[BaseModel], request: Any) -> Any:
    return request if isinstance(request, model) else parse(model, request)
