"""The gRPC adapter: ladder.v1 services, health and reflection on one grpcio server.

Handlers are registered from the proto descriptors rather than the generated
add_*_to_server helpers, so that a malformed or oversized message reaches our code (as a
`Malformed` marker) and is answered INVALID_ARGUMENT, instead of grpcio's bare INTERNAL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.protobuf.message import DecodeError, Message
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status
from ladder.v1 import (
    classifier_pb2,
    diagnostics_pb2,
    matcher_pb2,
    recommender_pb2,
)

from gateway.api import LadderApi
from gateway.auth import Guard, Permission, Principal, principal_var
from gateway.batch import classify_batch
from gateway.convert import classifier as classifier_convert
from gateway.convert import diagnostics as diagnostics_convert
from gateway.convert import matcher as matcher_convert
from gateway.convert import recommender as recommender_convert
from gateway.errors import INTERNAL_MESSAGE, mapping_for
from gateway.metrics import GrpcMetrics
from gateway.rate_limit import RateLimited
from services.common.errors import InvalidArgument, LadderError
from services.common.logs import REQUEST_ID_HEADER, accept_request_id, request_id_var

log = logging.getLogger(__name__)

# Public gRPC service name -> the (short) name of the backing Ladder service.
BACKING_SERVICE = {
    "ladder.v1.Classifier": "classifier",
    "ladder.v1.Recommender": "recommender",
    "ladder.v1.Matcher": "matcher",
}


@dataclass(frozen=True)
class Malformed:
    """What the deserializer returns instead of a message it could not accept."""

    problem: str


@dataclass(frozen=True)
class Method:
    service: str  # full proto service name
    name: str
    request_type: type[Message]
    response_type: type[Message]
    handle: Callable[[Any], Any]  # a message in, a message out; or, streaming, iterators
    streaming: bool = False  # a stream of requests in, a stream of responses out


def methods(api: LadderApi) -> list[Method]:
    return [
        *classifier_methods(api),
        *recommender_methods(api),
        *matcher_methods(api),
        Method("ladder.v1.Diagnostics", "Echo", diagnostics_pb2.EchoRequest,
               diagnostics_pb2.EchoResponse,
               lambda m: diagnostics_convert.echo_response(api.echo(diagnostics_convert.echo_request(m)))),
    ]


def classifier_methods(api: LadderApi) -> list[Method]:
    convert = classifier_convert
    return [
        Method("ladder.v1.Classifier", "Classify", classifier_pb2.ClassifyRequest,
               classifier_pb2.ClassifyResponse,
               lambda m: convert.classify_response(api.classify(convert.classify_request(m)))),
        Method("ladder.v1.Classifier", "GetQuestionnaire", classifier_pb2.GetQuestionnaireRequest,
               classifier_pb2.GetQuestionnaireResponse,
               lambda m: convert.questionnaire_response(api.questionnaire())),
        Method("ladder.v1.Classifier", "GetFrameworks", classifier_pb2.GetFrameworksRequest,
               classifier_pb2.GetFrameworksResponse,
               lambda m: convert.frameworks_response(api.frameworks())),
        Method("ladder.v1.Classifier", "ClassifyBatch", classifier_pb2.ClassifyBatchRequest,
               classifier_pb2.ClassifyBatchResponse,
               lambda items: classify_batch(api.classify, items, _BATCH_EXECUTOR, _malformed_problem),
               streaming=True),
        Method("ladder.v1.Classifier", "GetProject", classifier_pb2.GetProjectRequest,
               classifier_pb2.GetProjectResponse,
               lambda m: convert.project_response(api.project(m.project_id))),
        Method("ladder.v1.Classifier", "ListProjectHistory", classifier_pb2.ListProjectHistoryRequest,
               classifier_pb2.ListProjectHistoryResponse,
               lambda m: convert.history_response(api.project_history(m.project_id, m.limit or 50))),
        Method("ladder.v1.Classifier", "DeleteProject", classifier_pb2.DeleteProjectRequest,
               classifier_pb2.DeleteProjectResponse,
               lambda m: classifier_pb2.DeleteProjectResponse(
                   removed_assessments=api.delete_project(m.project_id)["removed_assessments"])),
    ]


# Batch items are classified on these threads, a few per stream (gateway/batch.py).
_BATCH_EXECUTOR = ThreadPoolExecutor(max_workers=16, thread_name_prefix="batch")


def _malformed_problem(item: Any) -> str | None:
    return item.problem if isinstance(item, Malformed) else None


def recommender_methods(api: LadderApi) -> list[Method]:
    convert = recommender_convert
    return [
        Method("ladder.v1.Recommender", "Recommend", recommender_pb2.RecommendRequest,
               recommender_pb2.RecommendResponse,
               lambda m: convert.recommend_response(api.recommend(convert.recommend_request(m)))),
    ]


def matcher_methods(api: LadderApi) -> list[Method]:
    convert = matcher_convert
    return [
        Method("ladder.v1.Matcher", "Match", matcher_pb2.MatchRequest, matcher_pb2.MatchResponse,
               lambda m: convert.match_response(api.match(convert.match_request(m)))),
        Method("ladder.v1.Matcher", "PutOrganization", matcher_pb2.PutOrganizationRequest,
               matcher_pb2.PutOrganizationResponse,
               lambda m: convert.put_organization_response(
                   api.put_organization(convert.put_organization_request(m)))),
        Method("ladder.v1.Matcher", "DeleteOrganization", matcher_pb2.DeleteOrganizationRequest,
               matcher_pb2.DeleteOrganizationResponse,
               lambda m: convert.delete_organization_response(
                   api.delete_organization(convert.delete_organization_request(m)))),
        Method("ladder.v1.Matcher", "ImportDirectory", matcher_pb2.ImportDirectoryRequest,
               matcher_pb2.ImportDirectoryResponse,
               lambda m: convert.import_directory_response(
                   api.import_directory(convert.import_directory_request(m)))),
        Method("ladder.v1.Matcher", "ExportDirectory", matcher_pb2.ExportDirectoryRequest,
               matcher_pb2.ExportDirectoryResponse,
               lambda m: convert.export_directory_response(
                   api.export_directory(convert.export_directory_request(m)))),
    ]


def _deserializer(message_type: type[Message], limit: int) -> Callable[[bytes], Any]:
    def deserialize(data: bytes) -> Any:
        if len(data) > limit:
            return Malformed(f"the message is {len(data):,} bytes; the limit is {limit:,}")
        try:
            return message_type.FromString(data)
        except DecodeError as error:
            return Malformed(f"not a valid {message_type.DESCRIPTOR.full_name}: {error}")

    return deserialize


# The permission each RPC needs: by service, then by method where it differs. An RPC in
# neither is refused unless the caller is an admin, so a new RPC is closed by default.
PERMISSION_BY_SERVICE = {
    "ladder.v1.Classifier": Permission.CLASSIFY,
    "ladder.v1.Recommender": Permission.RECOMMEND,
    "ladder.v1.Matcher": Permission.MATCH,
    "ladder.v1.Diagnostics": Permission.ADMIN,
}
PERMISSION_BY_METHOD: dict[str, Permission] = {
    "ladder.v1.Matcher/PutOrganization": Permission.DIRECTORY_WRITE,
    "ladder.v1.Matcher/DeleteOrganization": Permission.DIRECTORY_WRITE,
    "ladder.v1.Matcher/ImportDirectory": Permission.DIRECTORY_WRITE,
}


def permission_for(method: Method) -> Permission:
    return PERMISSION_BY_METHOD.get(
        f"{method.service}/{method.name}", PERMISSION_BY_SERVICE.get(method.service, Permission.ADMIN)
    )


def _stream_handler(method: Method, guard: Guard | None) -> Callable[..., Iterator[Message]]:
    permission = permission_for(method)

    def handler(requests: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Message]:
        # A generator: grpcio drives it on one worker thread, so the context variables
        # set here hold for every item.
        metadata = dict(context.invocation_metadata())
        request_id = _request_id(metadata)
        request_id_var.set(request_id)
        context.send_initial_metadata(((REQUEST_ID_HEADER, request_id),))
        try:
            principal_var.set(_admit(guard, metadata, permission))
            yield from method.handle(requests)
        except Exception as error:  # a refused stream, or one that broke
            _abort(context, error, request_id, f"{method.service}/{method.name}")
            raise

    return handler


def _unary_handler(method: Method, guard: Guard | None) -> Callable[[Any, grpc.ServicerContext], Message]:
    permission = permission_for(method)

    def handler(request: Any, context: grpc.ServicerContext) -> Message:
        metadata = dict(context.invocation_metadata())
        request_id = _request_id(metadata)
        token = request_id_var.set(request_id)
        principal_token = None
        context.send_initial_metadata(((REQUEST_ID_HEADER, request_id),))
        try:
            principal_token = principal_var.set(_admit(guard, metadata, permission))
            if isinstance(request, Malformed):
                raise InvalidArgument.one("request", request.problem)
            return method.handle(request)
        except Exception as error:  # every failure leaves through the one mapping
            _abort(context, error, request_id, f"{method.service}/{method.name}")
            raise  # unreachable: abort raises
        finally:
            request_id_var.reset(token)
            if principal_token is not None:
                principal_var.reset(principal_token)

    return handler


def _request_id(metadata: dict[str, Any]) -> str:
    given = metadata.get(REQUEST_ID_HEADER)
    return accept_request_id(given if isinstance(given, str) else None)


def _admit(guard: Guard | None, metadata: dict[str, Any], permission: Permission) -> Principal | None:
    """The caller, admitted by the guard; None when the server has no guard. No web
    origin travels over gRPC, so publishable keys are refused here."""
    if guard is None:
        return None
    authorization = metadata.get("authorization")
    return guard.admit(authorization if isinstance(authorization, str) else None, permission, origin=None)


def _abort(context: grpc.ServicerContext, error: Exception, request_id: str, rpc: str) -> None:
    mapping = mapping_for(error)
    if isinstance(error, LadderError):
        message = error.message
        log.info("request refused", extra={"rpc": rpc, "code": mapping.grpc_code.name})
    else:
        message = INTERNAL_MESSAGE
        log.error("request failed", exc_info=error, extra={"rpc": rpc})
    details = [error_details_pb2.RequestInfo(request_id=request_id)]
    if isinstance(error, InvalidArgument):
        details.append(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=v["field"], description=v["description"])
            for v in error.violations
        ]))
    packed = []
    if isinstance(error, RateLimited):
        details.append(error_details_pb2.RetryInfo(
            retry_delay=duration_pb2.Duration(seconds=error.retry_after_seconds)))
    for detail in details:
        holder = any_pb2.Any()
        holder.Pack(detail)
        packed.append(holder)
    status = status_pb2.Status(code=mapping.grpc_code.value[0], message=message, details=packed)
    context.abort_with_status(rpc_status.to_status(status))


def build_server(
    api: LadderApi, health_servicer: health.HealthServicer, address: str, max_message_bytes: int,
    workers: int, guard: Guard | None = None,
) -> grpc.Server:
    """`guard` admits each ladder.v1 call (see http_api.create_app); health and
    reflection stay open to probes and tools."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc"),
        interceptors=[GrpcMetrics()],
        options=[
            # Let messages a little over our limit through to the deserializer, which
            # answers INVALID_ARGUMENT naming the limit; far larger ones grpcio refuses.
            ("grpc.max_receive_message_length", max_message_bytes * 4),
            ("grpc.max_send_message_length", 16 * 1024 * 1024),
        ],
    )
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for method in methods(api):
        make_handler = grpc.stream_stream_rpc_method_handler if method.streaming \
            else grpc.unary_unary_rpc_method_handler
        by_service.setdefault(method.service, {})[method.name] = make_handler(
            (_stream_handler if method.streaming else _unary_handler)(method, guard),
            request_deserializer=_deserializer(method.request_type, max_message_bytes),
            response_serializer=method.response_type.SerializeToString,
        )
    for service, handlers in by_service.items():
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, handlers),))
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*by_service, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    if server.add_insecure_port(address) == 0:
        raise OSError(f"cannot listen for gRPC on {address}")
    return server


def set_health(health_servicer: health.HealthServicer, ready: dict[str, bool]) -> None:
    """Per public service, SERVING when its backing service answers; "" for the whole."""
    serving = health_pb2.HealthCheckResponse.SERVING
    not_serving = health_pb2.HealthCheckResponse.NOT_SERVING
    for public, backing in BACKING_SERVICE.items():
        health_servicer.set(public, serving if ready.get(backing) else not_serving)
    health_servicer.set("ladder.v1.Diagnostics", serving if any(ready.values()) else not_serving)
    health_servicer.set("", serving if ready and all(ready.values()) else not_serving)
