"""Projects over time through the gateway (HTTP and gRPC, embedded mode, SQLite): stored
classifications, history, deletion, the rung-drop event, tenant isolation, and batches."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from fastapi.testclient import TestClient
from grpc_health.v1 import health
from ladder.v1 import classifier_pb2, classifier_pb2_grpc, common_pb2

from gateway.api import LadderApi
from gateway.auth import Authenticator, Guard, KeyRing, Permission, new_key
from gateway.clients.inprocess import InProcessClient
from gateway.grpc_api import build_server
from gateway.http_api import create_app
from gateway.rate_limit import RateLimiter
from services.classifier.app import ClassifierApp
from services.classifier.projects import ProjectStore
from services.common.database import create_engine
from services.common.events import PROJECT_RUNG_DROPPED, InProcessEvents
from tests.support.servers import free_port

CO_DESIGN = {"answers": {"first_involved": "from-the-start", "who_decides": "jointly", "stages": ["design"],
                         "payment": "paid"}}
CONSULTED = {"answers": {"first_involved": "after-decisions", "who_decides": "provider-after-listening"}}
PORTAL = "https://intranet.example.org"


def store(world, body: dict, project_id: str, who: str = "a"):
    return world.http.post("/v1/classifications", json={**body, "project_id": project_id},
                           headers=world.headers(who))


class World:
    def __init__(self, tmp_path) -> None:
        self.engine = create_engine(f"sqlite:///{tmp_path / 'projects.sqlite3'}")
        self.events = InProcessEvents()
        self.dropped: list[dict] = []
        self.events.subscribe("classifier", PROJECT_RUNG_DROPPED, self.dropped.append)
        classifier = ClassifierApp(store=ProjectStore(self.engine))
        self.api = LadderApi(InProcessClient(self.events, classifier=classifier))
        made = {
            "a": new_key("org-a", {Permission.CLASSIFY}),
            "b": new_key("org-b", {Permission.CLASSIFY}),
            "widget": new_key("org-a", {Permission.CLASSIFY, Permission.RECOMMEND}, publishable=True,
                              origins={PORTAL}),
        }
        self.tokens = {name: token for name, (token, _) in made.items()}
        self.guard = Guard(Authenticator(KeyRing([s for _, s in made.values()])), RateLimiter(10_000))
        self.http = TestClient(create_app(self.api, lambda: {}, 1_048_576, guard=self.guard),
                               raise_server_exceptions=False)

    def headers(self, who: str) -> dict[str, str]:
        return {"authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def world(tmp_path) -> Iterator[World]:
    made = World(tmp_path)
    yield made
    made.engine.dispose()


def test_a_stored_project_keeps_its_history_and_a_drop_is_published(world):
    first = world.http.post("/v1/classifications", json={**CO_DESIGN, "project_id": "p-1"},
                            headers=world.headers("a"))
    assert first.status_code == 200
    assert first.json()["project_id"] == "p-1" and first.json()["assessment_id"]
    assert world.dropped == []
    second = world.http.post("/v1/classifications", json={**CONSULTED, "project_id": "p-1"},
                             headers=world.headers("a"))
    assert second.json()["rung"] == "consultation"
    assert world.dropped == [{"organisation_id": "org-a", "project_id": "p-1", "from_rung": "co-design",
                              "to_rung": "consultation", "assessment_id": second.json()["assessment_id"]}]

    latest = world.http.get("/v1/projects/p-1", headers=world.headers("a")).json()
    assert latest["classification"]["rung"] == "consultation"
    history = world.http.get("/v1/projects/p-1/history", headers=world.headers("a")).json()
    assert [e["classification"]["rung"] for e in history["entries"]] == ["consultation", "co-design"]


def test_an_unstored_classification_stores_nothing(world):
    world.http.post("/v1/classifications", json=CO_DESIGN, headers=world.headers("a"))
    assert world.http.get("/v1/projects/p-1", headers=world.headers("a")).status_code == 404


def test_another_organisation_can_neither_read_list_overwrite_nor_delete(world):
    store(world, CO_DESIGN, "shared")
    b = world.headers("b")
    assert world.http.get("/v1/projects/shared", headers=b).status_code == 404
    assert world.http.get("/v1/projects/shared/history", headers=b).status_code == 404
    assert world.http.delete("/v1/projects/shared", headers=b).status_code == 404
    overwrite = world.http.post("/v1/classifications", json={**CONSULTED, "project_id": "shared"}, headers=b)
    assert overwrite.status_code == 404
    assert overwrite.json()["error"]["code"] == "not_found"
    history = world.http.get("/v1/projects/shared/history", headers=world.headers("a")).json()
    assert [e["classification"]["rung"] for e in history["entries"]] == ["co-design"]


def test_deleting_removes_the_history(world):
    for body in (CO_DESIGN, CONSULTED):
        store(world, body, "gone")
    deleted = world.http.delete("/v1/projects/gone", headers=world.headers("a"))
    assert deleted.json() == {"project_id": "gone", "removed_assessments": 2}
    assert world.http.get("/v1/projects/gone/history", headers=world.headers("a")).status_code == 404


def test_a_publishable_key_cannot_store_or_read_projects(world):
    widget = {**world.headers("widget"), "origin": PORTAL}
    assert world.http.post("/v1/classifications", json=CO_DESIGN, headers=widget).status_code == 200
    stored = world.http.post("/v1/classifications", json={**CO_DESIGN, "project_id": "p-w"}, headers=widget)
    assert stored.status_code == 403
    assert world.http.get("/v1/projects/p-w", headers=widget).status_code == 403


@pytest.mark.parametrize("project_id", ["", "has space", "x" * 129, "../etc"])
def test_a_bad_project_id_is_422_naming_it(world, project_id):
    answer = world.http.post("/v1/classifications", json={**CO_DESIGN, "project_id": project_id},
                             headers=world.headers("a"))
    assert answer.status_code == 422
    assert answer.json()["error"]["field_violations"][0]["field"] == "project_id"


def test_a_bad_history_limit_is_422(world):
    store(world, CO_DESIGN, "p-l")
    answer = world.http.get("/v1/projects/p-l/history?limit=0", headers=world.headers("a"))
    assert answer.status_code == 422
    assert answer.json()["error"]["field_violations"][0]["field"] == "limit"


# --- gRPC: projects and batches

@pytest.fixture
def channel(world) -> Iterator[grpc.Channel]:
    port = free_port()
    server = build_server(world.api, health.HealthServicer(), f"127.0.0.1:{port}", 1_048_576, workers=4,
                          guard=world.guard)
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield channel
    finally:
        server.stop(grace=None)


def request_for(body: dict, project_id: str = "", description: str = "") -> classifier_pb2.ClassifyRequest:
    request = classifier_pb2.ClassifyRequest(project_id=project_id, description=description)
    for question, chosen in body["answers"].items():
        request.answers[question].options.extend([chosen] if isinstance(chosen, str) else chosen)
    return request


def metadata(world, who: str) -> tuple:
    return (("authorization", f"Bearer {world.tokens[who]}"),)


def test_grpc_projects_are_stored_read_and_isolated(world, channel):
    stub = classifier_pb2_grpc.ClassifierStub(channel)
    stub.Classify(request_for(CO_DESIGN, "g-1"), metadata=metadata(world, "a"), timeout=5)
    stub.Classify(request_for(CONSULTED, "g-1"), metadata=metadata(world, "a"), timeout=5)
    latest = stub.GetProject(classifier_pb2.GetProjectRequest(project_id="g-1"),
                             metadata=metadata(world, "a"))
    assert latest.latest.classification.rung == common_pb2.RUNG_CONSULTATION
    assert latest.latest.assessed_at.seconds > 0
    history = stub.ListProjectHistory(classifier_pb2.ListProjectHistoryRequest(project_id="g-1", limit=1),
                                      metadata=metadata(world, "a"))
    assert len(history.entries) == 1
    with pytest.raises(grpc.RpcError) as hidden:
        stub.GetProject(classifier_pb2.GetProjectRequest(project_id="g-1"), metadata=metadata(world, "b"))
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
    removed = stub.DeleteProject(classifier_pb2.DeleteProjectRequest(project_id="g-1"),
                                 metadata=metadata(world, "a"))
    assert removed.removed_assessments == 2


def test_a_batch_answers_every_item_in_order_and_a_bad_item_does_not_stop_it(world, channel):
    items = [
        classifier_pb2.ClassifyBatchRequest(item_id="ok-1", request=request_for(CO_DESIGN)),
        classifier_pb2.ClassifyBatchRequest(item_id="blank", request=classifier_pb2.ClassifyRequest(
            description="   ")),
        classifier_pb2.ClassifyBatchRequest(item_id="bad-option", request=request_for(
            {"answers": {"payment": "lots"}})),
        classifier_pb2.ClassifyBatchRequest(item_id="stored", request=request_for(CONSULTED, "batch-p")),
        *[classifier_pb2.ClassifyBatchRequest(item_id=f"more-{n}", request=request_for(CONSULTED))
          for n in range(20)],
    ]
    answers = list(classifier_pb2_grpc.ClassifierStub(channel).ClassifyBatch(
        iter(items), metadata=metadata(world, "a"), timeout=30))
    assert [a.item_id for a in answers] == [i.item_id for i in items]
    assert [a.index for a in answers] == list(range(len(items)))
    assert answers[0].classification.rung == common_pb2.RUNG_CO_DESIGN
    assert answers[1].WhichOneof("result") == "error"
    assert answers[1].error.code == "INVALID_ARGUMENT"
    assert answers[1].error.field_violations[0].field == "request.description"
    assert answers[2].error.field_violations[0].field == "request.answers.payment"
    assert answers[3].classification.project_id == "batch-p"
    assert all(a.classification.rung == common_pb2.RUNG_CONSULTATION for a in answers[4:])
    assert world.http.get("/v1/projects/batch-p", headers=world.headers("a")).status_code == 200


def test_a_batch_without_a_key_is_refused(world, channel):
    stream = classifier_pb2_grpc.ClassifierStub(channel).ClassifyBatch(
        iter([classifier_pb2.ClassifyBatchRequest(item_id="x", request=request_for(CO_DESIGN))]), timeout=5)
    with pytest.raises(grpc.RpcError) as refused:
        list(stream)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
