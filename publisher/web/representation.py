"""The one pipeline a representation of the data goes through: negotiate, render, cache.

`serve_document` serves one of our documents (a resource's description, the catalog, VoID)
in the format the suffix or the Accept header picks: HTML rendered by the page frame, RDF
serialised from the graph. `serve_page` serves a page that is not negotiated (home, search,
figures). Both end in `represent`, which gives every answer derived from the data the same
validators (strong ETag, Last-Modified), Cache-Control, Vary, gzip and 304s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rdflib import Graph
from starlette.requests import Request
from starlette.responses import Response

from publisher.config import Settings
from publisher.formats import DOCUMENT_FORMATS, HTML, Format
from publisher.negotiation import choose
from publisher.store import Store
from publisher.web.caching import cached_response
from publisher.web.serialize import serialize_graph

# What the page frame sets that a cached answer keeps (cached_response sets the rest).
_FRAME_HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "content-language",
    "set-cookie",
}
# A page's language comes from Accept-Language or the cookie the switch sets.
PAGE_VARY = ("Accept-Language", "Cookie")


def link_alternates(url: str) -> list[str]:
    """`Link` values naming the document at `url` in each format we serve it in."""
    return [
        f'<{url}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENT_FORMATS
    ]


def represent(
    request: Request,
    body: bytes,
    *,
    media_type: str,
    store: Store,
    settings: Settings,
    headers: Mapping[str, str] | None = None,
    vary: tuple[str, ...] = (),
    gzipped: Callable[[], bytes] | None = None,
) -> Response:
    """A 200 (or 304) carrying validators of the dataset version it was derived from."""
    return cached_response(
        request,
        body,
        media_type=media_type,
        version=store.version,
        last_modified=store.last_modified,
        max_age=settings.cache_max_age,
        headers=headers,
        vary=vary,
        gzipped=gzipped,
    )


def serve_page(
    request: Request,
    page: Response,
    *,
    store: Store,
    settings: Settings,
    headers: Mapping[str, str] | None = None,
    vary: tuple[str, ...] = (),
) -> Response:
    """A rendered page as a representation: the frame's headers kept, and the answer to the
    language switch (it sets a cookie) kept out of shared caches."""
    kept = {name: value for name, value in page.headers.items() if name in _FRAME_HEADERS}
    if "set-cookie" in kept:
        kept["Cache-Control"] = "private, no-cache"
    return represent(
        request,
        bytes(page.body),
        media_type=page.headers.get("content-type", "text/html; charset=utf-8"),
        store=store,
        settings=settings,
        headers={**(headers or {}), **kept},
        vary=(*vary, *PAGE_VARY),
    )


def document_format(request: Request, fixed: Format | None) -> Format:
    """The suffix's format, else the negotiated one (NotAcceptable: 406)."""
    return fixed or choose(request.headers.get("accept"), DOCUMENT_FORMATS)


def serve_document(
    request: Request,
    url: str,
    fmt: Format,
    *,
    negotiated: bool,
    store: Store,
    settings: Settings,
    page: Callable[[], Response],
    graph: Callable[[Format], Graph],
    canonical: str,
    public: str,
    links: tuple[str, ...] = (),
    query: str = "",
) -> Response:
    """The document at `url` in `fmt` (from `document_format`).

    `page` renders it for people; `graph(fmt)` gives the triples to write in `fmt`, already
    rebased to `public`. A negotiated answer names the URL of what it chose (Content-Location,
    with `query`, e.g. `?page=2`) and varies on Accept."""
    headers = {"Link": ", ".join([*link_alternates(url), *links])}
    vary: tuple[str, ...] = ()
    if negotiated:
        headers["Content-Location"] = f"{url}.{fmt.extension}{query}"
        vary = ("Accept",)
    if fmt is HTML:
        return serve_page(
            request, page(), store=store, settings=settings, headers=headers, vary=vary
        )
    body = serialize_graph(graph(fmt), fmt, canonical=canonical, public=public)
    return represent(
        request,
        body,
        media_type=fmt.content_type,
        store=store,
        settings=settings,
        headers=headers,
        vary=vary,
    )
