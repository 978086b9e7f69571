"""Served under a path behind a reverse proxy (`public_base = https://data.example.org/aict/`,
the proxy strips `/aict`): every link, script, style and form of every page stays under that
base, so nothing points at the proxy's other sites."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser

import httpx
import pytest

from publisher.config import Settings
from publisher.web.app import create_app
from tests.conftest import FIXTURE_DATA

PUBLIC = "https://data.example.org/aict/"
# What nginx sends for https://data.example.org/aict/<path> with `proxy_pass http://…/;`
PROXY_HEADERS = {
    "Host": "127.0.0.1:8000",
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "Accept": "text/html",
}
PAGES = [
    "/",
    "/?lang=en",
    "/id/commune/21231",
    "/id/commune/21231?page=2",
    "/vocab/partnership-form",
    "/catalog",
    "/.well-known/void",
    "/sparql",
    "/search?q=dijon",
    "/-/docs",
    "/id/commune/00000",  # the 404 page
]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "data-openapi", "data-endpoint") and value:
                self.urls.append(value)


@pytest.fixture(scope="module")
def pages() -> dict[str, httpx.Response]:
    app = create_app(Settings(data_paths=[FIXTURE_DATA], page_size=2, public_base=PUBLIC))

    async def fetch_all() -> dict[str, httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1:8000"
            ) as client:
                return {path: await client.get(path, headers=PROXY_HEADERS) for path in PAGES}

    return asyncio.run(fetch_all())


@pytest.mark.parametrize("path", PAGES)
def test_every_url_of_the_page_is_under_the_public_base(pages, path):
    response = pages[path]
    assert response.headers["content-type"].startswith("text/html"), response.text[:200]
    parser = Links()
    parser.feed(response.text)
    ours = [u for u in parser.urls if not u.startswith(("http://", "https://", "#", "mailto:"))]
    assert ours == [], f"links outside {PUBLIC}: {ours}"
    local = [u for u in parser.urls if "127.0.0.1" in u or "data.example.org" in u]
    assert local and all(u.startswith(PUBLIC) for u in local), local


def test_the_frame_links_and_assets_are_under_the_path(pages):
    parser = Links()
    parser.feed(pages["/id/commune/21231"].text)
    for expected in (
        f"{PUBLIC}-/static/site.css",
        f"{PUBLIC}-/static/site.js",
        f"{PUBLIC}catalog",
        f"{PUBLIC}sparql",
        f"{PUBLIC}search",
    ):
        assert expected in parser.urls, expected
    assert any(u.startswith(f"{PUBLIC}id/commune/21231?lang=") for u in parser.urls)  # switch
    home = Links()
    home.feed(pages["/"].text)
    assert any(u.startswith(f"{PUBLIC}dumps/") for u in home.urls)


def test_the_map_draws_its_basemap_from_under_the_path():
    from publisher.web.html import environment
    from publisher.web.svg_map import MapPoint, build_partnership_map

    drawn = build_partnership_map(
        MapPoint("Dijon", 47.3167, 5.0167), [MapPoint("Mainz", 49.9994, 8.2736)]
    )
    page = environment().from_string(
        '{% from "_macros.html" import partnership_map with context %}'
        '{{ partnership_map(m, "title", "alt") }}'
    )
    parser = Links()
    parser.feed(page.render(m=drawn, root=PUBLIC))
    land = [u for u in parser.urls if u.endswith("#land")]
    assert land and land[0].startswith(PUBLIC + "-/map/"), land
