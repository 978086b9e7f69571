"""For harvesters: the DCAT catalog at /catalog, VoID at /.well-known/void, and the dumps.

Browsers asking for text/html get a readable page of the same graph, in French or English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fastapi import APIRouter, Request
from rdflib import Graph
from starlette.responses import RedirectResponse, Response

from publisher import stats
from publisher.catalog import DUMPS, Publication
from publisher.errors import NotFound
from publisher.formats import DOCUMENT_FORMATS, HTML, Format, by_extension
from publisher.namespaces import CATALOG_IRI, VOID_DOC_IRI
from publisher.store import Store
from publisher.web import i18n
from publisher.web.answer_cache import cached_answer
from publisher.web.catalog_page import build_catalog_view, build_void_view, format_bytes
from publisher.web.deps import PublicationDep, SettingsDep, StoreDep, canonical_base, public_base
from publisher.web.html import alternate_links, href_builder, render_page
from publisher.web.rebase import rebase_graph, rebase_iri
from publisher.web.representation import document_format, represent, serve_document
from publisher.web.routes.pages import dump_links
from publisher.web.routing import get_and_head

router = APIRouter(tags=["catalog"])
GraphOf = Callable[[Publication], Graph]  # the document a route serves, from the build


def _document_routes(
    path: str, name: str, summaries: tuple[str, str], iri: str, graph_of: GraphOf
) -> None:
    """`path`, negotiated, and `path.{ext}` in the one format its suffix names."""

    def negotiated(
        request: Request, settings: SettingsDep, store: StoreDep, publication: PublicationDep
    ) -> Response:
        return _serve_graph(request, graph_of(publication), iri, None, settings, store)

    def one_format(
        request: Request,
        ext: str,
        settings: SettingsDep,
        store: StoreDep,
        publication: PublicationDep,
    ) -> Response:
        graph = graph_of(publication)
        return _serve_graph(request, graph, iri, _rdf_format(ext), settings, store)

    get_and_head(router, path, summary=summaries[0], name=name)(negotiated)
    get_and_head(router, path + ".{ext}", summary=summaries[1], name=f"{name}_format")(one_format)


_document_routes(
    "/catalog",
    "catalog",
    ("DCAT-AP 3.0 catalog", "The catalog in one format"),
    CATALOG_IRI,
    lambda publication: publication.catalog(),
)
_document_routes(
    "/.well-known/void",
    "void",
    ("VoID description", "VoID in one format"),
    VOID_DOC_IRI,
    lambda publication: publication.void(),
)


@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/dumps/", methods=["GET", "HEAD"], include_in_schema=False)
def dumps_index(request: Request, settings: SettingsDep) -> RedirectResponse:
    """The dumps are listed by the catalog (its distributions: URL, size, SHA-256), in the
    format the client negotiates there."""
    return RedirectResponse(public_base(request, settings) + "catalog", status_code=303)


@get_and_head(router, "/dumps/{name}", summary="A dump of the whole dataset")
def dump(
    request: Request, name: str, settings: SettingsDep, store: StoreDep, publication: PublicationDep
) -> Response:
    if name not in {spec.name for spec in DUMPS}:
        names = ", ".join(s.name for s in DUMPS)
        raise NotFound(
            f"no dump named {name}; available: {names}",
            message_fr=f"aucun téléchargement nommé {name} ; disponibles : {names}",
        )
    dump_file = publication.dump(name)
    return represent(
        request,
        dump_file.data,
        media_type=dump_file.spec.content_type,
        store=store,
        settings=settings,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
        gzipped=lambda: publication.dump_gzipped(name),
    )


def _rdf_format(ext: str) -> Format:
    fmt = by_extension(DOCUMENT_FORMATS).get(ext)
    if fmt is None:
        raise NotFound(f"no such format: .{ext}", message_fr=f"format inconnu : .{ext}")
    return fmt


def _serve_graph(
    request: Request,
    graph: Graph,
    iri: str,
    fixed: Format | None,
    settings: SettingsDep,
    store: StoreDep,
) -> Response:
    """An RDF document of ours, negotiated among the RDF formats and a page for browsers."""
    canonical, public = canonical_base(settings), public_base(request, settings)
    fmt = document_format(request, fixed)
    url = rebase_iri(iri, canonical, public)
    lang = i18n.choose_lang(request) if fmt is HTML else None
    return cached_answer(
        request,
        store,
        settings,
        (fmt.key, lang),
        lambda: serve_document(
            request,
            url,
            fmt,
            negotiated=fixed is None,
            store=store,
            settings=settings,
            page=lambda: _render_page(request, graph, iri, url, store),
            graph=lambda fmt: rebase_graph(graph, canonical, public),
            canonical=canonical,
            public=public,
        ),
    )


def _render_page(request: Request, graph: Graph, iri: str, url: str, store: Store) -> Response:
    lang = i18n.choose_lang(request)
    href = href_builder(request)
    alternates = alternate_links(url)
    context: dict[str, object] = {
        "formats": alternates,
        "dump_labels": {link["name"]: link["label"] for link in dump_links(lang)},
        "size": lambda n: format_bytes(n, lang),
        "number": lambda n: f"{n:,}".replace(",", "\u202f" if lang == "fr" else ","),
    }
    if iri == VOID_DOC_IRI:
        view = build_void_view(graph, lang, href, lambda iris: _class_labels(store, iris, lang))
        context["view"] = view
        template, title = "void.html", i18n.t("link_void", lang)
    else:
        catalog_view = build_catalog_view(graph, lang, href)
        context["view"] = catalog_view
        template, title = "catalog.html", catalog_view.title
    return render_page(request, template, context, lang=lang, title=title, alternates=alternates)


def _class_labels(store: Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """Labels from the data (our ontology), else the pages' labels of reused terms."""
    wanted = list(iris)
    fallback = i18n.term_labels(lang)
    return {
        **{iri: fallback[iri] for iri in wanted if iri in fallback},
        **stats.labels_for(store, wanted, lang),
    }
