"""Dereferencing our IRIs: `/id/…`, `/vocab/…`, `/ontology`, `/graph/…`.

Descriptions are served directly at the (hash-less) IRI, negotiated per request (no 303): the
IRI names the thing and, over HTTP, answers with its description, as Pubby and Trifid do.
`<IRI>.<ext>` gives one format whatever the Accept header; a negotiated answer says which one
it chose in Content-Location. `?page=N` pages through the incoming links. An IRI that moved
(its only statements are `dct:isReplacedBy` one IRI) answers 301 to the IRI that replaces it.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from starlette.responses import Response

from publisher.describe import Description
from publisher.formats import DOCUMENT_FORMATS, HTML, Format, by_extension
from publisher.namespaces import DCTERMS, HYDRA
from publisher.negotiation import NotAcceptable
from publisher.store import Store
from publisher.web.answer_cache import cached_answer
from publisher.web.deps import SettingsDep, StoreDep, canonical_base, public_base
from publisher.web.errors import BadRequest
from publisher.web.i18n import choose_lang
from publisher.web.rebase import rebase_graph, rebase_iri
from publisher.web.representation import document_format, serve_document
from publisher.web.routing import get_and_head

router = APIRouter(tags=["linked data"])

# The replacement of ?old and its other predicates, if any: anchored on dct:isReplacedBy, so it
# stays cheap whether the store substitutes ?old or joins it as a trailing VALUES clause.
_REPLACEMENT_QUERY = f"""SELECT ?old ?new ?other WHERE {{
  ?old <{DCTERMS.isReplacedBy}> ?new .
  OPTIONAL {{ ?old ?other ?value FILTER(?other != <{DCTERMS.isReplacedBy}>) }}
}}"""

_BY_EXTENSION = by_extension(DOCUMENT_FORMATS)
PageQuery = Annotated[int, Query(ge=1, le=1_000_000, description="Page of incoming links.")]


def _prefix_route(prefix: str, name: str, summary: str) -> None:
    """`/<prefix>/…`: every IRI we mint under that segment, paged."""

    def describe(
        request: Request, path: str, settings: SettingsDep, store: StoreDep, page: PageQuery = 1
    ) -> Response:
        return serve_resource(request, f"{prefix}/{path}", settings, store, page)

    get_and_head(router, f"/{prefix}/{{path:path}}", summary=summary, name=name)(describe)


_prefix_route("id", "identified_resource", "A resource of the dataset")
_prefix_route("vocab", "vocabulary_resource", "A concept scheme or concept")
_prefix_route("graph", "graph_resource", "A named graph")


@get_and_head(router, "/ontology", summary="The ontology document")
def ontology(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    return serve_resource(request, "ontology", settings, store, 1)


@get_and_head(router, "/ontology/{path:path}", summary="An ontology version")
def ontology_version(
    request: Request, path: str, settings: SettingsDep, store: StoreDep
) -> Response:
    return serve_resource(request, "ontology/" + path, settings, store, 1)


@get_and_head(router, "/ontology.{ext}", summary="The ontology in one format")
def ontology_format(request: Request, ext: str, settings: SettingsDep, store: StoreDep) -> Response:
    return serve_resource(request, "ontology." + ext, settings, store, 1)


def serve_resource(
    request: Request, path: str, settings: SettingsDep, store: StoreDep, page: int
) -> Response:
    """Describe the resource at `path` (relative to the base) in the format asked for."""
    resource_path, fixed = split_format_suffix(path)
    check_path(resource_path)
    try:
        fmt = document_format(request, fixed)
    except NotAcceptable:  # a moved IRI still redirects; otherwise the 406, unkept
        return _describe(request, resource_path, fixed, None, settings, store, page)
    lang = choose_lang(request) if fmt is HTML else None
    return cached_answer(
        request,
        store,
        settings,
        (fmt.key, lang),
        lambda: _describe(request, resource_path, fixed, fmt, settings, store, page),
    )


def _describe(
    request: Request,
    resource_path: str,
    fixed: Format | None,
    fmt: Format | None,
    settings: SettingsDep,
    store: StoreDep,
    page: int,
) -> Response:
    canonical, public = canonical_base(settings), public_base(request, settings)
    iri = canonical + resource_path
    replacement = moved_to(store, iri)
    if replacement is not None:
        suffix = f".{fixed.extension}" if fixed else ""
        location = rebase_iri(replacement, canonical, public) + suffix + _page_query(page)
        return Response(
            status_code=301,
            headers={
                "Location": location,
                "Cache-Control": f"public, max-age={settings.cache_max_age}",
            },
        )
    fmt = fmt or document_format(request, fixed)
    description = store.describe(iri, page=page, page_size=settings.page_size)
    resource_url = public + resource_path

    def graph(fmt: Format) -> Graph:
        rebased = rebase_graph(description.graph, canonical, public)
        _add_paging_triples(rebased, f"{resource_url}.{fmt.extension}", description)
        return rebased

    return serve_document(
        request,
        resource_url,
        fmt,
        negotiated=fixed is None,
        store=store,
        settings=settings,
        page=lambda: _render_html(request, description),
        graph=graph,
        canonical=canonical,
        public=public,
        links=tuple(_paging_links(resource_url, fixed, description)),
        query=_page_query(page),
    )


def moved_to(store: Store, iri: str) -> str | None:
    """The IRI that replaces `iri`, when `iri` moved: its only statements say
    `dct:isReplacedBy` one IRI (a resource that is described, such as a body replaced by
    another, is never redirected)."""
    rows = store.select(_REPLACEMENT_QUERY, old=URIRef(iri))
    targets = {str(row["new"]) for row in rows if isinstance(row.get("new"), URIRef)}
    if len(targets) != 1 or any(row.get("other") is not None for row in rows):
        return None
    return targets.pop()


def split_format_suffix(path: str) -> tuple[str, Format | None]:
    """'id/commune/21231.ttl' -> ('id/commune/21231', Turtle); no known suffix -> (path, None)."""
    head, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in _BY_EXTENSION and head:
        return head, _BY_EXTENSION[ext]
    return path, None


def check_path(path: str) -> None:
    """Refuse paths that cannot be one of our IRIs (400), before asking the store."""
    segments = path.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise _malformed(path)
    try:
        ox.NamedNode("https://example.org/" + path)
    except ValueError:
        raise _malformed(path) from None
    if any(char in path for char in "?#%"):
        raise _malformed(path)


def _malformed(path: str) -> BadRequest:
    return BadRequest(
        f"malformed resource path: /{path}", message_fr=f"chemin de ressource mal formé : /{path}"
    )


def _paging_links(resource_url: str, fixed: Format | None, description: Description) -> list[str]:
    url = resource_url + (f".{fixed.extension}" if fixed else "")
    links = []
    if description.has_more:
        links.append(f'<{url}{_page_query(description.page + 1)}>; rel="next"')
    if description.page > 1:
        links.append(f'<{url}{_page_query(description.page - 1)}>; rel="prev"')
        links.append(f'<{url}>; rel="first"')
    return links


def _add_paging_triples(graph: Graph, document: str, description: Description) -> None:
    """Hydra paging hints, as in Triple Pattern Fragments, for clients that read only RDF."""
    if not description.has_more and description.page == 1:
        return
    view = URIRef(document + _page_query(description.page))
    graph.bind("hydra", HYDRA)
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, URIRef(document)))
    if description.has_more:
        graph.add((view, HYDRA.next, URIRef(document + _page_query(description.page + 1))))
    if description.page > 1:
        graph.add((view, HYDRA.previous, URIRef(document + _page_query(description.page - 1))))


def _page_query(page: int) -> str:
    return f"?page={page}" if page > 1 else ""


def _render_html(request: Request, description: Description) -> Response:
    from publisher.web.html import render_resource  # the HTML helper's module

    return render_resource(
        request,
        description.iri,
        description.graph,
        lang=choose_lang(request),
        page=description.page,
        has_more=description.has_more,
    )
