"""Conversions for the classifier."""

from __future__ import annotations

from typing import Any

from ladder.v1 import classifier_pb2, common_pb2

from gateway.convert.common import evidence, rung_from_json, set_if_given


def classify_request(message: classifier_pb2.ClassifyRequest) -> dict[str, Any]:
    request: dict[str, Any] = {"answers": {q: list(c.options) for q, c in message.answers.items()}}
    set_if_given(request, "description", message.description or None)
    return request


def classify_response(classification: dict[str, Any]) -> classifier_pb2.ClassifyResponse:
    c = classification
    return classifier_pb2.ClassifyResponse(classification=classifier_pb2.Classification(
        rung=rung_from_json(c["rung"]),
        confidence=c["confidence"],
        scores=[
            classifier_pb2.RungScore(rung=rung_from_json(s["rung"]), score=s["score"])
            for s in c["scores"]
        ],
        evidence=[evidence(e) for e in c["evidence"]],
        summary=c["summary"],
        next_rung=rung_from_json(c["next_rung"]),
        missing_for_next_rung=c["missing_for_next_rung"],
        unanswered=c["unanswered"],
        conflicts=[
            classifier_pb2.Conflict(
                question_ids=x["question_ids"], description=x["description"],
                span=common_pb2.TextSpan(**x["span"]) if x.get("span") else None,
            )
            for x in c["conflicts"]
        ],
        frameworks=[framework_placement(f) for f in c.get("frameworks", [])],
        values=[value_evidence(v) for v in c.get("values", [])],
    ))


def value_evidence(v: dict[str, Any]) -> classifier_pb2.ValueEvidence:
    return classifier_pb2.ValueEvidence(
        value=classifier_pb2.ScieValue.Value("SCIE_VALUE_" + v["value"].upper()),
        evidenced=v["evidenced"],
        signals=v["signals"],
        meaning=v["meaning"],
        step=v.get("step") or "",
    )


def framework_placement(f: dict[str, Any]) -> classifier_pb2.FrameworkPlacement:
    return classifier_pb2.FrameworkPlacement(
        framework=f["framework"],
        framework_name=f["framework_name"],
        rungs=[classifier_pb2.FrameworkRung(**r) for r in f["rungs"]],
        crosswalk_judgement=f["crosswalk_judgement"],
        note=f["note"],
    )


def questionnaire_response(questionnaire: dict[str, Any]) -> classifier_pb2.GetQuestionnaireResponse:
    return classifier_pb2.GetQuestionnaireResponse(
        version=questionnaire["version"],
        questions=[
            classifier_pb2.Question(
                id=q["id"], text=q["text"], help=q["help"], multiple=q["multiple"],
                options=[
                    classifier_pb2.QuestionOption(id=o["id"], label=o["label"], help=o.get("help") or "")
                    for o in q["options"]
                ],
            )
            for q in questionnaire["questions"]
        ],
    )
