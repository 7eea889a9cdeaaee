"""Conversions for the recommender."""

from __future__ import annotations

from typing import Any

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
from ladder.v1 import recommender_pb2

from gateway.convert.classifier import classify_response
from gateway.convert.common import rung_from_json, rung_to_json, set_if_given

_OPTIONAL_NUMBERS = ("limit", "budget_gbp", "weeks", "participants", "payment_rate_gbp_per_hour")


def _enum_to_json(enum: EnumTypeWrapper, prefix: str, value: int) -> str | None:
    """ACCESS_NEED_EASY_READ -> "easy-read"; 0 -> None (unset); an unknown number -> its
    digits, which validation then rejects by name."""
    if value == 0:
        return None
    try:
        name = enum.Name(value)
    except ValueError:
        return str(value)
    return name.removeprefix(prefix).lower().replace("_", "-")


def _enum_from_json(enum: EnumTypeWrapper, prefix: str, value: str) -> int:
    return enum.Value(prefix + value.upper().replace("-", "_"))


def _many_to_json(enum: EnumTypeWrapper, prefix: str, values: Any) -> list[str]:
    # An unset (0) entry in a list is sent on as "0", so validation names it.
    return [_enum_to_json(enum, prefix, v) or "0" for v in values]


def recommend_request(message: recommender_pb2.RecommendRequest) -> dict[str, Any]:
    request: dict[str, Any] = {}
    set_if_given(request, "current_rung", rung_to_json(message.current_rung))
    set_if_given(request, "target_rung", rung_to_json(message.target_rung))
    for field in _OPTIONAL_NUMBERS:
        if message.HasField(field):
            request[field] = getattr(message, field)
    if message.answers:
        request["answers"] = {q: list(c.options) for q, c in message.answers.items()}
    set_if_given(request, "mode", _enum_to_json(recommender_pb2.InvolvementMode,
                                                "INVOLVEMENT_MODE_", message.mode))
    if message.access_needs:
        request["access_needs"] = _many_to_json(recommender_pb2.AccessNeed, "ACCESS_NEED_",
                                                message.access_needs)
    if message.lived_experience:
        request["lived_experience"] = _many_to_json(
            recommender_pb2.LivedExperience, "LIVED_EXPERIENCE_", message.lived_experience)
    set_if_given(request, "language", message.language or None)
    return request


def recommend_response(response: dict[str, Any]) -> recommender_pb2.RecommendResponse:
    nothing = response.get("nothing_fits")
    classification = response.get("classification")
    return recommender_pb2.RecommendResponse(
        current_rung=rung_from_json(response["current_rung"]),
        target_rung=rung_from_json(response["target_rung"]),
        payment_rate_gbp_per_hour=response["payment_rate_gbp_per_hour"],
        recommendations=[_recommendation(r) for r in response["recommendations"]],
        plan=[
            recommender_pb2.PlanStep(
                rung=rung_from_json(s["rung"]),
                method_ids=s["method_ids"],
                why=s["why"],
                estimated_cost_gbp=s["estimated_cost_gbp"],
                weeks=s["weeks"],
                starts_week=s["starts_week"],
            )
            for s in response["plan"]
        ],
        organisation_actions=[
            recommender_pb2.OrganisationAction(
                piece=_enum_from_json(recommender_pb2.JigsawPiece, "JIGSAW_PIECE_", a["piece"]),
                action=a["action"],
                rung=rung_from_json(a["rung"]),
                sources=a["sources"],
            )
            for a in response["organisation_actions"]
        ],
        nothing_fits=recommender_pb2.NothingFits(
            reasons=nothing["reasons"],
            what_would_change_it=nothing["what_would_change_it"],
            excluded=[
                recommender_pb2.ConstraintExclusion(constraint=x["constraint"], methods=x["methods"])
                for x in nothing["excluded"]
            ],
            methods_reaching_target=nothing["methods_reaching_target"],
        ) if nothing else None,
        classification=classify_response(classification).classification if classification else None,
    )


def _recommendation(r: dict[str, Any]) -> recommender_pb2.Recommendation:
    method = r["method"]
    return recommender_pb2.Recommendation(
        method=recommender_pb2.Method(
            id=method["id"],
            name=method["name"],
            summary=method["summary"],
            rungs=[rung_from_json(x) for x in method["rungs"]],
            modes=[_enum_from_json(recommender_pb2.InvolvementMode, "INVOLVEMENT_MODE_", m)
                   for m in method["modes"]],
            when_not_to_use=method["when_not_to_use"],
            sources=method["sources"],
        ),
        reasons=r["reasons"],
        score=r["score"],
        trade_offs=r["trade_offs"],
        weeks=r["weeks"],
        estimated_cost=recommender_pb2.EstimatedCost(
            total_gbp=r["estimated_cost"]["total_gbp"],
            items=[recommender_pb2.CostItem(item=i["item"], gbp=i["gbp"])
                   for i in r["estimated_cost"]["items"]],
        ),
    )
