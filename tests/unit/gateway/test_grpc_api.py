"""The gRPC API on a real grpcio server (loopback), over the in-process client."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status
from ladder.v1 import (
    classifier_pb2,
    classifier_pb2_grpc,
    common_pb2,
    diagnostics_pb2,
    diagnostics_pb2_grpc,
    matcher_pb2,
    matcher_pb2_grpc,
    recommender_pb2,
    recommender_pb2_grpc,
)

from gateway.api import LadderApi
from gateway.grpc_api import build_server, set_health
from services.common.errors import ServiceUnavailable
from tests.support.fakes import RaisingClient
from tests.support.servers import free_port

LIMIT = 1_048_576


@pytest.fixture(scope="module")
def address(api) -> Iterator[str]:
    yield from _serve(api, ready=True)


def _serve(api: LadderApi, ready: bool) -> Iterator[str]:
    port = free_port()
    health_servicer = health.HealthServicer()
    set_health(health_servicer, dict.fromkeys(("classifier", "recommender", "matcher"), ready))
    server = build_server(api, health_servicer, f"127.0.0.1:{port}", LIMIT, workers=4)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


@pytest.fixture(scope="module")
def channel(address) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(address) as channel:
        yield channel


def consulted_request() -> classifier_pb2.ClassifyRequest:
    request = classifier_pb2.ClassifyRequest()
    request.answers["first_involved"].options.append("after-decisions")
    request.answers["who_decides"].options.append("provider-after-listening")
    request.answers["stages"].SetInParent()  # answered: no stages
    return request


def bad_request_fields(error: grpc.RpcError) -> dict[str, str]:
    status = rpc_status.from_call(error)
    fields = {}
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields.update({v.field: v.description for v in bad.field_violations})
    return fields


def request_info(error: grpc.RpcError) -> str:
    for detail in rpc_status.from_call(error).details:
        if detail.Is(error_details_pb2.RequestInfo.DESCRIPTOR):
            info = error_details_pb2.RequestInfo()
            detail.Unpack(info)
            return info.request_id
    return ""


def test_classify_returns_a_rung_with_evidence(channel):
    stub = classifier_pb2_grpc.ClassifierStub(channel)
    reply = stub.Classify(consulted_request(), timeout=5)
    assert reply.classification.rung == common_pb2.RUNG_CONSULTATION
    assert {e.question_id for e in reply.classification.evidence} == {
        "first_involved", "who_decides", "stages"}
    assert reply.classification.next_rung == common_pb2.RUNG_ENGAGEMENT
    assert "payment" in reply.classification.unanswered


def test_recommend_and_match_answer(channel):
    reply = recommender_pb2_grpc.RecommenderStub(channel).Recommend(
        recommender_pb2.RecommendRequest(current_rung=common_pb2.RUNG_ENGAGEMENT), timeout=5)
    assert reply.target_rung == common_pb2.RUNG_CO_DESIGN
    assert all(common_pb2.RUNG_CO_DESIGN in r.method.rungs for r in reply.recommendations)
    reply = matcher_pb2_grpc.MatcherStub(channel).Match(matcher_pb2.MatchRequest(
        location=common_pb2.Location(latitude=51.48, longitude=-3.18), radius_km=10), timeout=5)
    assert reply.matches and reply.matches[0].distance_km < 2


def test_echo_carries_the_callers_request_id(channel):
    reply, call = diagnostics_pb2_grpc.DiagnosticsStub(channel).Echo.with_call(
        diagnostics_pb2.EchoRequest(service="matcher", message="hello"),
        metadata=(("x-request-id", "grant-portal-7"),), timeout=5)
    assert (reply.message, reply.service, reply.request_id) == ("hello", "matcher", "grant-portal-7")
    assert ("x-request-id", "grant-portal-7") in call.initial_metadata()


@pytest.mark.parametrize(("call", "field", "words"), [
    (lambda ch: classifier_pb2_grpc.ClassifierStub(ch).Classify(classifier_pb2.ClassifyRequest(
        answers={"payment": classifier_pb2.Choices(options=["lots"])})),
     "answers.payment", "not an allowed answer"),
    (lambda ch: classifier_pb2_grpc.ClassifierStub(ch).Classify(classifier_pb2.ClassifyRequest(
        description="x" * 20_001, answers={"payment": classifier_pb2.Choices(options=["paid"])})),
     "description", "at most 20000"),
    (lambda ch: recommender_pb2_grpc.RecommenderStub(ch).Recommend(
        recommender_pb2.RecommendRequest()), "current_rung", "give current_rung"),
    (lambda ch: recommender_pb2_grpc.RecommenderStub(ch).Recommend(
        recommender_pb2.RecommendRequest(current_rung=42)), "current_rung", "Input should be"),
    (lambda ch: matcher_pb2_grpc.MatcherStub(ch).Match(matcher_pb2.MatchRequest(
        location=common_pb2.Location(latitude=0, longitude=200))), "location.longitude", "180"),
    (lambda ch: matcher_pb2_grpc.MatcherStub(ch).Match(matcher_pb2.MatchRequest(
        location=common_pb2.Location(latitude=50, longitude=0), radius_km=0)), "radius_km",
     "greater than 0"),
    (lambda ch: diagnostics_pb2_grpc.DiagnosticsStub(ch).Echo(
        diagnostics_pb2.EchoRequest(service="nobody")), "service", "must be one of"),
])
def test_bad_input_is_invalid_argument_with_field_violations(channel, call, field, words):
    with pytest.raises(grpc.RpcError) as caught:
        call(channel)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    fields = bad_request_fields(caught.value)
    assert field in fields, fields
    assert words in fields[field]
    assert request_info(caught.value)


def _raw(channel: grpc.Channel, payload: bytes):
    method = channel.unary_unary(
        "/ladder.v1.Classifier/Classify",
        request_serializer=lambda raw: raw,
        response_deserializer=classifier_pb2.ClassifyResponse.FromString,
    )
    return method(payload, timeout=5)


def test_malformed_protobuf_is_invalid_argument_and_the_server_stays_up(channel):
    with pytest.raises(grpc.RpcError) as caught:
        _raw(channel, b"\x12\xff\xff\xff\x0f garbage")
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "not a valid ladder.v1.ClassifyRequest" in bad_request_fields(caught.value)["request"]
    assert _raw(channel, consulted_request().SerializeToString()).classification.rung


def test_a_message_over_the_limit_is_invalid_argument(channel):
    big = classifier_pb2.ClassifyRequest(description="x" * (LIMIT + 100))
    with pytest.raises(grpc.RpcError) as caught:
        _raw(channel, big.SerializeToString())
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "the limit is 1,048,576" in bad_request_fields(caught.value)["request"]


def test_health_is_per_service_and_reflection_lists_the_contract(channel):
    stub = health_pb2_grpc.HealthStub(channel)
    for name in ("", "ladder.v1.Classifier", "ladder.v1.Recommender", "ladder.v1.Matcher"):
        reply = stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    replies = reflection.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
    names = {s.name for reply in replies for s in reply.list_services_response.service}
    assert {"ladder.v1.Classifier", "ladder.v1.Recommender", "ladder.v1.Matcher",
            "grpc.health.v1.Health"} <= names


def test_health_reports_not_serving_when_services_do_not_answer(api):
    for address in _serve(api, ready=False):
        with grpc.insecure_channel(address) as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service="ladder.v1.Matcher"), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING


@pytest.mark.parametrize(("error", "code"), [
    (ServiceUnavailable("classifier did not answer within 5 s"), grpc.StatusCode.UNAVAILABLE),
    (RuntimeError("secret internals"), grpc.StatusCode.INTERNAL),
])
def test_failures_map_to_status_codes_without_internals(error, code):
    for address in _serve(LadderApi(RaisingClient(error)), ready=True):
        with grpc.insecure_channel(address) as channel:
            with pytest.raises(grpc.RpcError) as caught:
                classifier_pb2_grpc.ClassifierStub(channel).Classify(consulted_request(), timeout=5)
    assert caught.value.code() is code
    assert "secret internals" not in (caught.value.details() or "")
    assert request_info(caught.value)
