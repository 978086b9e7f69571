"""Pages for people that are not a single resource: the home page with the dataset's figures,
charts and partnership map, the name search, the figures as JSON, and the static files.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.responses import HTMLResponse

from publisher import stats
from publisher.catalog import DUMPS, Publication
from publisher.config import Settings
from publisher.errors import InputError
from publisher.store import Store
from publisher.uris import mint_commune
from publisher.web import basemap, i18n
from publisher.web.answer_cache import cached_answer
from publisher.web.caching import cached_response, gzip_bytes
from publisher.web.deps import PageCacheDep, PublicationDep, SettingsDep, StoreDep
from publisher.web.html import href_builder, render_error, render_page
from publisher.web.label_search import label_index
from publisher.web.page_data import city_partnership_map
from publisher.web.representation import serve_page
from publisher.web.svg_charts import BarChart, ChartItem, build_bar_chart
from publisher.world_atlas import WORLD_ATLAS

router = APIRouter()
_METHODS = ["GET", "HEAD"]
T = TypeVar("T")

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# The city whose partnerships the home page maps by default: Dijon (INSEE 21231), which sat
# on the steering committee of the France urbaine / INET study. If the data does not have it,
# the city with the most partners is used.
DEFAULT_CITY = str(mint_commune("21231"))
SEARCH_LIMIT = 50
IMMUTABLE_MAX_AGE = 365 * 24 * 3600  # a URL that names its content's hash

_STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".md": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",
}


@router.api_route("/", methods=_METHODS, response_class=HTMLResponse, include_in_schema=False)
def home(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    cache: PageCacheDep,
    publication: PublicationDep,
    city: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    lang = i18n.choose_lang(request)
    return cached_answer(
        request,
        store,
        settings,
        (lang,),
        lambda: _home(request, store, settings, cache, publication, city, lang),
    )


def _home(
    request: Request,
    store: Store,
    settings: Settings,
    cache: OrderedDict,
    publication: Publication,
    city: str | None,
    lang: str,
) -> Response:
    href = href_builder(request)
    # The figures only change with the data: computed once per dataset version and language.
    overview = _cached(
        cache,
        ("overview", store.version, lang, href("")),
        lambda: _overview(dataset_overview(cache, publication, store, lang), lang, href),
    )
    chosen = _chosen_city(store, city, overview["picker"], lang)
    city_map, unlocated = (
        _cached(
            cache,
            ("map", store.version, lang, href(""), chosen.iri),
            lambda: city_partnership_map(store, chosen, lang, href),
        )
        if chosen
        else (None, [])
    )
    context = {
        **overview,
        "chosen": chosen,
        "chosen_href": href(chosen.iri) if chosen else None,
        "city_map": city_map,
        "unlocated": unlocated,
        "dataset_version": store.version,
        # Over a remote engine nothing is copied, so there is nothing to download here.
        "dumps": dump_links(lang) if store.publishes_dumps else [],
    }
    page = render_page(request, "home.html", context, lang=lang, title=i18n.t("nav_home", lang))
    return serve_page(request, page, store=store, settings=settings)


def dump_links(lang: str) -> list[dict[str, str]]:
    """The dumps the catalog describes, named in the reader's language."""
    links = []
    for dump in DUMPS:
        key = f"dump_{dump.store_format}"
        label = i18n.t(key, lang) if key in i18n.known_keys() else dump.title
        if dump.gzipped:
            label += ", " + i18n.t("gzipped", lang)
        media_type = dump.content_type.split(";")[0].strip()
        links.append({"name": dump.name, "label": label, "media_type": media_type})
    return links


def dataset_overview(
    cache: OrderedDict, publication: Publication, store: Store, lang: str
) -> stats.Overview:
    """The dataset's figures and counts in `lang`: as the build step stored them with the
    data, else computed once per version and language."""

    def compute() -> stats.Overview:
        derived = publication.derived
        built = derived.overview(lang) if derived is not None else None
        return built or stats.overview(store, store.triple_count(), lang)

    return _cached(cache, ("dataset-overview", store.version, lang), compute)


def _overview(overview: stats.Overview, lang: str, href) -> dict[str, object]:
    return {
        "figures": overview.figures,
        "charts": _charts(overview, lang, href),
        "picker": overview.counts["mostPartneredCities"],
    }


_CACHE_SIZE = 64
_cache_lock = Lock()


def _cached(cache: OrderedDict, key: tuple[str, ...], build: Callable[[], T]) -> T:
    """A small per-app LRU of computed page parts; keys include the dataset version."""
    with _cache_lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = build()
    with _cache_lock:
        cache[key] = value
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return value


@router.api_route("/search", methods=_METHODS, response_class=HTMLResponse, include_in_schema=False)
def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    cache: PageCacheDep,
    publication: PublicationDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    lang = i18n.choose_lang(request)
    href = href_builder(request)
    index = _cached(
        cache, ("labels", store.version), lambda: label_index(publication.derived, store)
    )
    hits = index.search(q, SEARCH_LIMIT + 1)
    truncated = len(hits) > SEARCH_LIMIT
    hits = hits[:SEARCH_LIMIT]
    iris = [hit.iri for hit in hits]
    labels = stats.labels_for(store, iris, lang)
    kinds = stats.types_of(store, iris, lang, i18n.term_labels(lang))
    results = [
        {
            "label": labels.get(hit.iri, hit.label),
            "matched": hit.label,
            "href": href(hit.iri),
            "iri": hit.iri,
            "kinds": kinds.get(hit.iri, []),
        }
        for hit in hits
    ]
    context = {
        "query": q,
        "results": results,
        "too_short": len(q.strip()) < 2,
        "truncated": truncated,
        "limit": SEARCH_LIMIT,
    }
    page = render_page(
        request, "search.html", context, lang=lang, title=i18n.t("search_title", lang)
    )
    return serve_page(request, page, store=store, settings=settings)


# The counts /-/stats.json has always given (the picker's are the home page's own).
_STATS_JSON_COUNTS = (
    "actionsByType",
    "partnershipsByForm",
    "actionsByTheme",
    "partnershipsByCountry",
    "membershipsByCommitment",
)


@router.api_route("/-/stats.json", methods=_METHODS, include_in_schema=False)
def stats_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    cache: PageCacheDep,
    publication: PublicationDep,
) -> Response:
    """The home page's figures for scripts: counts, and the counts behind each chart."""
    lang = i18n.choose_lang(request)
    overview = dataset_overview(cache, publication, store, lang)
    body = {
        "version": store.version,
        "lang": lang,
        "figures": asdict(overview.figures),
        **{key: [asdict(c) for c in overview.counts[key]] for key in _STATS_JSON_COUNTS},
    }
    return serve_page(request, JSONResponse(body), store=store, settings=settings)


@router.api_route("/-/static/{name:path}", methods=_METHODS, include_in_schema=False)
def static_file(request: Request, name: str) -> Response:
    """Our own CSS, script and vendored files; nothing outside the static folder."""
    target = (STATIC_DIR / name).resolve()
    if not target.is_relative_to(STATIC_DIR) or not target.is_file():
        return _not_found(request)
    stat = target.stat()
    # Through cached_response, so each encoding gets its own strong ETag and 304s work.
    return cached_response(
        request,
        _static_bytes(target, stat.st_mtime_ns, stat.st_size),
        media_type=_STATIC_TYPES.get(target.suffix.lower(), "application/octet-stream"),
        version="static",
        last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
        max_age=3600,
        headers={"X-Content-Type-Options": "nosniff"},
        gzipped=lambda: _static_gzipped(target, stat.st_mtime_ns, stat.st_size),
    )


@router.api_route(basemap.URL_PREFIX + "/{name}", methods=_METHODS, include_in_schema=False)
def basemap_file(request: Request, name: str) -> Response:
    """The world basemap of the partnership maps: its URL names its hash, so it never
    changes and browsers keep it for a year without asking again."""
    world = basemap.by_name(name)
    if world is None:  # another level, or an older drawing's hash
        return _not_found(request)
    return cached_response(
        request,
        world.body,
        media_type="image/svg+xml",
        version="basemap",
        last_modified=datetime.fromtimestamp(WORLD_ATLAS.stat().st_mtime, tz=UTC),
        max_age=IMMUTABLE_MAX_AGE,
        headers={
            "Cache-Control": f"public, max-age={IMMUTABLE_MAX_AGE}, immutable",
            "X-Content-Type-Options": "nosniff",
        },
        gzipped=lambda: _basemap_gzipped(world.level),
    )


@lru_cache(maxsize=len(basemap.LEVELS))
def _basemap_gzipped(level: int) -> bytes:
    return gzip_bytes(basemap.basemap(level).body)


def _not_found(request: Request) -> Response:
    lang = i18n.choose_lang(request)
    return render_error(request, 404, i18n.t("error_404", lang), lang=lang)


# Keyed on modification time and size, so an edited file is read again.
@lru_cache(maxsize=32)
def _static_bytes(path: Path, mtime_ns: int, size: int) -> bytes:
    return path.read_bytes()


@lru_cache(maxsize=32)
def _static_gzipped(path: Path, mtime_ns: int, size: int) -> bytes:
    return gzip_bytes(_static_bytes(path, mtime_ns, size))


# Chart id, title key, counts key, bars shown.
_CHARTS = (
    ("chart-form", "chart_form", "partnershipsByForm", None),
    ("chart-kind", "chart_kind", "actionsByType", None),
    ("chart-theme", "chart_theme", "actionsByTheme", None),
    ("chart-country", "chart_country", "partnershipsByCountry", 15),
    ("chart-commitment", "chart_commitment", "membershipsByCommitment", None),
)


def _charts(overview: stats.Overview, lang: str, href) -> list[tuple[str, BarChart]]:
    def items(counts: list[stats.Count]) -> list[ChartItem]:
        return [ChartItem(c.label, c.count, href(c.iri)) for c in counts]

    return [
        (chart, build_bar_chart(i18n.t(title, lang), items(overview.counts[key][:shown])))
        for chart, title, key, shown in _CHARTS
    ]


def _chosen_city(
    store: StoreDep, asked: str | None, picker: list[stats.Count], lang: str
) -> stats.City | None:
    """The asked city if the data knows it, else Dijon, else the most partnered city."""
    candidates = [c for c in (asked, DEFAULT_CITY, picker[0].iri if picker else None) if c]
    for iri in candidates:
        try:
            found = stats.city(store, iri, lang)
        except InputError:
            continue  # a malformed ?city= is ignored like an unknown one
        if found is not None:
            return found
    return None
