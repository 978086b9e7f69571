"""For harvesters: the DCAT catalog at /catalog, VoID at /.well-known/void, and the dumps."""

from __future__ import annotations

from fastapi import APIRouter, Request
from rdflib import Graph
from starlette.responses import Response

from publisher.catalog import DUMPS, Publication
from publisher.errors import NotFound
from publisher.namespaces import CATALOG_IRI, VOID_DOC_IRI
from publisher.negotiation import BY_EXTENSION, RDF_FORMATS, Format, choose
from publisher.web.caching import cached_response
from publisher.web.deps import SettingsDep, StoreDep, canonical_base, public_base
from publisher.web.rebase import rebase_graph, rebase_iri
from publisher.web.routing import get_and_head
from publisher.web.serialize import serialize_graph

router = APIRouter(tags=["catalog"])


def get_publication(request: Request) -> Publication:
    return request.app.state.publication


@get_and_head(router, "/catalog", summary="DCAT-AP 3.0 catalog")
def catalog(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    graph = get_publication(request).catalog()
    return _serve_graph(request, graph, CATALOG_IRI, None, settings, store)


@get_and_head(router, "/catalog.{ext}", summary="The catalog in one format")
def catalog_format(request: Request, ext: str, settings: SettingsDep, store: StoreDep) -> Response:
    graph = get_publication(request).catalog()
    return _serve_graph(request, graph, CATALOG_IRI, _rdf_format(ext), settings, store)


@get_and_head(router, "/.well-known/void", summary="VoID description")
def void(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    graph = get_publication(request).void()
    return _serve_graph(request, graph, VOID_DOC_IRI, None, settings, store)


@get_and_head(router, "/.well-known/void.{ext}", summary="VoID in one format")
def void_format(request: Request, ext: str, settings: SettingsDep, store: StoreDep) -> Response:
    graph = get_publication(request).void()
    return _serve_graph(request, graph, VOID_DOC_IRI, _rdf_format(ext), settings, store)


@get_and_head(router, "/dumps/{name}", summary="A dump of the whole dataset")
def dump(request: Request, name: str, settings: SettingsDep, store: StoreDep) -> Response:
    if name not in {spec.name for spec in DUMPS}:
        raise NotFound(f"no dump named {name}; available: {', '.join(s.name for s in DUMPS)}")
    publication = get_publication(request)
    dump_file = publication.dump(name)
    return cached_response(
        request,
        dump_file.data,
        media_type=dump_file.spec.content_type,
        version=store.version,
        last_modified=store.last_modified,
        max_age=settings.cache_max_age,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
        gzipped=lambda: publication.dump_gzipped(name),
    )


def _rdf_format(ext: str) -> Format:
    fmt = BY_EXTENSION.get(ext)
    if fmt is None or fmt.rdflib_format is None:
        raise NotFound(f"no such format: .{ext}")
    return fmt


def _serve_graph(
    request: Request,
    graph: Graph,
    iri: str,
    fixed: Format | None,
    settings: SettingsDep,
    store: StoreDep,
) -> Response:
    """An RDF document of ours, negotiated among the RDF formats (these have no HTML page)."""
    canonical, public = canonical_base(settings), public_base(request, settings)
    fmt = fixed or choose(request.headers.get("accept"), RDF_FORMATS)
    url = rebase_iri(iri, canonical, public)
    links = [f'<{url}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in RDF_FORMATS]
    headers = {"Link": ", ".join(links)}
    if fixed is None:
        headers["Content-Location"] = f"{url}.{fmt.extension}"
    body = serialize_graph(
        rebase_graph(graph, canonical, public), fmt, canonical=canonical, public=public
    )
    return cached_response(
        request,
        body,
        media_type=fmt.content_type,
        version=store.version,
        last_modified=store.last_modified,
        max_age=settings.cache_max_age,
        headers=headers,
        vary=("Accept",) if fixed is None else (),
    )
