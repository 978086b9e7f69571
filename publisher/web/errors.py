"""The one place where errors become HTTP answers, in the format the client negotiated.

`ERRORS` maps each exception class of ours to its status (and headers); the most specific
class in an exception's MRO decides. Every route reaches `error_answer` (FastAPI's exception
handlers, and the /sparql fast path that skips FastAPI), and `error_response` writes the
body: an HTML page for browsers (publisher.web.html.render_error), a JSON object
`{"status", "error", "message"}` for clients that would get JSON, plain text for everyone else
(never a body that claims to be Turtle). Messages are ours; a 500 is logged with its
traceback and answered "internal error", so no internal text ever reaches a client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Match

from publisher.errors import (
    AictError,
    ConfigError,
    EngineRefused,
    InputError,
    NotFound,
    QueryError,
    QueryForbidden,
    QuerySyntaxError,
    QueryTimeout,
    RequestRefused,
    ResultTooLarge,
    StoreError,
    StoreUnavailable,
    Unavailable,
    UpdateForbidden,
    ValidationFailed,
)
from publisher.formats import DOCUMENT_FORMATS, HTML, JSON, SOLUTION_FORMATS
from publisher.negotiation import NotAcceptable, negotiate
from publisher.validation.paths import PathSyntaxError

log = logging.getLogger("aict.web")


class BadRequest(AictError):
    """A malformed path, IRI or parameter."""


@dataclass(frozen=True)
class ErrorKind:
    status: int | None  # None: the exception carries its own (RequestRefused)
    headers: Mapping[str, str] = field(default_factory=dict)
    message: Callable[[Exception], str] = str
    internal: bool = False  # our fault: logged, and the client is told no more


def _syntax_message(exc: Exception) -> str:
    assert isinstance(exc, QuerySyntaxError)
    where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
    return f"query syntax error{where}: {exc.message}"


RETRY_SOON = {"Retry-After": "1"}
INTERNAL = ErrorKind(500, internal=True)

ERRORS: dict[type[Exception], ErrorKind] = {
    RequestRefused: ErrorKind(None),
    BadRequest: ErrorKind(400),
    # The client left before sending all of its body: its fault, and nobody reads the answer.
    ClientDisconnect: ErrorKind(
        400, message=lambda exc: "the connection closed before the whole request body arrived"
    ),
    InputError: ErrorKind(400),
    NotFound: ErrorKind(404),
    NotAcceptable: ErrorKind(406),
    QuerySyntaxError: ErrorKind(400, message=_syntax_message),
    # SERVICE, LOAD or a remote FROM: the query is refused as written, like a syntax error.
    QueryForbidden: ErrorKind(400),
    UpdateForbidden: ErrorKind(403),
    ResultTooLarge: ErrorKind(413),
    EngineRefused: ErrorKind(502),
    QueryTimeout: ErrorKind(503, RETRY_SOON),
    Unavailable: ErrorKind(503, {"Retry-After": "5"}),
    StoreUnavailable: ErrorKind(503, {"Retry-After": "5"}),
    # Ours to fix, not the client's: logged, answered "internal error".
    QueryError: INTERNAL,
    StoreError: INTERNAL,
    ConfigError: INTERNAL,
    ValidationFailed: INTERNAL,
    PathSyntaxError: INTERNAL,  # a SHACL engine changed its output
    AictError: INTERNAL,
}


def kind_of(exc: Exception) -> ErrorKind:
    for cls in type(exc).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return INTERNAL


def error_answer(request: Request, exc: Exception) -> Response:
    """The answer to any exception raised while answering `request`."""
    kind = kind_of(exc)
    if kind.internal:
        log.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, "internal error", message_fr="erreur interne")
    status = kind.status if kind.status is not None else getattr(exc, "status", 400)
    headers = {**kind.headers, **getattr(exc, "headers", {})}
    if status == 405 and "Allow" not in headers:
        headers.update(_allow_header(request))
    # The French an exception carries, unless its kind words the message itself.
    french = exc.text_in("fr") if isinstance(exc, AictError) and kind.message is str else None
    return error_response(request, status, kind.message(exc), headers, message_fr=french)


# What a client would get as its answer decides the error body's format.
_ANSWER_FORMATS = (*DOCUMENT_FORMATS, *SOLUTION_FORMATS, JSON)


def error_response(
    request: Request,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    message_fr: str | None = None,
) -> Response:
    """An error answer in the client's format (HTML, JSON or plain text). The HTML page is in
    the reader's language, and so is its message where `message_fr` gives it in French (JSON
    and plain text, read by programs, keep the English)."""
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    try:
        choice = negotiate(request.headers.get("accept"), _ANSWER_FORMATS)
    except NotAcceptable:
        choice = None
    if choice is not None and choice.format is HTML:
        from publisher.web.html import render_error  # the HTML helper's module
        from publisher.web.i18n import choose_lang

        lang = choose_lang(request)
        text = message_fr if lang == "fr" and message_fr else message
        page = render_error(request, status, text, lang=lang)
        page.status_code = status
        for name, value in all_headers.items():
            page.headers[name] = value
        return page
    if choice is not None and choice.media_type.endswith("json"):
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
    # AictError and ClientDisconnect (the client's doing, not a bug to log) are answered by
    # the exception middleware; Exception by the server-error one, which answers and then
    # re-raises for the server to log.
    app.add_exception_handler(AictError, _any_error)
    app.add_exception_handler(ClientDisconnect, _any_error)
    app.add_exception_handler(Exception, _any_error)


async def _any_error(request: Request, exc: Exception) -> Response:  # the HTTP boundary
    return error_answer(request, exc)


async def _http_exception(request: Request, exc: StarletteHTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else _reason(exc.status_code)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allow = _allow_header(request)
        if allow:
            headers.update(allow)
            message = f"{request.method} is not allowed here; allowed: {allow['Allow']}"
            french = f"{request.method} n'est pas permis ici ; permis : {allow['Allow']}"
            return error_response(request, 405, message, headers, message_fr=french)
    elif exc.status_code == 404 and message == _reason(404):
        message = f"no resource at {request.url.path}"
        french = f"aucune ressource à l'adresse {request.url.path}"
        return error_response(request, 404, message, headers, message_fr=french)
    return error_response(request, exc.status_code, message, headers)


def _allow_header(request: Request) -> dict[str, str]:
    """Each method may be its own route: Allow lists what every route of this path takes."""
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
    return {"Allow": ", ".join(sorted(methods))} if methods else {}


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
        for err in exc.errors()
    )
    return error_response(request, 400, f"invalid request: {problems}")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
