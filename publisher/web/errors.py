"""The one place where errors become HTTP answers, in the format the client negotiated.

Browsers get an HTML page (publisher.web.html.render_error), JSON and JSON-LD clients a JSON
object `{"status", "error", "message"}`, everyone else plain text. Messages are ours: an
unexpected exception is logged with its traceback and answered with a generic 500, so no
internal text ever reaches a client.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from publisher.errors import (
    AictError,
    InputError,
    NotFound,
    QueryForbidden,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from publisher.formats import DOCUMENT_FORMATS
from publisher.negotiation import NotAcceptable, choose

log = logging.getLogger("aict.web")

# Our own error kinds and their status; anything else is a 500.
_STATUS: tuple[tuple[type[AictError], int], ...] = (
    (NotFound, 404),
    (NotAcceptable, 406),
    (InputError, 400),
    (QuerySyntaxError, 400),
    (QueryForbidden, 403),
    (ResultTooLarge, 413),
    (QueryTimeout, 503),
)


class BadRequest(AictError):
    """A malformed path, IRI or parameter."""


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error answer in the client's format (HTML, JSON or plain text)."""
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    try:
        fmt = choose(request.headers.get("accept"), DOCUMENT_FORMATS).key
    except NotAcceptable:
        fmt = "text"
    if fmt == "html":
        from publisher.web.html import render_error  # the HTML helper's module
        from publisher.web.i18n import choose_lang

        page = render_error(request, status, message, lang=choose_lang(request))
        page.status_code = status
        for name, value in all_headers.items():
            page.headers[name] = value
        return page
    if fmt == "jsonld" or "json" in request.headers.get("accept", ""):
        body = {"status": status, "error": _reason(status), "message": message}
        return Response(
            json.dumps(body, ensure_ascii=False) + "\n",
            status_code=status,
            media_type="application/json",
            headers=all_headers,
        )
    return Response(
        f"{status} {_reason(status)}: {message}\n",
        status_code=status,
        media_type="text/plain; charset=utf-8",
        headers=all_headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(AictError, _aict_error)
    app.add_exception_handler(Exception, _unexpected)


async def _http_exception(request: Request, exc: StarletteHTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else _reason(exc.status_code)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Each method may be its own route: Allow lists what every route of this path takes.
        allowed = _allowed_methods(request)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
    elif exc.status_code == 404 and message == _reason(404):
        message = f"no resource at {request.url.path}"
    return error_response(request, exc.status_code, message, headers)


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    pending = list(request.app.router.routes)
    while pending:
        route = pending.pop()
        nested = getattr(route, "original_router", None)  # FastAPI's included routers
        if nested is not None:
            pending.extend(nested.routes)
            continue
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= set(route_methods)
    return sorted(methods)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
        for err in exc.errors()
    )
    return error_response(request, 400, f"invalid request: {problems}")


async def _aict_error(request: Request, exc: AictError) -> Response:
    if isinstance(exc, BadRequest):
        return error_response(request, 400, str(exc))
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return error_response(request, status, str(exc))
    log.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal error")


async def _unexpected(request: Request, exc: Exception) -> Response:  # the HTTP boundary
    log.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal error")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
