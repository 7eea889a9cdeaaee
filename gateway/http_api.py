"""The HTTP/JSON adapter: the same LadderApi, documented by OpenAPI at /openapi.json."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Body, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.api import LadderApi
from gateway.errors import http_body, mapping_for
from services.classifier.schema import Classification, ClassifyRequest
from services.common.errors import InvalidArgument, LadderError
from services.common.logs import REQUEST_ID_HEADER, accept_request_id, request_id_var
from services.common.validation import violations_from
from services.matcher.schema import ImportReport, MatchRequest, MatchResponse, PutOrganizationResponse
from services.recommender.schema import RecommendRequest, RecommendResponse

log = logging.getLogger(__name__)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"description": "Bad input: `error.field_violations` names each bad field."},
    413: {"description": "The body is larger than the limit (1 MB by default)."},
    503: {"description": "A service or the message bus did not answer in time."},
    500: {"description": "Unexpected failure; `error.request_id` identifies it in the logs."},
}


def create_app(api: LadderApi, readiness: Callable[[], dict[str, bool]], max_body_bytes: int) -> FastAPI:
    app = FastAPI(
        title="Ladder",
        version="1.0.0",
        summary="Where a project stands on the ladder of co-production, and how to climb it.",
        description=(
            "HTTP/JSON API of Ladder. The same operations are offered over gRPC "
            "(ladder.v1 in protos/). Rungs are written lowercase with hyphens, e.g. "
            '"co-design". Every response carries an `x-request-id` header; send your own '
            "to correlate logs."
        ),
        responses=ERROR_RESPONSES,
        # The interactive docs pages load scripts from a CDN; nothing may download at run
        # time, so only the OpenAPI document itself is served.
        docs_url=None,
        redoc_url=None,
    )

    app.include_router(classifier_routes(api), tags=["classifier"])
    app.include_router(recommender_routes(api), tags=["recommender"])
    app.include_router(matcher_routes(api), tags=["matcher"])

    @app.get("/healthz", tags=["operations"], summary="The gateway process is alive")
    def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz", tags=["operations"], summary="Ready: the bus and every service answer",
             responses={503: {"description": "Not ready; `services` says which do not answer."}})
    def readyz() -> JSONResponse:
        services = readiness()
        ready = bool(services) and all(services.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "services": services},
            status_code=200 if ready else 503,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error_response(InvalidArgument(_violations(error)))

    @app.exception_handler(LadderError)
    async def refused(request: Request, error: LadderError) -> JSONResponse:
        return _error_response(error)

    app.add_middleware(BodyLimit, max_body_bytes=max_body_bytes)
    app.add_middleware(RequestId)
    return app


def classifier_routes(api: LadderApi) -> APIRouter:
    router = APIRouter()

    @router.post("/v1/classifications", response_model=Classification,
                 summary="Place a project on the ladder, with evidence")
    def classify(request: ClassifyRequest) -> Any:
        return api.classify(request)

    return router


def recommender_routes(api: LadderApi) -> APIRouter:
    router = APIRouter()

    @router.post("/v1/recommendations", response_model=RecommendResponse,
                 summary="Involvement methods that reach a target rung")
    def recommend(request: RecommendRequest) -> Any:
        return api.recommend(request)

    return router


def matcher_routes(api: LadderApi) -> APIRouter:
    router = APIRouter()

    @router.post("/v1/matches", response_model=MatchResponse,
                 summary="Local user-led groups near a place, ranked, with reasons")
    def match(request: MatchRequest) -> Any:
        return api.match(request)

    @router.put("/v1/directory/organizations/{organization_id}", response_model=PutOrganizationResponse,
                summary="Create or replace an organisation (Open Referral organization object)")
    def put_organization(organization_id: str, organization: dict[str, Any] = DIRECTORY_BODY) -> Any:
        return api.put_organization({"id": organization_id, "organization": organization})

    @router.delete("/v1/directory/organizations/{organization_id}",
                   summary="Delete an organisation and everything attached to it",
                   responses={404: {"description": "No organisation with that id."}})
    def delete_organization(organization_id: str) -> dict[str, str]:
        return api.delete_organization({"id": organization_id})

    @router.post("/v1/directory/import", response_model=ImportReport,
                 summary="Import Open Referral JSON or Ladder's CSV; every bad record is reported",
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/json": {"schema": {"type": "object"}},
                     "text/csv": {"schema": {"type": "string"}}}}})
    async def import_directory(request: Request) -> Any:
        body = await request.body()
        media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media_type in CSV_TYPES:
            try:
                payload: dict[str, Any] = {"format": "csv", "content": body.decode("utf-8")}
            except UnicodeDecodeError:
                raise InvalidArgument.one("body", "the CSV is not UTF-8 text") from None
        elif media_type in ("application/json", ""):
            try:
                payload = {"format": "hsds", "feed": json.loads(body)}
            except ValueError as error:
                raise InvalidArgument.one("body", f"not valid JSON: {error}") from None
        else:
            raise InvalidArgument.one("content-type", f"{media_type!r}: send application/json (Open "
                                                      "Referral JSON) or text/csv")
        return await run_in_threadpool(api.import_directory, payload)

    @router.get("/v1/directory/export", summary="The whole directory, as Open Referral JSON or CSV",
                responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
    def export_directory(format: Literal["hsds", "csv"] = "hsds") -> Response:
        exported = api.export_directory({"format": format})
        if format == "csv":
            return Response(exported["csv"], media_type="text/csv; charset=utf-8")
        return JSONResponse(exported["hsds"])

    return router


CSV_TYPES = ("text/csv", "application/csv")
DIRECTORY_BODY = Body(description="An Open Referral (HSDS 3.0) organization object, with its services, "
                                  "locations and attributes nested.")


def _violations(error: RequestValidationError) -> list[dict[str, str]]:
    problems = []
    for problem in error.errors():
        loc = tuple(problem.get("loc", ()))
        if problem.get("type") == "json_invalid":
            detail = problem.get("ctx", {}).get("error", problem["msg"])
            problems.append({"loc": (), "msg": f"not valid JSON: {detail}"})
        else:  # FastAPI puts the body's fields under "body"; the client knows no such level
            problems.append({"loc": loc[1:] if loc[:1] == ("body",) else loc, "msg": problem["msg"]})
    return violations_from(problems)


def _error_response(error: BaseException) -> JSONResponse:
    return JSONResponse(
        http_body(error, request_id_var.get() or ""), status_code=mapping_for(error).http_status
    )


class RequestId:
    """Take the caller's x-request-id (if well formed) or make one; set it for logging and
    echo it on the response. Pure ASGI, so the context reaches the endpoint's thread.

    Unexpected errors are answered here too, as a JSON 500 carrying the request id:
    Starlette's own error handler sits outside every middleware, where the id is gone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(_header(scope, REQUEST_ID_HEADER))
        token = request_id_var.set(request_id)

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", []).append(
                    (REQUEST_ID_HEADER.encode(), request_id.encode())
                )
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:  # the last line of defence: never a stack trace out
            log.error("request failed", exc_info=error, extra={"path": scope.get("path")})
            if not started:
                await _send_json(send_with_id, 500, http_body(error, request_id))
        finally:
            request_id_var.reset(token)


class BodyLimit:
    """Refuse bodies over the limit with 413 before they are parsed: at once when
    Content-Length says so; a body sent without one (chunked) is read up to the limit
    first, then handed on, so no parser ever holds more than the limit."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, "content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > self.limit:
                await self._too_large(send)
                return
            await self.app(scope, receive, send)  # the server holds the body to its length
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                await self._too_large(send)
                return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await _send_json(send, 413, {
            "error": {
                "code": "payload_too_large",
                "message": f"the request body is larger than the limit of {self.limit:,} bytes",
                "request_id": request_id_var.get() or "",
                "field_violations": [
                    {"field": "body", "description": f"larger than {self.limit:,} bytes"}
                ],
            }
        })


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
    ]})
    await send({"type": "http.response.body", "body": payload})


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None
