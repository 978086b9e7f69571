"""HTML pages for people: resource pages, error pages, and the shared page frame.

Contract with the resource routes: `render_resource` and `render_error`. Every page is
rendered from templates/ with autoescaping, in French or English, and carries a
Content-Security-Policy that only allows this origin: the pages never reach a third party.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import rdflib
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from rdflib.namespace import RDF
from starlette.requests import Request
from starlette.responses import HTMLResponse

from publisher.config import package_version
from publisher.formats import RDF_DOCUMENT_FORMATS
from publisher.namespaces import BASE
from publisher.uris import to_canonical, to_public
from publisher.web import deps, i18n
from publisher.web.page_data import ResourceExtras, load_resource_extras, store_of
from publisher.web.rebase import rebase_graph
from publisher.web.resource_view import Labeller, build_resource_view

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_PREFIX = "-/static/"  # under the public base, like every link of the frame

# Only this origin; inline SVG needs no exception. 'unsafe-inline' is never granted.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


_ERROR_KEYS = {400, 403, 404, 405, 406, 413, 500, 503}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def public_base(request: Request) -> str:
    """Base URL our canonical IRIs are rewritten to: the configured one, else this host."""
    settings = deps.settings_if_started(request)
    if settings is None:  # an error raised before the app finished starting
        return str(request.base_url)
    return deps.public_base(request, settings)


def base_iri(request: Request) -> str:
    settings = deps.settings_if_started(request)
    return deps.canonical_base(settings) if settings is not None else BASE


def href_builder(request: Request) -> Callable[[str], str]:
    """Canonical IRI -> link: our IRIs point to this server, others stay as they are."""
    public, canonical = public_base(request), base_iri(request)
    return lambda iri: to_public(iri, public, canonical)


def page_url(request: Request) -> str:
    """This page's URL under the public base, without its query.

    Behind a reverse proxy that serves us under a path (`https://data.example.org/aict/`),
    the path we see lacks that prefix; the public base has it."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return public_base(request) + path.lstrip("/")


def lang_url(request: Request, lang: str) -> str:
    """This page's URL in another language (the switch)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != i18n.LANG_PARAM]
    params.append((i18n.LANG_PARAM, lang))
    return f"{page_url(request)}?{urlencode(params)}"


def render_page(
    request: Request,
    template: str,
    context: Mapping[str, object],
    *,
    lang: str,
    status: int = 200,
    title: str,
    alternates: tuple[tuple[str, str, str], ...] = (),
) -> HTMLResponse:
    """Render a template inside the site frame, with the security and language headers."""
    other = "en" if lang == "fr" else "fr"
    public = public_base(request)
    frame = {
        "lang": lang,
        "other_lang": other,
        "switch_url": lang_url(request, other),
        "t": lambda key, **values: i18n.t(key, lang, **values),
        "title": title,
        "alternates": alternates,
        "root": public,  # every link of the frame starts with it: the site may live under a path
        "static": lambda name: f"{public}{STATIC_PREFIX}{name}",
        "version": package_version(),
        "ontology_url": to_public(BASE + "ontology", public, base_iri(request)),
    }
    body = environment().get_template(template).render({**frame, **context})
    response = HTMLResponse(body, status_code=status)
    apply_page_headers(request, response, lang)
    return response


def apply_page_headers(request: Request, response: HTMLResponse, lang: str) -> None:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Language"] = lang
    _add_vary(response, ("Accept", "Accept-Language", "Cookie"))
    switched = i18n.requested_switch(request)
    if switched:
        response.set_cookie(
            i18n.LANG_COOKIE, switched, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )


def _add_vary(response: HTMLResponse, names: tuple[str, ...]) -> None:
    present = [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]
    lowered = {v.lower() for v in present}
    response.headers["Vary"] = ", ".join(present + [n for n in names if n.lower() not in lowered])


def render_resource(
    request: Request,
    iri: str,
    graph: rdflib.Graph,
    *,
    lang: str,
    page: int,
    has_more: bool,
) -> HTMLResponse:
    """A readable page for any resource, specialised by its rdf:type."""
    href = href_builder(request)
    public, canonical = public_base(request), base_iri(request)
    if iri.startswith(public) and public != canonical:
        # Given the served form: work on canonical IRIs, which the store queries need.
        iri = to_canonical(iri, public, canonical)
        graph = rebase_graph(graph, public, canonical)
    extras: ResourceExtras = load_resource_extras(store_of(request), iri, graph, lang, href)
    labeller = Labeller(
        [graph, extras.labels], lang, fallback=i18n.term_labels(lang), own_base=canonical
    )
    url = href(iri)
    view = build_resource_view(iri, graph, labeller, href, url)
    alternates = alternate_links(url)
    context = {
        "view": view,
        "extras": extras,
        "page": page,
        "has_more": has_more,
        "next_url": _page_url(request, page + 1) if has_more else None,
        "previous_url": _page_url(request, page - 1) if page > 1 else None,
        "formats": alternates,
        "rdf_type": str(RDF.type),
        "href": href,
    }
    return render_page(
        request, "resource.html", context, lang=lang, title=view.title, alternates=alternates
    )


def alternate_links(url: str) -> tuple[tuple[str, str, str], ...]:
    """(URL, media type, label) of the document at `url` in each RDF format."""
    return tuple((f"{url}.{f.extension}", f.media_type, f.label) for f in RDF_DOCUMENT_FORMATS)


def _page_url(request: Request, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    if page > 1:
        params.append(("page", str(page)))
    query = urlencode(params)
    url = page_url(request)
    return f"{url}?{query}#incoming" if query else f"{url}#incoming"


def render_error(request: Request, status: int, message: str, *, lang: str) -> HTMLResponse:
    """An error page in the reader's language; `message` must be safe to show to anyone."""
    key = f"error_{status}" if status in _ERROR_KEYS else "error_other"
    heading = i18n.t(key, lang)
    context = {"status": status, "heading": heading, "message": message}
    return render_page(
        request,
        "error.html",
        context,
        lang=lang,
        status=status,
        title=f"{status} {heading}",
    )
