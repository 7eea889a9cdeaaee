"""The HTTP/JSON adapter: the same LadderApi, documented by OpenAPI at /openapi.json."""

from __future__ import annotations

import hashlib
import html
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.api import LadderApi
from gateway.auth import Guard, Permission, principal_var
from gateway.errors import http_body, http_headers, mapping_for
from gateway.metrics import HttpMetrics, metrics_routes
from services.classifier.schema import (
    Classification,
    ClassifyRequest,
    DeletedProject,
    Frameworks,
    ProjectHistory,
    Questionnaire,
    StoredClassification,
)
from services.common.errors import InvalidArgument, LadderError
from services.common.logs import REQUEST_ID_HEADER, accept_request_id, request_id_var
from services.common.validation import violations_from
from services.matcher.schema import ImportReport, MatchRequest, MatchResponse, PutOrganizationResponse
from services.recommender.schema import RecommendRequest, RecommendResponse

log = logging.getLogger(__name__)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No credential, or not a valid one (`authorization: Bearer ...`)."},
    403: {"description": "The credential does not allow this (or this web origin)."},
    422: {"description": "Bad input: `error.field_violations` names each bad field."},
    429: {"description": "Rate limit reached; `retry-after` says when to try again."},
    413: {"description": "The body is larger than the limit (1 MB by default)."},
    503: {"description": "A service or the message bus did not answer in time."},
    500: {"description": "Unexpected failure; `error.request_id` identifies it in the logs."},
}


def create_app(
    api: LadderApi, readiness: Callable[[], dict[str, bool]], max_body_bytes: int,
    cors_origins: Sequence[str] = (),
    guard: Guard | None = None,
    demo_key: str = "",
) -> FastAPI:
    """`guard` admits each API request (authentication, permission, rate limit); the
    gateway's main always passes one. Without it the API is open, which only tests of
    other concerns use. Health, readiness, metrics, the OpenAPI document and the web
    files are always open."""
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

    def allowed(permission: Permission) -> list[Any]:
        return [Depends(_admit(guard, permission))]

    app.include_router(classifier_routes(api), tags=["classifier"],
                       dependencies=allowed(Permission.CLASSIFY))
    app.include_router(recommender_routes(api), tags=["recommender"],
                       dependencies=allowed(Permission.RECOMMEND))
    app.include_router(matcher_routes(api), tags=["matcher"], dependencies=allowed(Permission.MATCH))
    app.include_router(directory_routes(api), tags=["matcher"],
                       dependencies=allowed(Permission.DIRECTORY_WRITE))
    app.include_router(web_routes(demo_key=demo_key))
    app.include_router(metrics_routes(), tags=["operations"])

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
    if cors_origins:  # outermost, so errors (413, 422, 500) carry the headers too
        app.add_middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER],
            max_age=600,
        )
    app.add_middleware(HttpMetrics)  # outermost: it sees every answer, errors included
    return app


_bearer = HTTPBearer(
    auto_error=False, scheme_name="bearer",
    description="An API key (`ldr_...`) or, where configured, a JWT from your identity provider.",
)


def _admit(guard: Guard | None, permission: Permission) -> Callable[..., Any]:
    # async, so the principal set here is in the context the (threaded) endpoint copies.
    # The bearer parameter puts the scheme in the OpenAPI document; the header is read raw.
    async def admit(
        request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> None:
        if guard is None:
            return
        principal = guard.admit(request.headers.get("authorization"), permission, _web_origin(request))
        principal_var.set(principal)

    return admit


def _web_origin(request: Request) -> str | None:
    """The page's origin: browsers send `Origin` on cross-origin requests and on POSTs, but
    not on a same-origin GET, where the `Referer` (by default, at least the origin) tells."""
    origin = request.headers.get("origin")
    if origin:
        return origin
    referer = urlsplit(request.headers.get("referer", ""))
    return f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else None


def classifier_routes(api: LadderApi) -> APIRouter:
    router = APIRouter()

    @router.post("/v1/classifications", response_model=Classification,
                 summary="Place a project on the ladder, with evidence")
    def classify(request: ClassifyRequest) -> Any:
        return api.classify(request)

    @router.get("/v1/projects/{project_id}", response_model=StoredClassification,
                summary="A stored project's latest classification (your organisation's only)",
                responses={404: {"description": "No such project for your organisation."}})
    def project(project_id: str) -> Any:
        return api.project(project_id)

    @router.get("/v1/projects/{project_id}/history", response_model=ProjectHistory,
                summary="A stored project's classifications, newest first",
                responses={404: {"description": "No such project for your organisation."}})
    def project_history(project_id: str, limit: int = 50) -> Any:
        return api.project_history(project_id, limit)

    @router.delete("/v1/projects/{project_id}", response_model=DeletedProject,
                   summary="Delete a project and its whole history, description included",
                   responses={404: {"description": "No such project for your organisation."}})
    def delete_project(project_id: str) -> Any:
        return api.delete_project(project_id)

    @router.get("/v1/questionnaire", response_model=Questionnaire,
                summary="The self-assessment questions, options and help text, to render")
    def questionnaire() -> Any:
        return api.questionnaire()

    @router.get("/v1/frameworks", response_model=Frameworks,
                summary="The frameworks, crosswalk and SCIE values that classifications point to by id")
    def frameworks() -> Any:
        return api.frameworks()

    return router


class RecommendAnswer(RecommendResponse):
    """The recommender's answer, with the inline assessment when the gateway made one."""

    classification: Classification | None = Field(
        default=None,
        description="When current_rung came from answers: the classification, as "
        "POST /v1/classifications returns it; null otherwise.",
    )


def recommender_routes(api: LadderApi) -> APIRouter:
    router = APIRouter()

    @router.post("/v1/recommendations", response_model=RecommendAnswer,
                 response_model_exclude_unset=False,
                 summary="Involvement methods that climb the ladder within real constraints",
                 description=(
                     "Methods that reach the target rung without breaking the budget, the "
                     "weeks, the mode or any access need, ranked with reasons, trade-offs and "
                     "an estimated total cost; an outline plan rung by rung; actions for the "
                     "organisation on SCIE's jigsaw; and, when nothing fits, why and what "
                     "would change it. Give current_rung, or answers to assess first."
                 ))
    def recommend(request: RecommendRequest) -> Any:
        return api.recommend(request)

    return router


def matcher_routes(api: LadderApi) -> APIRouter:
    router = APIRouter()

    @router.post("/v1/matches", response_model=MatchResponse,
                 summary="Local user-led groups near a place, ranked, with reasons")
    def match(request: MatchRequest) -> Any:
        return api.match(request)

    @router.get("/v1/directory/export", summary="The whole directory, as Open Referral JSON or CSV",
                responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
    def export_directory(format: Literal["hsds", "csv"] = "hsds") -> Response:
        exported = api.export_directory({"format": format})
        if format == "csv":
            return Response(exported["csv"], media_type="text/csv; charset=utf-8")
        return JSONResponse(exported["hsds"])

    return router


def directory_routes(api: LadderApi) -> APIRouter:
    """Changes to the directory: a permission of their own (directory:write)."""
    router = APIRouter()

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

    return router


CSV_TYPES = ("text/csv", "application/csv")
DIRECTORY_BODY = Body(description="An Open Referral (HSDS 3.0) organization object, with its services, "
                                  "locations and attributes nested.")


WEB_DIR = Path(__file__).resolve().parent / "web"

WEB_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}

# Pages are checked on every visit (cheap: an ETag answers 304); scripts and styles are
# kept an hour, so a portal does not fetch the widget on every page view and an upgrade
# still reaches it within the hour.
PAGE_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=3600"

# The demo page loads nothing from elsewhere and runs no inline script.
DEMO_PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)


def web_routes(web_dir: Path = WEB_DIR, demo_key: str = "") -> APIRouter:
    """The embeddable widget (/widget/ladder.js) and the demo portal page (/, with its
    /demo/demo.js and /demo/demo.css). Files are read once, at start; only files found
    then are served."""
    router = APIRouter(include_in_schema=False)
    for path in sorted(path for path in web_dir.glob("*/*") if path.suffix in WEB_TYPES):
        # The page links its scripts relatively, so it is served only at the root.
        route = "/" if path.name == "index.html" else f"/{path.parent.name}/{path.name}"
        body = path.read_bytes()
        if path.name == "index.html":  # the demo portal's publishable key, public by design
            body = body.replace(b'<meta name="ladder-key" content="">',
                                f'<meta name="ladder-key" content="{html.escape(demo_key)}">'.encode())
        router.add_api_route(route, _static(path, body), methods=["GET", "HEAD"])
    return router


def _static(path: Path, body: bytes) -> Callable[[Request], Response]:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "etag": etag,
        "cache-control": PAGE_CACHE if path.suffix == ".html" else ASSET_CACHE,
        "x-content-type-options": "nosniff",
    }
    if path.suffix == ".html":
        headers["content-security-policy"] = DEMO_PAGE_POLICY
    else:  # portals on other origins load the widget, even those that isolate themselves
        headers["cross-origin-resource-policy"] = "cross-origin"
    media_type = WEB_TYPES[path.suffix]

    def serve(request: Request) -> Response:
        wanted = request.headers.get("if-none-match", "")
        if etag in (tag.strip().removeprefix("W/") for tag in wanted.split(",")) or wanted == "*":
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media_type, headers=headers)

    return serve


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
        http_body(error, request_id_var.get() or ""), status_code=mapping_for(error).http_status,
        headers=http_headers(error),
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
