"""Triple Pattern Fragments at /fragments, for Linked Data Fragments clients (Comunica)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from publisher.formats import FRAGMENT_FORMATS
from publisher.negotiation import negotiate_data
from publisher.sparql.errors import ProtocolError
from publisher.sparql.fragments import (
    PAGE_SIZE,
    FragmentRequest,
    build_fragment,
    parse_pattern_term,
    serialize_fragment,
)
from publisher.web.deps import SettingsDep, SparqlDep, StoreDep
from publisher.web.representation import represent

router = APIRouter()


def fragments_url(request: Request, settings: SettingsDep) -> str:
    base = settings.public_base or str(request.base_url)
    return (base if base.endswith("/") else base + "/") + "fragments"


# Far past any fragment, and its offset still fits the engine's 64-bit integers.
MAX_PAGE = 10**15


def _page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    # ASCII digits only: "¹" and "٣" are digits to str.isdigit, not to int().
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ProtocolError(
            "page must be a positive integer",
            message_fr="page doit être un nombre entier positif",
        )
    if int(raw) > MAX_PAGE:
        raise ProtocolError(
            f"page must be at most {MAX_PAGE}", message_fr=f"page doit valoir au plus {MAX_PAGE}"
        )
    return int(raw)


# HEAD too: every general-purpose server must support it (RFC 9110 §9.1).
@router.api_route("/fragments", methods=["GET", "HEAD"], include_in_schema=False)
async def triple_pattern_fragment(
    request: Request, settings: SettingsDep, store: StoreDep, service: SparqlDep
) -> Response:
    params = request.query_params
    wanted = FragmentRequest(
        params.get("subject") or None,
        params.get("predicate") or None,
        params.get("object") or None,
        _page(params.get("page")),
    )
    pattern = [
        parse_pattern_term(getattr(wanted, name), name)
        for name in ("subject", "predicate", "object")
    ]
    choice = negotiate_data(request.headers.get("accept"), FRAGMENT_FORMATS)
    found = await service.fragment(*pattern, offset=(wanted.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    quads = build_fragment(fragments_url(request, settings), wanted, found.total, found.ntriples)
    # A page of a read-only store has the same triples in the same order each time (the
    # fragment query is deterministic on one loaded store), so it takes the dataset's
    # validators: harvesters and TPF clients can revalidate a page with a 304.
    return represent(
        request,
        serialize_fragment(quads, choice.format),
        media_type=choice.content_type,
        store=store,
        settings=settings,
        vary=("Accept",),
    )
