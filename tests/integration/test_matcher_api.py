"""The matcher and its directory through the gateway's real HTTP and gRPC adapters, over
the in-process client, on SQLite and on PostgreSQL: answers, and bad input refused naming
the field (HTTP 422, gRPC INVALID_ARGUMENT), never a stack trace."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from fastapi.testclient import TestClient
from google.protobuf import struct_pb2
from google.rpc import error_details_pb2
from grpc_health.v1 import health
from grpc_status import rpc_status
from ladder.v1 import common_pb2, matcher_pb2, matcher_pb2_grpc

from gateway.api import LadderApi
from gateway.clients.inprocess import InProcessClient
from gateway.grpc_api import build_server
from gateway.http_api import create_app
from services.common.settings import Settings
from services.matcher.app import MatcherApp
from services.matcher.directory import Directory
from tests.support import databases
from tests.support.servers import free_port, require

database_url = databases.database_url  # the fixture: each test runs on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parents[2]
OUTCODES = Path(os.environ.get("LADDER_TEST_OUTCODES", ROOT.parent / "shared" / "data" / "uk_outcodes.csv"))
LIMIT = 1_048_576
ORG = {"name": "Gateway Test Forum", "description": "User-led.",
       "attributes": [{"taxonomy_term_id": "ladder-governance:governing_body_percent", "value": "80"}],
       "locations": [{"id": "gw-loc", "latitude": 57.15, "longitude": -2.11}],
       "services": [{"id": "gw-svc", "name": "Access audits",
                     "service_at_locations": [{"location_id": "gw-loc"}],
                     "attributes": [{"taxonomy_term_id": "ladder-involvement:access-audit"}]}]}


@dataclass
class Gateway:
    http: TestClient
    grpc: matcher_pb2_grpc.MatcherStub


def serve(url: str, postcode_file: Path | None) -> Iterator[Gateway]:
    settings = Settings(database_url=url, demo_directory=True, postcode_file=postcode_file)
    api = LadderApi(InProcessClient(matcher=MatcherApp(Directory.from_settings(settings))))
    port = free_port()
    server = build_server(api, health.HealthServicer(), f"127.0.0.1:{port}", LIMIT, workers=2)
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield Gateway(TestClient(create_app(api, lambda: {"matcher": True}, LIMIT),
                                     raise_server_exceptions=False),
                          matcher_pb2_grpc.MatcherStub(channel))
    finally:
        server.stop(grace=None)


@pytest.fixture
def gateway(database_url) -> Iterator[Gateway]:
    require(OUTCODES.is_file(), f"the shared district table is not at {OUTCODES}")
    yield from serve(database_url, OUTCODES)


def violations(response) -> dict[str, str]:
    assert response.json()["error"]["code"] == "invalid_argument"
    return {v["field"]: v["description"] for v in response.json()["error"]["field_violations"]}


def grpc_violations(error: grpc.RpcError) -> dict[str, str]:
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    found = {}
    for detail in rpc_status.from_call(error).details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            found.update({v.field: v.description for v in bad.field_violations})
    return found


def test_a_match_by_postcode_over_http_and_grpc(gateway):
    response = gateway.http.post("/v1/matches", json={"postcode": "LS1", "radius_km": 30,
                                                      "involvement": ["access-audit"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [m["group"]["id"] for m in body["matches"]] == ["demo-org-004", "demo-org-005"]
    assert body["matches"][0]["factors"][0]["factor"] == "distance"
    assert body["origin"]["resolved_from"] == "postcode district LS1 (its centre)"
    reply = gateway.grpc.Match(matcher_pb2.MatchRequest(postcode="LS1", radius_km=30,
                                                        involvement=["access-audit"]), timeout=10)
    assert [m.group.id for m in reply.matches] == ["demo-org-004", "demo-org-005"]
    assert reply.matches[0].group.user_led.status == matcher_pb2.USER_LED_STATUS_USER_LED
    assert reply.matches[0].group.fictional and reply.notices
    assert reply.matches[0].service.id == "demo-svc-004a"


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"postcode": "ZZ9"}, "postcode", "unknown postcode district 'ZZ9'"),
    ({"postcode": "ZZ9 9ZZ"}, "postcode", "unknown postcode district 'ZZ9'"),
    ({"location": {"latitude": 91, "longitude": 0}}, "location.latitude", "less than or equal to 90"),
    ({"location": {"latitude": 50, "longitude": -181}}, "location.longitude",
     "greater than or equal to -180"),
    ({"postcode": "M1", "radius_km": 0}, "radius_km", "greater than 0"),
    ({"postcode": "M1", "radius_km": 1000.1}, "radius_km", "less than or equal to 1000"),
    ({"postcode": "M1", "lived_experience": ["telepathy"]}, "lived_experience",
     "not a known lived experience"),
])
def test_bad_match_requests_are_refused_naming_the_field(gateway, body, field, words):
    response = gateway.http.post("/v1/matches", json=body)
    assert response.status_code == 422, response.text
    assert words in violations(response)[field]
    message = matcher_pb2.MatchRequest(
        location=common_pb2.Location(**body["location"]) if "location" in body else None,
        postcode=body.get("postcode"), radius_km=body.get("radius_km"),
        lived_experience=body.get("lived_experience", []))
    with pytest.raises(grpc.RpcError) as caught:
        gateway.grpc.Match(message, timeout=10)
    assert words in grpc_violations(caught.value)[field]


def test_without_a_postcode_file_the_answer_names_the_setting(database_url):
    served = serve(database_url, None)
    gateway = next(served)
    try:
        response = gateway.http.post("/v1/matches", json={"postcode": "M1"})
        assert response.status_code == 422
        assert "LADDER_POSTCODE_FILE" in violations(response)["postcode"]
    finally:
        served.close()


def test_organisations_are_put_and_deleted_over_http(gateway):
    response = gateway.http.put("/v1/directory/organizations/gw-org", json=ORG)
    assert response.status_code == 200, response.text
    assert (response.json()["result"], response.json()["user_led"]["status"]) == ("created", "user-led")
    near = {"location": {"latitude": 57.15, "longitude": -2.10}, "radius_km": 5}
    matches = gateway.http.post("/v1/matches", json=near).json()["matches"]
    assert [m["group"]["id"] for m in matches] == ["gw-org"]
    bad = {**ORG, "services": [{"id": "gw-svc", "status": "maybe"}]}
    response = gateway.http.put("/v1/directory/organizations/gw-org", json=bad)
    assert response.status_code == 422
    assert set(violations(response)) == {"/services/0/name", "/services/0/status"}
    assert gateway.http.delete("/v1/directory/organizations/gw-org").json() == {"id": "gw-org"}
    assert gateway.http.post("/v1/matches", json=near).json()["matches"] == []
    missing = gateway.http.delete("/v1/directory/organizations/gw-org")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_organisations_are_put_and_deleted_over_grpc(gateway):
    organization = struct_pb2.Struct()
    organization.update(ORG)
    reply = gateway.grpc.PutOrganization(matcher_pb2.PutOrganizationRequest(
        id="gw-org", organization=organization), timeout=10)
    assert reply.result == "created" and reply.organization["services"][0]["id"] == "gw-svc"
    organization.update({"locations": [{"id": "gw-loc", "latitude": 97}]})
    with pytest.raises(grpc.RpcError) as caught:
        gateway.grpc.PutOrganization(matcher_pb2.PutOrganizationRequest(id="gw-org",
                                                                        organization=organization))
    assert "less than or equal to 90" in grpc_violations(caught.value)["/locations/0/latitude"]
    assert gateway.grpc.DeleteOrganization(matcher_pb2.DeleteOrganizationRequest(id="gw-org")).id == "gw-org"
    with pytest.raises(grpc.RpcError) as caught:
        gateway.grpc.DeleteOrganization(matcher_pb2.DeleteOrganizationRequest(id="gw-org"))
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND


def test_an_import_reports_bad_records_with_pointers_over_http_and_grpc(gateway):
    feed = {"organizations": [{"id": "imp-ok", "name": "Fine"}, {"id": "imp-bad", "name": ""}]}
    report = gateway.http.post("/v1/directory/import", json=feed).json()
    assert (report["created"], report["rejected"]) == (1, 1)
    assert report["problems"][0]["pointer"] == "/organizations/1/name"
    hsds = struct_pb2.Struct()
    hsds.update(feed)
    reply = gateway.grpc.ImportDirectory(matcher_pb2.ImportDirectoryRequest(hsds=hsds), timeout=10)
    assert (reply.created, reply.unchanged, reply.rejected) == (0, 1, 1)
    assert reply.problems[0].pointer == "/organizations/1/name"
    assert reply.by_kind["organizations"].unchanged == 1
    csv = "organization_id,organization_name,latitude,longitude\ncsv-1,CSV Group,53.1,-2.1\n"
    response = gateway.http.post("/v1/directory/import", content=csv, headers={"content-type": "text/csv"})
    assert response.status_code == 200 and response.json()["created"] == 2


@pytest.mark.parametrize(("content", "content_type", "field", "words"), [
    ("{not json", "application/json", "body", "not valid JSON"),
    ("<feed/>", "application/xml", "content-type", "send application/json"),
    ("42", "application/json", "feed", "must be a JSON object"),
])
def test_an_import_that_cannot_be_read_is_refused(gateway, content, content_type, field, words):
    response = gateway.http.post("/v1/directory/import", content=content,
                                 headers={"content-type": content_type})
    assert response.status_code == 422
    assert words in violations(response)[field]
    with pytest.raises(grpc.RpcError) as caught:
        gateway.grpc.ImportDirectory(matcher_pb2.ImportDirectoryRequest())
    assert "needs feed" in grpc_violations(caught.value)["feed"]


def test_the_export_over_http_and_grpc_reads_back_unchanged(gateway):
    exported = gateway.http.get("/v1/directory/export").json()
    report = gateway.http.post("/v1/directory/import", json=exported).json()
    assert (report["created"], report["updated"], report["rejected"]) == (0, 0, 0)
    csv = gateway.http.get("/v1/directory/export", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("organization_id,")
    reply = gateway.grpc.ExportDirectory(matcher_pb2.ExportDirectoryRequest(
        format=matcher_pb2.DIRECTORY_FORMAT_CSV), timeout=10)
    assert reply.csv == csv.text
