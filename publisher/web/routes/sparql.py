"""The SPARQL 1.1 Protocol endpoint at /sparql, and its service description and query page.

Handlers are module-level functions over the application's SparqlService (publisher.web.deps,
started in the lifespan); all policy lives in publisher.sparql, this module only speaks HTTP.
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from publisher.errors import UpdateForbidden
from publisher.formats import GRAPH_FORMATS, HTML
from publisher.namespaces import PREFIXES
from publisher.negotiation import negotiate
from publisher.sparql.description import build_service_description
from publisher.sparql.errors import ProtocolError
from publisher.sparql.formats import DOWNLOADS
from publisher.sparql.named_queries import bundled_queries
from publisher.sparql.protocol import ALLOW, Operation, parse_operation
from publisher.sparql.service import Answer, SparqlService
from publisher.web import deps, i18n
from publisher.web.errors import error_answer
from publisher.web.html import public_base, render_page

log = logging.getLogger("aict.sparql")
router = APIRouter()

TRUNCATED_HEADER = "AICT-Result-Truncated"
LIMIT_HEADER = "AICT-Result-Limit"
# The service description: RDF for clients, the query page for browsers (who name text/html).
DESCRIPTION_FORMATS = (*GRAPH_FORMATS, HTML)


def endpoint_url(request: Request) -> str:
    settings = deps.settings_of(request)
    if settings.public_base:
        return _under(settings.public_base)
    # Starlette builds a URL object per call: a tenth of a small query's time in-process.
    scope = request.scope
    server = scope.get("server")
    key = (
        scope["scheme"],
        request.headers.get("host"),
        tuple(server) if server else None,
        scope.get("root_path", ""),
    )
    found = _ENDPOINTS.get(key)
    if found is None:
        if len(_ENDPOINTS) >= 1024:  # Host is the client's to choose: stay bounded
            _ENDPOINTS.clear()
        found = _ENDPOINTS[key] = _under(str(request.base_url))
    return found


_ENDPOINTS: dict[tuple, str] = {}


def _under(base: str) -> str:
    return (base if base.endswith("/") else base + "/") + "sparql"


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes `limit` bytes (declared or not)."""
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(f"the request body is larger than {limit} bytes", status=413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(f"the request body is larger than {limit} bytes", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


async def sparql_endpoint(request: Request) -> Response:
    try:
        return await _handle(request)
    except Exception as exc:  # the HTTP boundary of the fast path, which skips FastAPI's
        return error_answer(request, exc)


async def sparql_wrong_method(request: Request) -> Response:
    return error_answer(
        request, ProtocolError(f"method {request.method} is not allowed on /sparql", 405, ALLOW)
    )


async def sparql_options(request: Request) -> Response:
    """A plain OPTIONS (a browser's preflight is answered by the CORS middleware)."""
    return Response(status_code=204, headers=ALLOW)


class SparqlDirect:
    """ASGI middleware answering GET, HEAD and POST on /sparql before the router.

    Installed inside the CORS, gzip and body-limit middleware, it skips only FastAPI's
    routing and exception layers (a third of the per-request cost on a small query); the
    routes below stay for every other method and for the OpenAPI-free route table.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/sparql"
            and scope["method"] in ("GET", "HEAD", "POST")
        ):
            response = await sparql_endpoint(Request(scope, receive))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


# Plain Starlette routes: the handlers take the Request only, so FastAPI's dependency and
# response machinery would be per-request cost for nothing on the hottest path.
router.add_route(
    "/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"], include_in_schema=False
)
router.add_route(
    "/sparql", sparql_wrong_method, methods=["PUT", "DELETE", "PATCH"], include_in_schema=False
)
router.add_route("/sparql", sparql_options, methods=["OPTIONS"], include_in_schema=False)


async def _handle(request: Request) -> Response:
    service = deps.sparql_of(request)
    body = b""
    if request.method == "POST":
        body = await read_body(request, service.settings.max_body_bytes)
    operation = parse_operation(
        request.method,
        request.query_params.multi_items(),
        request.headers.get("content-type"),
        body,
    )
    accept = request.headers.get("accept")
    if operation.kind is None:
        return _describe_service(request, service, accept)
    if operation.kind == "update":
        return await _update(request, service, operation)
    return await _query(request, service, operation, accept)


async def _query(
    request: Request, service: SparqlService, operation: Operation, accept: str | None
) -> Response:
    # Relative IRIs in the query resolve against this endpoint's URL (SPARQL 1.1 Query
    # §4.1.1.1: the retrieval URI), as other servers do.
    base = endpoint_url(request)
    facts, shape = service.inspect_query(operation.text, base)
    service.check_dataset(operation.default_graphs, operation.named_graphs)
    choice = service.choose_format(shape, accept, operation.format)
    answer = await service.query(
        operation.text,
        fmt=choice.format,
        media_type=choice.media_type,
        timeout=service.timeout_for(operation.timeout),
        note=f"{base}#result-limit",
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        query_dataset=bool(facts.from_graphs or facts.from_named_graphs),
        base_iri=base,
    )
    return answer_response(answer, service.settings.result_limit, download=operation.format)


def truncation_headers(answer: Answer, limit: int) -> dict[str, str]:
    """The headers that say an answer stopped at the result cap (none when it did not)."""
    if not answer.truncated:
        return {}
    return {TRUNCATED_HEADER: "true", LIMIT_HEADER: str(limit)}


def answer_response(answer: Answer, limit: int, *, download: str | None = None) -> Response:
    headers = {"Vary": "Accept", "Cache-Control": "no-store", **truncation_headers(answer, limit)}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="result.{answer.format.extension}"'
    return Response(answer.payload, media_type=answer.content_type, headers=headers)


def _describe_service(request: Request, service: SparqlService, accept: str | None) -> Response:
    choice = negotiate(accept, DESCRIPTION_FORMATS)
    if choice.format is HTML:
        return render_query_page(request, service)
    store = deps.store_if_open(request)
    graph = build_service_description(
        endpoint_url(request),
        service.graphs,
        # Advertised only when it can work: a token is set and the store accepts updates.
        update_enabled=service.settings.update_token is not None
        and callable(getattr(store, "update", None)),
        triples=store.triple_count() if store is not None else None,
    )
    payload = graph.serialize(format=choice.format.rdflib, encoding="utf-8")
    return Response(payload, media_type=choice.content_type, headers={"Vary": "Accept"})


DEFAULT_QUERY_PREFIXES = ("aict", "rdfs", "skos", "dct", "org")
DEFAULT_QUERY_BODY = """SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n)
LIMIT 20
"""


def render_query_page(request: Request, service: SparqlService) -> Response:
    """The HTML query page: an editor, the known prefixes, the named queries as examples."""
    lang = i18n.choose_lang(request)
    root = public_base(request)
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in DEFAULT_QUERY_PREFIXES)
    examples = [
        {
            "name": q.name,
            "title": q.title_in(lang),
            "description": q.description_in(lang),
            "text": q.text,
            "api_url": f"{root}api/{q.name}?{urlencode(q.example_bindings())}",
        }
        for q in bundled_queries().values()
    ]
    settings = service.settings
    context = {
        "endpoint": endpoint_url(request),
        "prefixes": sorted(PREFIXES.items()),
        "default_query": prologue + "\n" + DEFAULT_QUERY_BODY,
        "examples": examples,
        "downloads": [(name, fmt.label) for name, fmt in DOWNLOADS],
        "timeout": f"{settings.query_timeout:g}",
        "limit": settings.result_limit,
    }
    title = "Point d'accès SPARQL" if lang == "fr" else "SPARQL endpoint"
    response = render_page(request, "sparql.html", context, lang=lang, title=title)
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


async def _update(request: Request, service: SparqlService, operation: Operation) -> Response:
    token = service.settings.update_token
    given = request.headers.get("authorization", "")
    scheme, _, credentials = given.partition(" ")
    if not token:
        raise UpdateForbidden("SPARQL Update is disabled on this endpoint (read-only store)")
    if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.strip(), token):
        raise UpdateForbidden(
            "SPARQL Update needs 'Authorization: Bearer <token>' with the configured token"
        )
    await service.update(operation.text, deps.store_of(request), base_iri=endpoint_url(request))
    return Response(status_code=204)
