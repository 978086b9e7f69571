"""The catalog and VoID as pages for people: the same graphs, readable, in French and English."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

import pytest

from publisher.catalog import DUMPS
from publisher.web.catalog_page import format_bytes

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PUBLIC = "http://testserver/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag in {"script", "img"} and values.get("src"):
            self.sources.append(values["src"] or "")
        if tag == "link" and values.get("rel") in {"stylesheet", "icon"}:
            self.sources.append(values.get("href") or "")


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _page(client, url: str, lang: str = "fr"):
    response = client.get(url, headers={"Accept": BROWSER, "Accept-Language": lang})
    assert response.status_code == 200, url
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-language"] == lang
    assert "default-src 'self'" in response.headers["content-security-policy"]
    return response


def _text(html: str) -> str:
    """The words of the page; the narrow no-break spaces of French numbers are kept."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


@pytest.fixture(autouse=True)
def _no_language_cookie(client) -> None:
    client.forget_cookies()


@pytest.mark.parametrize("url", ["/catalog", "/.well-known/void"])
def test_browsers_get_a_page_and_harvesters_still_get_rdf(client, url: str):
    page = _page(client, url)
    assert page.headers["content-location"] == f"{PUBLIC}{url.lstrip('/')}.html"
    assert {"Accept", "Accept-Language", "Cookie"} <= {
        v.strip() for v in page.headers["vary"].split(",")
    }
    assert (
        f'<{PUBLIC}{url.lstrip("/")}.html>; rel="alternate"; type="text/html"'
        in (page.headers["link"])
    )
    for accept, expected in [
        ("*/*", "text/turtle; charset=utf-8"),
        ("application/rdf+xml", "application/rdf+xml; charset=utf-8"),
        ("application/xml;q=0.9, text/html;q=0.5", "application/rdf+xml; charset=utf-8"),
    ]:
        response = client.get(url, headers={"Accept": accept})
        assert response.headers["content-type"] == expected, accept
    by_suffix = client.get(f"{url}.html", headers={"Accept": "text/turtle"})
    assert by_suffix.headers["content-type"] == "text/html; charset=utf-8"
    assert _text(by_suffix.text) == _text(page.text)


def test_catalog_page_lists_each_dump_with_its_real_size_and_checksum(client):
    html = _page(client, "/catalog").text
    text = _text(html)
    hrefs = _links(html).hrefs
    for spec in DUMPS:
        dump = client.get(f"/dumps/{spec.name}", headers={"Accept-Encoding": "identity"})
        assert dump.status_code == 200
        assert f"{PUBLIC}dumps/{spec.name}" in hrefs
        assert hashlib.sha256(dump.content).hexdigest() in text
        assert format_bytes(len(dump.content), "fr") in text
    assert f"{PUBLIC}sparql" in hrefs
    assert "Licence Ouverte" in text and "Distributions" in text and "octets" in text


def test_catalog_page_in_english(client):
    french = _text(_page(client, "/catalog").text)
    english = _text(_page(client, "/catalog", lang="en").text)
    assert "Catalogue des données ouvertes liées AICT" in french
    assert "AICT linked open data catalog" in english
    assert "bytes" in english and "octets" not in english
    assert "Point d'accès SPARQL" in french and "SPARQL endpoint" in english
    assert "twinning" in english and "jumelage" in french  # keywords in the reader's language


def test_void_page_shows_the_figures_of_the_store(client, store):
    html = _page(client, "/.well-known/void", lang="en").text
    text = _text(html)
    assert f"{store.triple_count():,} triples" in text
    assert "Entities per class" in text
    assert "partnership" in text  # a class of our ontology, named by its label
    examples = [h for h in _links(html).hrefs if h.startswith(f"{PUBLIC}id/")]
    assert examples
    for example in examples:  # every example resource dereferences
        assert client.get(example.removeprefix(PUBLIC.rstrip("/"))).status_code == 200


@pytest.mark.parametrize("url", ["/catalog", "/.well-known/void"])
def test_pages_load_nothing_from_elsewhere_and_links_work(client, url: str):
    html = _page(client, url).text
    links = _links(html)
    assert all(s.startswith("/") or s.startswith(PUBLIC) for s in links.sources)
    local = {h.removeprefix(PUBLIC.rstrip("/")) for h in links.hrefs if h.startswith(("/", PUBLIC))}
    for link in sorted(local):
        response = client.get(link.split("#")[0], headers={"Accept": BROWSER})
        assert response.status_code == 200, link


def test_page_is_cached_per_language(client):
    french = _page(client, "/catalog")
    english = _page(client, "/catalog", lang="en")
    assert french.headers["etag"] != english.headers["etag"]
    again = client.get(
        "/catalog",
        headers={
            "Accept": BROWSER,
            "Accept-Language": "fr",
            "If-None-Match": french.headers["etag"],
        },
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("size", "lang", "expected"),
    [
        (965, "fr", "965 octets"),
        (4057, "en", "4,057 bytes (4.1 kB)"),
        (12_345_678, "fr", "12\u202f345\u202f678 octets (12,3 Mo)"),
    ],
)
def test_format_bytes(size: int, lang: str, expected: str):
    assert format_bytes(size, lang) == expected


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_void_page_names_every_class_in_its_language(client, lang):
    # Classes without a label showed their IRI's local name ("ObjectProperty", "Role",
    # "Location") on both pages.
    html = client.get("/.well-known/void", headers={"Accept": "text/html", "Accept-Language": lang})
    rows = re.findall(r"<tr><td><a[^>]*>([^<]*)</a>\s*<code>([^<]*)</code>", html.text)
    assert len(rows) >= 5
    raw = [label for label, iri in rows if label == re.split(r"[/#]", iri)[-1] != label.lower()]
    assert raw == []
