"""The classifier through the gateway (HTTP and gRPC on loopback, the in-process client):
the questionnaire served for portals, and classifications carrying every field."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from fastapi.testclient import TestClient
from grpc_health.v1 import health
from ladder.v1 import classifier_pb2, classifier_pb2_grpc
from nameko.testing.services import worker_factory

from gateway.api import LadderApi
from gateway.clients.inprocess import InProcessClient
from gateway.convert.common import rung_to_json
from gateway.grpc_api import build_server, set_health
from gateway.http_api import create_app
from services.classifier.app import NOT_ENGLISH, ClassifierApp
from services.classifier.schema import Questionnaire
from services.classifier.service import ClassifierService
from tests.support.servers import free_port

LIMIT = 1_048_576


@pytest.fixture(scope="module")
def api() -> LadderApi:
    return LadderApi(InProcessClient())


@pytest.fixture(scope="module")
def http(api) -> TestClient:
    return TestClient(create_app(api, lambda: {"classifier": True}, LIMIT), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def stub(api) -> Iterator[classifier_pb2_grpc.ClassifierStub]:
    port = free_port()
    health_servicer = health.HealthServicer()
    set_health(health_servicer, {"classifier": True})
    server = build_server(api, health_servicer, f"127.0.0.1:{port}", LIMIT, workers=2)
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield classifier_pb2_grpc.ClassifierStub(channel)
    finally:
        server.stop(grace=None)


# Every topic issue 3 asks the questionnaire to cover, and the question that covers it.
ISSUE_TOPICS = {
    "when people were first involved relative to the key decisions": "first_involved",
    "who decides": "who_decides",
    "which stages": "stages",
    "one-off or ongoing": "continuity",
    "whether people hear what changed": "feedback",
    "payment": "payment",
    "expenses": "expenses",
    "shared leadership": "leadership",
    "whether taking part is compulsory": "compulsory",
    "accessibility": "accessibility",
    "diversity of who takes part": "diversity",
}


def test_the_questionnaire_covers_every_topic_the_issue_lists(http):
    body = http.get("/v1/questionnaire").json()
    ids = [q["id"] for q in body["questions"]]
    assert set(ISSUE_TOPICS.values()) <= set(ids)
    assert len(ids) == len(set(ids))


def test_the_questionnaire_has_the_agreed_shape_with_help_and_labels(http):
    response = http.get("/v1/questionnaire")
    assert response.status_code == 200
    body = response.json()
    assert Questionnaire.model_validate(body).model_dump(mode="json") == body
    assert body["version"] == "2"
    for question in body["questions"]:
        assert question["text"].endswith("?")
        assert len(question["help"]) > 10
        assert len(question["options"]) >= 2
        assert all(option["label"] for option in question["options"])
    stages = next(q for q in body["questions"] if q["id"] == "stages")
    assert stages["multiple"] is True
    assert [o["id"] for o in stages["options"]] == ["planning", "design", "delivery", "evaluation"]


def test_the_grpc_questionnaire_carries_what_the_json_does(http, stub):
    as_json = http.get("/v1/questionnaire").json()
    reply = stub.GetQuestionnaire(classifier_pb2.GetQuestionnaireRequest(), timeout=5)
    assert reply.version == as_json["version"]
    assert [q.id for q in reply.questions] == [q["id"] for q in as_json["questions"]]
    for message, question in zip(reply.questions, as_json["questions"], strict=True):
        assert (message.text, message.help, message.multiple) == (
            question["text"], question["help"], question["multiple"])
        assert [(o.id, o.label, o.help) for o in message.options] == [
            (o["id"], o["label"], o["help"] or "") for o in question["options"]]


def test_every_option_the_questionnaire_offers_is_accepted(http):
    questionnaire = http.get("/v1/questionnaire").json()
    for question in questionnaire["questions"]:
        for option in question["options"]:
            answer = [option["id"]] if question["multiple"] else option["id"]
            response = http.post("/v1/classifications", json={"answers": {question["id"]: answer}})
            assert response.status_code == 200, (question["id"], option["id"], response.text)


@pytest.mark.parametrize(("answers", "field", "words"), [
    ({"continuity": "sometimes"}, "answers.continuity", "not an allowed answer"),
    ({"leadership": ["shared", "staff-lead"]}, "answers.leadership", "exactly one"),
    ({"accessibility": ["ramps"]}, "answers.accessibility", "not an allowed answer"),
    ({"colour": "red"}, "answers.colour", "unknown question id"),
])
def test_bad_answers_to_the_new_questions_are_named(http, answers, field, words):
    response = http.post("/v1/classifications", json={"answers": answers})
    assert response.status_code == 422
    fields = {v["field"]: v["description"] for v in response.json()["error"]["field_violations"]}
    assert words in fields[field]


def test_the_bus_adapter_serves_the_questionnaire():
    service = worker_factory(ClassifierService, app=ClassifierApp())
    assert service.get_questionnaire({})["questions"][0]["id"] == "first_involved"


TEXT = ("Parents co-chair the group, designed the sessions with staff and now deliver them as paid "
        "peer facilitators. They were not involved in the evaluation, which the university runs. "
        "We ran the sessions in a step-free venue.")


_rung = rung_to_json


def test_a_description_alone_is_classified_with_evidence_over_http(http):
    response = http.post("/v1/classifications", json={"description": TEXT})
    assert response.status_code == 200
    body = response.json()
    [chair] = [e for e in body["evidence"] if e["signal"] == "text/shared-leadership"]
    assert TEXT[chair["span"]["start"]:chair["span"]["end"]] == chair["span"]["quote"] == "co-chair"
    assert chair["source"] == "text" and chair["counted"]
    # Design and delivery: co-production by the questionnaire's rules, evaluation or not.
    assert body["rung"] == "co-production"


def test_grpc_carries_everything_json_does(http, stub):
    as_json = http.post("/v1/classifications",
                        json={"description": TEXT, "answers": {"payment": "nothing"}}).json()
    request = classifier_pb2.ClassifyRequest(description=TEXT)
    request.answers["payment"].options.append("nothing")
    c = stub.Classify(request, timeout=5).classification
    assert _rung(c.rung) == as_json["rung"] and c.confidence == as_json["confidence"]
    assert [(_rung(s.rung), s.score) for s in c.scores] == [
        (s["rung"], s["score"]) for s in as_json["scores"]]
    assert c.summary == as_json["summary"]
    assert _rung(c.next_rung) == as_json["next_rung"]
    assert list(c.missing_for_next_rung) == as_json["missing_for_next_rung"]
    assert list(c.unanswered) == as_json["unanswered"]
    assert len(c.evidence) == len(as_json["evidence"])
    for message, e in zip(c.evidence, as_json["evidence"], strict=True):
        assert (message.signal, message.statement, _rung(message.points_to)) == (
            e["signal"], e["statement"], e["points_to"])
        assert (message.question_id or None, list(message.answer)) == (e["question_id"], e["answer"])
        assert (message.negated, message.hedged, message.counted) == (
            e["negated"], e["hedged"], e["counted"])
        span = e["span"]
        assert (message.HasField("span"), message.span.start, message.span.end, message.span.quote) == (
            span is not None, *((span["start"], span["end"], span["quote"]) if span else (0, 0, "")))
    assert [(list(x.question_ids), x.description, x.span.quote) for x in c.conflicts] == [
        (x["question_ids"], x["description"], (x["span"] or {}).get("quote", ""))
        for x in as_json["conflicts"]]
    assert as_json["conflicts"], "the answer and the text disagree about payment"
    assert [(f.framework, [r.id for r in f.rungs], f.crosswalk_judgement, f.note) for f in c.frameworks] == [
        (f["framework"], [r["id"] for r in f["rungs"]], f["crosswalk_judgement"], f["note"])
        for f in as_json["frameworks"]]
    assert [(classifier_pb2.ScieValue.Name(v.value), v.evidenced, list(v.signals), v.step)
            for v in c.values] == [
        ("SCIE_VALUE_" + v["value"].upper(), v["evidenced"], v["signals"], v["step"] or "")
        for v in as_json["values"]]


def test_the_frameworks_serve_every_definition_a_classification_points_to(http):
    reference = http.get("/v1/frameworks").json()
    classification = http.post("/v1/classifications", json={"description": TEXT}).json()
    defined = {(f["id"], r["id"]): r["definition"] for f in reference["frameworks"] for r in f["rungs"]}
    placed = [(p["framework"], r["id"]) for p in classification["frameworks"] for r in p["rungs"]]
    assert len(placed) >= 3 and all(defined.get(key) for key in placed)
    assert all("definition" not in r for p in classification["frameworks"] for r in p["rungs"])
    assert [f["id"] for f in reference["frameworks"]] == ["co-production-ladder", "arnstein", "iap2"]
    assert [len(f["rungs"]) for f in reference["frameworks"]] == [7, 8, 5]
    assert [e["rung"] for e in reference["crosswalk"]] == [
        "coercion", "educating", "informing", "consultation", "engagement", "co-design", "co-production"]
    assert [v["value"] for v in reference["values"]] == [
        "equality", "diversity", "accessibility", "reciprocity"]
    cited = {s for f in reference["frameworks"] for s in f["source_ids"]} | {
        s for v in reference["values"] for s in v["source_ids"]}
    assert cited <= {s["id"] for s in reference["sources"]}
    assert all(s["url"].startswith("https://") for s in reference["sources"])


def test_the_grpc_frameworks_carry_what_the_json_does(http, stub):
    as_json = http.get("/v1/frameworks").json()
    message = stub.GetFrameworks(classifier_pb2.GetFrameworksRequest(), timeout=5)
    assert message.version == as_json["version"] and message.crosswalk_note == as_json["crosswalk_note"]
    assert [(f.id, f.name, [(r.id, r.name, r.group, r.definition) for r in f.rungs], list(f.source_ids))
            for f in message.frameworks] == [
        (f["id"], f["name"], [(r["id"], r["name"], r["group"], r["definition"]) for r in f["rungs"]],
         f["source_ids"]) for f in as_json["frameworks"]]
    assert [(_rung(e.rung), list(e.arnstein), list(e.iap2), e.why) for e in message.crosswalk] == [
        (e["rung"], e["arnstein"], e["iap2"], e["why"]) for e in as_json["crosswalk"]]
    assert [(classifier_pb2.ScieValue.Name(v.value), v.name, v.meaning, v.step, list(v.source_ids))
            for v in message.values] == [
        ("SCIE_VALUE_" + v["value"].upper(), v["name"], v["meaning"], v["step"], v["source_ids"])
        for v in as_json["values"]]
    assert [(s.id, s.publisher, s.title, s.url) for s in message.sources] == [
        (s["id"], s["publisher"], s["title"], s["url"]) for s in as_json["sources"]]


def test_text_that_is_not_english_gets_422_and_invalid_argument_naming_the_field(http, stub):
    welsh = "Mae'r grŵp yn cwrdd bob mis ac mae'r aelodau wedi dylunio'r gwasanaeth gyda'r staff."
    response = http.post("/v1/classifications", json={"description": welsh})
    assert response.status_code == 422
    [violation] = response.json()["error"]["field_violations"]
    assert violation == {"field": "description", "description": NOT_ENGLISH}
    with pytest.raises(grpc.RpcError) as caught:
        stub.Classify(classifier_pb2.ClassifyRequest(description=welsh), timeout=5)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "only English is supported" in caught.value.details()


@pytest.mark.parametrize(("body", "words"), [
    ({"description": "   "}, "is empty"),
    ({"description": "x" * 20_001}, "at most 20000"),
])
def test_bad_descriptions_get_422_naming_description(http, body, words):
    response = http.post("/v1/classifications", json=body)
    assert response.status_code == 422
    fields = {v["field"]: v["description"] for v in response.json()["error"]["field_violations"]}
    assert words in fields["description"]
