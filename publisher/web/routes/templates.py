"""GET /templates/<file>: the actions template for contributors (CSV, its Table Schema, the
XLSX workbook with drop-down lists), served from data/templates/ as committed."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from publisher.config import TEMPLATES_DIR
from publisher.web import i18n
from publisher.web.caching import cached_response
from publisher.web.html import public_base, render_error
from publisher.web.routing import get_and_head

router = APIRouter(tags=["templates"])


@router.api_route("/templates", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/templates/", methods=["GET", "HEAD"], include_in_schema=False)
def templates_index(request: Request) -> RedirectResponse:
    """The README sends contributors to /templates/: the home page lists the three files, each
    with what it is for, in the reader's language (its "contribute" section)."""
    return RedirectResponse(public_base(request) + "#contribute", status_code=303)


@get_and_head(router, "/templates/{name}", summary="Download the actions template")
def template_file(request: Request, name: str) -> Response:
    """actions.csv, actions.schema.json (Frictionless Table Schema) or actions.xlsx."""
    # Imported on first use: the template module loads openpyxl, half a second at every start.
    from publisher.spreadsheet.template import MEDIA_TYPES

    media_type = MEDIA_TYPES.get(name)
    target = TEMPLATES_DIR / name
    if media_type is None or not target.is_file():
        lang = i18n.choose_lang(request)
        return render_error(request, 404, i18n.t("error_404", lang), lang=lang)
    stat = target.stat()
    headers = {"X-Content-Type-Options": "nosniff"}
    if not name.endswith(".json"):
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return cached_response(
        request,
        _read(target, stat.st_mtime_ns, stat.st_size),
        media_type=media_type,
        version="templates",
        last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
        max_age=3600,
        headers=headers,
    )


# Keyed on modification time and size, so a regenerated template is read again.
@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int, size: int) -> bytes:
    return path.read_bytes()
