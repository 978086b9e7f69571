"""The HTML pages in a real headless browser (Debian's chromium) against `aict serve`.

`aict serve` runs the bundled dataset in a subprocess on a free loopback port. Chromium is
started with every host but 127.0.0.1 mapped to "not found", and its network log is read
back to prove that the page asked nothing of any other host. Screenshots are analysed pixel
by pixel: the map and the charts must be drawn, not blank.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from chromium import needs_chromium, page_requests, run_chromium
from PIL import Image, ImageChops
from serving import serving

from publisher.catalog import DUMPS

# Colours of site.css the analysis looks for (sea of the map, partner points and chart bars,
# the mapped city and its lines).
SEA = (0xEE, 0xF4, 0xFB)
BAR = (0x2F, 0x6F, 0xD0)
WARM = (0xD9, 0x48, 0x0F)
LAND = (0xE6, 0xE2, 0xD6)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`aict serve` on the bundled data, on a free port; stopped after the module."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serving(log=log, startup_seconds=90) as base:
        yield base.rstrip("/")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def between(html: str, start: str, end: str) -> str:
    assert start in html, f"{start!r} not in the page"
    return html.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture(scope="module")
def home_dom(server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    work = tmp_path_factory.mktemp("dom")
    return run_chromium(work, server + "/?lang=en", "--dump-dom").stdout


def test_home_dom_after_scripts_has_charts_and_map(home_dom: str) -> None:
    tags = tags_of(home_dom)
    html_tag = next(attrs for tag, attrs in tags if tag == "html")
    assert html_tag.get("lang") == "en"
    assert "js" in (html_tag.get("class") or "")  # set by site.js: the script ran
    body = next(attrs for tag, attrs in tags if tag == "body")
    assert body.get("data-enhanced") == "true"
    city_map = between(home_dom, 'id="city-map"', "</svg>")
    assert city_map.count('class="point"') >= 1
    assert 'class="centre"' in city_map
    # The countries: the static world basemap drawn under the points, not inline paths.
    use = re.search(r'<use class="land" href="([^"]*)"', city_map)
    assert use, city_map[:2000]
    # Under the public base (absolute here: the server names its own host and port).
    assert re.fullmatch(r"(https?://[^/]+)?/-/map/world-\d+-[0-9a-f]{16}\.svg#land", use[1]), use[1]
    assert city_map.count("<path") < 60  # lines and graticule only
    for chart in ("chart-form", "chart-country"):
        figure = between(home_dom, f'id="{chart}"', "</figure>")
        assert figure.count('class="fill"') >= 1, chart
    figures = between(home_dom, 'class="figures-list"', "</ul>")
    assert figures.count("<strong>") == 6


def test_screenshot_shows_the_map_and_the_charts(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("shot")
    png = work / "home.png"
    run_chromium(work, server + "/?lang=en", f"--screenshot={png}", "--window-size=1280,2200")
    image = Image.open(png).convert("RGB")
    assert image.size == (1280, 2200)

    # The map is the large area of sea colour (close to the charts' background: be strict).
    sea = colour_mask(image, SEA, tolerance=2)
    assert sea.histogram()[255] > 50_000, "no map sea found in the screenshot"
    # Blocks of 8x8 pixels that are mostly sea: stray pixels of that colour elsewhere vanish.
    blocks = sea.resize((sea.width // 8, sea.height // 8), Image.Resampling.BOX)
    left, top, right, bottom = (
        8 * v for v in blocks.point(lambda v: 255 if v > 128 else 0).getbbox()
    )
    assert right - left > 600 and bottom - top > 250, (left, top, right, bottom)

    drawn = image.crop((left, top, right, bottom))
    total = drawn.width * drawn.height
    land = count_near(drawn, LAND)
    assert land > total * 0.05, (land, total)  # countries are drawn
    assert count_near(drawn, BAR) >= 300  # partner dots (about 100 pixels each)
    assert count_near(drawn, WARM) >= 100  # the city and its lines

    # Chart bars use the same blue as the dots; below the map there must be plenty of it.
    charts = image.crop((0, bottom, image.width, image.height))
    assert count_near(charts, BAR) > 10_000


def colour_mask(image: Image.Image, colour: tuple[int, int, int], tolerance: int) -> Image.Image:
    """A 0/255 mask of the pixels within `tolerance` of `colour` on every channel."""
    bands = [
        band.point(lambda v, c=c: 255 if abs(v - c) <= tolerance else 0)
        for band, c in zip(image.split(), colour, strict=True)
    ]
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])


def count_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 10) -> int:
    return colour_mask(image, colour, tolerance).histogram()[255]


def test_the_page_asks_nothing_of_other_hosts(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("netlog")
    netlog = work / "netlog.json"
    dom = run_chromium(work, server + "/", f"--log-net-log={netlog}", "--dump-dom").stdout
    assert 'id="city-map"' in dom  # the page rendered fully with other hosts unreachable
    requests = [url for _, url in page_requests(netlog)]
    assert requests
    assert all(url.startswith(server + "/") for url in requests), requests
    fetched = {url[len(server) :] for url in requests}
    assert {"/", "/-/static/site.css", "/-/static/site.js"} <= fetched, fetched
    basemap = r"/-/map/world-\d+-[0-9a-f]{16}\.svg#land"  # the map's countries, same origin
    assert any(re.fullmatch(basemap, url) for url in fetched), fetched


def test_ontology_page_in_the_browser(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("onto")
    # The browser's own language preference chooses the page language.
    dom = run_chromium(work, server + "/ontology", "--accept-lang=fr-FR,fr", "--dump-dom").stdout
    assert '<html lang="fr"' in dom and "Index des termes" in dom
    for anchor in ("LocalAuthority", "Partnership", "twinnedWith", "inseeCode"):
        assert f'id="{anchor}"' in dom, anchor


def test_small_screen_screenshot_is_not_blank(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("mobile")
    png = work / "mobile.png"
    run_chromium(work, server + "/", f"--screenshot={png}", "--window-size=390,1400")
    image = Image.open(png).convert("RGB")
    assert image.size == (390, 1400)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200  # text, map and figures, not an empty page
    white = sum(count for count, colour in colours if colour == (255, 255, 255))
    assert white < 0.8 * 390 * 1400


def test_catalog_page_in_the_browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A browser asking /catalog gets the readable page (its own Accept header), not RDF/XML."""
    work = tmp_path_factory.mktemp("catalog")
    dom = run_chromium(work, server + "/catalog", "--accept-lang=en-GB,en", "--dump-dom").stdout
    assert '<html lang="en"' in dom and "AICT linked open data catalog" in dom
    for dump in DUMPS:
        assert f'href="{server}/dumps/{dump.name}"' in dom, dump.name
    assert dom.count("SHA256") == len(DUMPS)


def test_openapi_page_shows_the_api_from_our_own_files(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """/-/docs draws Swagger UI (vendored) under the page's CSP, with every /api operation,
    and asks nothing of any other host (no CDN, no online validator)."""
    work = tmp_path_factory.mktemp("docs")
    netlog = work / "netlog.json"
    run = run_chromium(
        work,
        server + "/-/docs",
        f"--log-net-log={netlog}",
        "--enable-logging=stderr",
        "--virtual-time-budget=15000",  # Swagger UI fetches the OpenAPI document, then draws
        "--dump-dom",
    )
    dom = run.stdout
    spec = json.loads(urllib.request.urlopen(server + "/-/openapi.json", timeout=10).read())
    api_paths = [path for path in spec["paths"] if path.startswith("/api/")]
    assert len(api_paths) >= 5
    drawn = re.findall(r'data-path="([^"]+)"', dom)
    assert set(api_paths) <= set(drawn), (api_paths, drawn)
    assert "Content Security Policy" not in run.stderr, run.stderr[-2000:]
    requests = [url for _, url in page_requests(netlog)]
    assert all(url.startswith(server + "/") for url in requests), requests
    fetched = {url[len(server) :] for url in requests}
    assert {
        "/-/docs",
        "/-/openapi.json",
        "/-/static/api-docs.js",
        "/-/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/-/static/vendor/swagger-ui/swagger-ui.css",
    } <= fetched, fetched
