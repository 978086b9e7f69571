"""The OpenAPI documentation page at /-/docs: Swagger UI served from our own static files.

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script, which
our Content-Security-Policy (this origin only) and an offline user both block.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse

from publisher.formats import HTML, JSON
from publisher.negotiation import choose
from publisher.web import i18n
from publisher.web.html import public_base, render_page

router = APIRouter()

DOCS_PATH = "/-/docs"
OPENAPI_PATH = "/-/openapi.json"


@router.api_route(DOCS_PATH, methods=["GET", "HEAD"], include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    lang = i18n.choose_lang(request)
    title = "Documentation de l'API (OpenAPI)" if lang == "fr" else "API documentation (OpenAPI)"
    openapi_url = public_base(request) + OPENAPI_PATH.lstrip("/")
    return render_page(
        request, "api_docs.html", {"openapi_url": openapi_url}, lang=lang, title=title
    )


@router.api_route("/api", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/api/", methods=["GET", "HEAD"], include_in_schema=False)
def api_index(request: Request) -> RedirectResponse:
    """The named queries are listed by their documentation: people get the page, programs
    the OpenAPI document (whose paths are the /api/<name> endpoints)."""
    wanted = choose(request.headers.get("accept"), (HTML, JSON))
    path = OPENAPI_PATH if wanted is JSON else DOCS_PATH
    return RedirectResponse(public_base(request) + path.lstrip("/"), status_code=303)
