"""Conversions for the classifier."""

from __future__ import annotations

from typing import Any

from ladder.v1 import classifier_pb2, common_pb2

from gateway.convert.common import evidence, rung_from_json, set_if_given


def classify_request(message: classifier_pb2.ClassifyRequest) -> dict[str, Any]:
    request: dict[str, Any] = {"answers": {q: list(c.options) for q, c in message.answers.items()}}
    set_if_given(request, "description", message.description or None)
    set_if_given(request, "project_id", message.project_id or None)
    return request


def classify_response(classification: dict[str, Any]) -> classifier_pb2.ClassifyResponse:
    return classifier_pb2.ClassifyResponse(classification=classification_message(classification))


def classification_message(c: dict[str, Any]) -> classifier_pb2.Classification:
    return classifier_pb2.Classification(
        project_id=c.get("project_id") or "",
        assessment_id=c.get("assessment_id") or 0,
        rung=rung_from_json(c["rung"]),
        confidence=c["confidence"],
        # Sub-messages as dicts of their fields (see convert.common.evidence).
        scores=[{"rung": rung_from_json(s["rung"]), "score": s["score"]} for s in c["scores"]],
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
    )


_SCIE_VALUES = {name.removeprefix("SCIE_VALUE_").lower(): number
                for name, number in classifier_pb2.ScieValue.items()}


def scie_value(name: str) -> int:
    return _SCIE_VALUES[name]


def value_evidence(v: dict[str, Any]) -> dict[str, Any]:
    return {"value": scie_value(v["value"]), "evidenced": v["evidenced"], "signals": v["signals"],
            "step": v.get("step") or ""}


def frameworks_response(f: dict[str, Any]) -> classifier_pb2.GetFrameworksResponse:
    return classifier_pb2.GetFrameworksResponse(
        version=f["version"],
        frameworks=[
            classifier_pb2.FrameworkDefinition(
                id=x["id"], name=x["name"], source_ids=x["source_ids"],
                rungs=[classifier_pb2.FrameworkRung(**r) for r in x["rungs"]],
            )
            for x in f["frameworks"]
        ],
        crosswalk=[
            classifier_pb2.CrosswalkEntry(rung=rung_from_json(e["rung"]), arnstein=e["arnstein"],
                                          iap2=e["iap2"], why=e["why"])
            for e in f["crosswalk"]
        ],
        crosswalk_note=f["crosswalk_note"],
        values=[
            classifier_pb2.ValueDefinition(value=scie_value(v["value"]), name=v["name"], meaning=v["meaning"],
                                           step=v["step"], source_ids=v["source_ids"])
            for v in f["values"]
        ],
        sources=[classifier_pb2.Source(**s) for s in f["sources"]],
    )


def framework_placement(f: dict[str, Any]) -> dict[str, Any]:
    return {"framework": f["framework"], "framework_name": f["framework_name"], "rungs": f["rungs"],
            "crosswalk_judgement": f["crosswalk_judgement"], "note": f["note"]}


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


def stored_classification(entry: dict[str, Any]) -> classifier_pb2.StoredClassification:
    stored = classifier_pb2.StoredClassification(
        project_id=entry["project_id"], assessment_id=entry["assessment_id"],
        classification=classification_message(entry["classification"]),
    )
    stored.assessed_at.FromJsonString(entry["assessed_at"])
    return stored


def project_response(entry: dict[str, Any]) -> classifier_pb2.GetProjectResponse:
    return classifier_pb2.GetProjectResponse(latest=stored_classification(entry))


def history_response(history: dict[str, Any]) -> classifier_pb2.ListProjectHistoryResponse:
    return classifier_pb2.ListProjectHistoryResponse(
        entries=[stored_classification(entry) for entry in history["entries"]]
    )


def batch_item_error(code: str, message: str,
                     violations: list[dict[str, str]]) -> classifier_pb2.ItemError:
    return classifier_pb2.ItemError(code=code, message=message, field_violations=[
        classifier_pb2.FieldViolation(field=v["field"], description=v["description"])
        for v in violations
    ])
