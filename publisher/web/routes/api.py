"""Named queries as REST endpoints: GET /api/<name>?<param>=<value>, JSON or CSV.

One route per .rq file so that each appears in the OpenAPI document (/docs) with its title,
description and typed parameters; all share the module-level handler `run_named_query`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from publisher.errors import QueryError, QuerySyntaxError
from publisher.formats import API_FORMATS
from publisher.negotiation import Choice, negotiate_data
from publisher.sparql.errors import ProtocolError
from publisher.sparql.formats import FORMAT_SYNONYMS, Shape
from publisher.sparql.named_queries import NamedQuery, ParameterError, bundled_queries
from publisher.web.deps import SparqlDep, StoreDep
from publisher.web.errors import BadRequest
from publisher.web.i18n import LANG_PARAM
from publisher.web.representation import represent
from publisher.web.routes.sparql import endpoint_url, truncation_headers

API_PREFIX = "/api/"
# `format=` names, as on /sparql.
_BY_NAME = {name: FORMAT_SYNONYMS[name][Shape.SOLUTIONS] for name in ("json", "csv")}
_OPENAPI_TYPES = {
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "iri": {"type": "string", "format": "uri"},
}


def _openapi_parameters(query: NamedQuery) -> list[dict]:
    parameters = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": f"{p.description} ({p.type})".strip(),
            "schema": _OPENAPI_TYPES.get(p.type, {"type": "string"}),
            **({"example": p.example} if p.example is not None else {}),
        }
        for p in query.parameters
    ]
    parameters.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "json or csv; overrides the Accept header",
            "schema": {"type": "string", "enum": list(_BY_NAME)},
        }
    )
    return parameters


def build_router(queries: dict[str, NamedQuery] | None = None) -> APIRouter:
    router = APIRouter(tags=["named queries"])
    for query in (queries if queries is not None else bundled_queries()).values():
        # HEAD as GET (RFC 9110 §9.1), kept out of the OpenAPI document.
        router.add_api_route(
            API_PREFIX + query.name,
            run_named_query,
            methods=["HEAD"],
            name=f"named-query-{query.name}-head",
            include_in_schema=False,
        )
        router.add_api_route(
            API_PREFIX + query.name,
            run_named_query,
            methods=["GET"],
            name=f"named-query-{query.name}",
            summary=query.title,
            description=f"{query.description}\n\n```sparql\n{query.text}\n```",
            response_class=Response,
            openapi_extra={
                "parameters": _openapi_parameters(query),
                "responses": {
                    "200": {
                        "description": "The answer",
                        "content": {"application/sparql-results+json": {}, "text/csv": {}},
                    }
                },
            },
        )
    return router


def query_of(request: Request) -> NamedQuery:
    name = request.scope["route"].path.removeprefix(API_PREFIX)
    return bundled_queries()[name]


async def run_named_query(request: Request, service: SparqlDep, store: StoreDep) -> Response:
    """Run the named query the route stands for, with the request's parameters bound."""
    query = query_of(request)
    items = request.query_params.multi_items()
    # Not the query's: `format=`, and the site's language switch (`lang=`), which error
    # pages add to their own URL to be read in the other language.
    params = {k: v for k, v in items if k not in ("format", LANG_PARAM)}
    names = [k for k, _ in items]
    repeated = sorted({k for k in names if names.count(k) > 1})
    if repeated:
        raise ProtocolError(
            f"parameter(s) given more than once: {', '.join(repeated)}",
            message_fr=f"paramètre(s) donné(s) plus d'une fois : {', '.join(repeated)}",
        )
    try:
        bindings = query.bindings(params)
    except ParameterError as exc:
        raise BadRequest(
            f"parameter {exc.field}: {exc.message}",
            message_fr=f"paramètre {exc.field} : {exc.message_in('fr')}",
        ) from None
    override = request.query_params.get("format")
    if override:
        if override not in _BY_NAME:
            raise ProtocolError(
                f"format must be {' or '.join(_BY_NAME)}",
                message_fr=f"format doit valoir {' ou '.join(_BY_NAME)}",
            )
        choice = Choice(_BY_NAME[override], _BY_NAME[override].media_type)
    else:
        choice = negotiate_data(request.headers.get("accept"), API_FORMATS)
    try:
        answer = await service.query(
            query.text,
            fmt=choice.format,
            media_type=choice.media_type,
            timeout=service.timeout_for(None),
            note=f"{endpoint_url(request)}#result-limit",
            substitutions=bindings,
        )
    except QuerySyntaxError as exc:  # a broken .rq file is our bug, not the client's
        raise QueryError(f"the named query {query.name} does not parse: {exc.message}") from exc
    # A named query with the same parameters gives the same bytes until the data changes
    # (each .rq orders its rows), so answers take the dataset's validators: a dashboard or
    # a portal polling /api revalidates with a 304.
    return represent(
        request,
        answer.payload,
        media_type=answer.content_type,
        store=store,
        settings=service.settings,
        headers=truncation_headers(answer, service.settings.result_limit),
        vary=("Accept",),
    )
