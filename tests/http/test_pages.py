"""The HTML pages for people, in-process: home, search, language choice, resource pages,
ontology and vocabulary documentation, error pages and the static files.

The app serves the ontology, the vocabularies and tests/data/pages (real twinnings of Dijon
and Grenoble, see its README). Expected figures are computed from those files with rdflib,
independently of the SPARQL the pages use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from publisher.config import ONTOLOGY_DIR, VOCABULARIES_DIR, load_settings
from publisher.namespaces import AICT, GEO, ORG
from publisher.web.app import create_app

PAGES_DATA = Path(__file__).resolve().parent.parent / "data" / "pages"
DIJON = "https://w3id.org/aict/id/commune/21231"
GRENOBLE = "https://w3id.org/aict/id/commune/38185"
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = load_settings(
        data_paths=[ONTOLOGY_DIR / "aict.ttl", VOCABULARIES_DIR, PAGES_DATA], query_workers=1
    )
    with TestClient(create_app(settings), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _fresh_cookies(request: pytest.FixtureRequest) -> Iterator[None]:
    """The language switch sets a cookie; no test may leave it to the next one."""
    yield
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies.clear()


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    graph = Graph()
    for path in sorted(PAGES_DATA.glob("*.ttl")):
        graph.parse(path)
    return graph


class _Collector(HTMLParser):
    """Every tag with its attributes, to check what a page would make a browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


def fetched_urls(html: str) -> list[str]:
    """URLs a browser loads by itself: scripts, stylesheets, images, icons, frames."""
    urls = []
    for tag, attrs in parse(html):
        if tag in {"script", "img", "iframe", "source", "audio", "video"} and attrs.get("src"):
            urls.append(attrs["src"])
        if tag == "link" and (attrs.get("rel") or "") in {"stylesheet", "icon", "preload"}:
            urls.append(attrs["href"])
    return urls


def partners_in_fixture(graph: Graph, city: str) -> list[URIRef]:
    partners = set()
    for partnership in graph.subjects(ORG.hasMember, URIRef(city)):
        partners |= {m for m in graph.objects(partnership, ORG.hasMember) if m != URIRef(city)}
    return sorted(partners)


# --- home page ---------------------------------------------------------------------------


def test_home_is_french_by_default_with_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in response.text
    assert response.headers["content-language"] == "fr"
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "Accept-Language" in response.headers["vary"]
    assert "Partenariats par forme" in response.text


def test_home_loads_nothing_from_another_origin(client: TestClient) -> None:
    html = client.get("/").text
    urls = fetched_urls(html)
    assert urls, "the page should load its own stylesheet and script"
    for url in urls:  # under the site's own base (see test_public_base_path.py)
        assert url.startswith("http://testserver/-/static/"), url
    # No font, tile or CDN reference hidden in the inline SVG or the CSS either.
    css = client.get("/-/static/site.css").text
    assert "url(" not in css and "@import" not in css


def test_openapi_page_loads_swagger_ui_from_this_origin(client: TestClient) -> None:
    response = client.get("/-/docs", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    urls = fetched_urls(response.text)
    static = "http://testserver/-/static/"
    assert static + "vendor/swagger-ui/swagger-ui-bundle.js" in urls
    assert static + "api-docs.js" in urls  # the start-up script is a file, not inline
    assert all(url.startswith(static) for url in urls), urls
    assert not any(tag == "script" and not attrs.get("src") for tag, attrs in parse(response.text))
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get("/-/static/vendor/swagger-ui/LICENSE").status_code == 200
    assert client.get("/docs/oauth2-redirect").status_code == 404  # FastAPI's stray route


@pytest.mark.parametrize("path", ["/api", "/api/"])
def test_the_api_folder_leads_to_its_documentation(client: TestClient, path: str) -> None:
    page = client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "http://testserver/-/docs")
    program = client.get(path, headers={"Accept": "application/json"}, follow_redirects=False)
    assert program.headers["location"] == "http://testserver/-/openapi.json"
    paths = client.get(program.headers["location"]).json()["paths"]
    assert "/api/twinnings-of-a-city" in paths


def test_home_figures_match_the_data(client: TestClient, fixture_graph: Graph) -> None:
    figures = client.get("/-/stats.json").json()["figures"]
    partnerships = set(fixture_graph.subjects(RDF.type, AICT.Partnership))
    partners = set(fixture_graph.subjects(RDF.type, AICT.PartnerLocalAuthority))
    assert figures["partnerships"] == len(partnerships) > 0
    assert figures["partner_authorities"] == len(partners) > 0
    assert figures["french_authorities"] == len(
        set(fixture_graph.subjects(RDF.type, AICT.FrenchLocalAuthority))
    )
    assert figures["actions"] == len(set(fixture_graph.subjects(RDF.type, AICT.Action)))
    html = client.get("/").text
    assert f"<strong>{len(partnerships)}</strong>" in html


def test_home_charts_are_drawn_with_one_bar_per_value(
    client: TestClient, fixture_graph: Graph
) -> None:
    html = client.get("/", headers={"accept-language": "en"}).text
    for chart in ("chart-form", "chart-kind", "chart-theme", "chart-country"):
        assert f'id="{chart}"' in html
    country_chart = html.split('id="chart-country"', 1)[1].split("</figure>", 1)[0]
    countries = {
        c
        for p in fixture_graph.subjects(RDF.type, AICT.PartnerLocalAuthority)
        for c in fixture_graph.objects(p, URIRef("http://purl.org/dc/terms/spatial"))
    }
    assert country_chart.count('class="fill"') == len(countries)
    assert "Germany" in country_chart and "United States" in country_chart
    assert "Partnerships by form" in html and "Twinning charter" in html


def test_home_maps_dijon_with_its_located_partners(
    client: TestClient, fixture_graph: Graph
) -> None:
    html = client.get("/").text
    city_map = html.split('id="city-map"', 1)[1].split("</svg>", 1)[0]
    partners = partners_in_fixture(fixture_graph, DIJON)
    located = [p for p in partners if (p, GEO.lat, None) in fixture_graph]
    unlocated = [p for p in partners if p not in located]
    assert unlocated, "the fixture keeps one partner without coordinates"
    assert city_map.count('class="point"') == len(located)
    assert city_map.count('<path d="M') >= len(located)  # one line per partner, plus land
    assert 'class="centre"' in city_map and ">Dijon<" in city_map
    assert "Mainz" in city_map and "Dakar" in city_map
    assert "York" not in city_map and "York" in html  # listed as not mapped
    assert '<select id="city" name="city"' in html


def test_home_maps_the_city_asked_for(client: TestClient, fixture_graph: Graph) -> None:
    html = client.get("/", params={"city": GRENOBLE}).text
    city_map = html.split('id="city-map"', 1)[1].split("</svg>", 1)[0]
    assert ">Grenoble<" in city_map and "Phoenix" in city_map
    assert city_map.count('class="point"') == len(partners_in_fixture(fixture_graph, GRENOBLE))
    assert f'<option value="{GRENOBLE}" selected>' in html


@pytest.mark.parametrize(
    "city", ['"><script>alert(1)</script>', "1:x", "http://[x", "http://a%zz", "x> } <y"]
)
def test_home_ignores_a_malformed_city(client: TestClient, city: str) -> None:
    response = client.get("/", params={"city": city})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert ">Dijon<" in response.text


# --- language -----------------------------------------------------------------------------


def test_accept_language_picks_english(client: TestClient) -> None:
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert '<html lang="en">' in response.text
    assert "The dataset in figures" in response.text
    assert 'hreflang="fr"' in response.text  # the switch back to French


def test_switch_sets_a_cookie_that_later_pages_follow(client: TestClient) -> None:
    response = client.get("/", params={"lang": "en"}, headers={"accept-language": "fr"})
    assert '<html lang="en">' in response.text
    assert "aict_lang=en" in response.headers["set-cookie"]
    client.cookies.set("aict_lang", "en")
    try:
        later = client.get("/search", params={"q": "dijon"}, headers={"accept-language": "fr"})
        assert '<html lang="en">' in later.text
        overridden = client.get("/", params={"lang": "fr"})
        assert '<html lang="fr">' in overridden.text
    finally:
        client.cookies.clear()


@pytest.mark.parametrize(
    ("path", "lang", "line"),
    [
        ("/id/commune/21231", "en", "Other formats:"),
        ("/id/commune/21231", "fr", "Autres formats :"),
        # The visually hidden label before the IRI, read aloud by screen readers.
        ("/id/commune/21231", "en", "IRI: https://w3id.org/aict/id/commune/21231"),
        ("/id/commune/21231", "fr", "IRI : https://w3id.org/aict/id/commune/21231"),
        ("/", "en", "Dataset version: "),
        ("/", "fr", "Version du jeu de données : "),
    ],
)
def test_each_language_punctuates_its_own_way(
    client: TestClient, path: str, lang: str, line: str
) -> None:
    html = client.get(path, headers={**HTML, "accept-language": lang}).text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert line in text


def test_unknown_language_falls_back_to_french(client: TestClient) -> None:
    response = client.get("/", params={"lang": "de"}, headers={"accept-language": "de, es"})
    assert '<html lang="fr">' in response.text
    assert "set-cookie" not in response.headers


# --- search -------------------------------------------------------------------------------


def test_search_finds_a_city_by_part_of_its_name(client: TestClient) -> None:
    response = client.get("/search", params={"q": "DIJ"})
    assert response.status_code == 200
    results = response.text.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    assert 'href="http://testserver/id/commune/21231"' in results
    assert "collectivité territoriale française" in results  # its type, labelled in French


def test_search_lists_concepts_and_authorities(client: TestClient) -> None:
    html = client.get("/search", params={"q": "jumelage", "lang": "fr"}).text
    assert "Charte de jumelage" in html
    client.cookies.clear()


@pytest.mark.parametrize("query", ['"', "\\", "' OR 1", "}} SELECT", "\n\r", "é" * 50])
def test_search_survives_hostile_queries(client: TestClient, query: str) -> None:
    response = client.get("/search", params={"q": query})
    assert response.status_code == 200
    assert "<script" not in response.text.split("</head>", 1)[1]


def test_search_needs_two_characters(client: TestClient) -> None:
    html = client.get("/search", params={"q": "d"}).text
    assert "au moins 2 caractères" in html
    assert '<ol class="results">' not in html


def test_search_rejects_an_overlong_query(client: TestClient) -> None:
    response = client.get("/search", params={"q": "x" * 201}, headers=HTML)
    assert response.status_code in (400, 422)
    assert "Traceback" not in response.text


# --- resource pages -----------------------------------------------------------------------


def test_authority_page_has_title_properties_map_and_formats(client: TestClient) -> None:
    response = client.get("/id/commune/21231", headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert "<title>Dijon · " in html and "<h1>Dijon</h1>" in html
    assert "population" in html and "161830" in html
    assert 'class="map"' in html and "Mainz" in html
    for ext, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ):
        assert (
            f'<link rel="alternate" type="{media}" href="http://testserver/id/commune/21231.{ext}"'
            in html
        )
    # Links to our own resources point to this server, not to the canonical host.
    assert 'href="http://testserver/id/partnership/' in html
    assert 'href="https://w3id.org/aict/id/' not in html


def test_authority_page_in_english_labels_properties_in_english(client: TestClient) -> None:
    html = client.get("/id/commune/21231", headers={**HTML, "accept-language": "en"}).text
    assert "INSEE code" in html and "country or territory" in html
    assert "Incoming links" in html


def test_partnership_page_maps_its_members(client: TestClient) -> None:
    html = client.get("/id/partnership/commune-21231--de-mainz", headers=HTML).text
    assert 'class="map"' in html
    assert "Dijon" in html and "Mainz" in html
    assert "Charte de jumelage" in html


def test_action_page_shows_nested_amount(client: TestClient) -> None:
    html = client.get(
        "/id/action/cuf-solidarity-fund-ukraine-2022", headers={**HTML, "accept-language": "en"}
    ).text
    assert "Cités Unies France solidarity fund for Ukraine (2022)" in html
    assert "395000" in html and "EUR" in html
    assert 'class="nested"' in html


def test_concept_page_lists_what_uses_it(client: TestClient) -> None:
    html = client.get("/vocab/partnership-form/twinningCharter", headers=HTML).text
    assert "<h1>Charte de jumelage</h1>" in html
    assert 'id="incoming"' in html and "/id/partnership/" in html


def test_incoming_links_are_paged(fixture_graph: Graph) -> None:
    settings = load_settings(
        data_paths=[VOCABULARIES_DIR / "partnership-form.ttl", PAGES_DATA],
        page_size=4,
        query_workers=1,
    )
    charter = URIRef("https://w3id.org/aict/vocab/partnership-form/twinningCharter")
    loaded = Graph().parse(VOCABULARIES_DIR / "partnership-form.ttl") + fixture_graph
    users = sorted({str(s) for s, _ in loaded.subject_predicates(charter) if s != charter})
    assert len(users) > 8
    seen: list[str] = []
    with TestClient(create_app(settings)) as small:
        for page in (1, 2, 3):
            html = small.get(
                f"/vocab/partnership-form/twinningCharter?page={page}", headers=HTML
            ).text
            section = html.split('id="incoming"', 1)[1].split("</section>", 1)[0]
            rows = re.findall(r'<tr><td><a href="http://testserver/([^"]+)"', section)
            seen.extend("https://w3id.org/aict/" + row for row in rows)
            assert f"Page {page}" in section
            assert ('rel="next"' in section) == (page * 4 < len(users))
            assert ('rel="prev"' in section) == (page > 1)
    assert sorted(seen) == users  # every link once, in pages of 4


def test_ontology_page_documents_every_term_with_its_anchor(client: TestClient) -> None:
    ontology = Graph().parse(ONTOLOGY_DIR / "aict.ttl")
    html = client.get("/ontology", headers=HTML).text
    terms = {
        s
        for s in ontology.subjects()
        if isinstance(s, URIRef)
        and str(s).startswith(str(AICT))
        and set(ontology.objects(s, RDF.type))
        & {
            OWL.Class,
            OWL.ObjectProperty,
            OWL.DatatypeProperty,
            RDF.Property,
            RDFS.Datatype,
            OWL.AnnotationProperty,
            OWL.SymmetricProperty,
        }
    }
    assert len(terms) > 20
    for term in terms:
        local = str(term)[len(str(AICT)) :]
        assert f'id="{local}"' in html, local
        assert f'href="#{local}"' in html, local  # in the index
        for label in ontology.objects(term, RDFS.label):
            assert f">{_escaped(str(label))}<" in html, (local, str(label))
        for definition in ontology.objects(term, SKOS.definition):  # both languages shown
            assert f">{_escaped(str(definition))}<" in html, (local, definition.language)
    assert "Index des termes" in html


def test_vocabulary_page_documents_every_concept(client: TestClient) -> None:
    scheme = Graph().parse(VOCABULARIES_DIR / "theme.ttl")
    html = client.get("/vocab/theme", headers={**HTML, "accept-language": "en"}).text
    concepts = list(scheme.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        notation = str(scheme.value(concept, SKOS.notation))
        assert f'id="{notation}"' in html
        for label in scheme.objects(concept, SKOS.prefLabel):
            assert f">{_escaped(str(label))}<" in html


def test_unknown_resource_gets_a_french_html_404(client: TestClient) -> None:
    response = client.get("/id/commune/00000", headers=HTML)
    assert response.status_code == 404
    assert '<html lang="fr">' in response.text and "Ressource introuvable" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    english = client.get("/id/commune/00000", headers={**HTML, "accept-language": "en"})
    assert "Not found" in english.text


# --- static files ---------------------------------------------------------------------------


def test_static_files_are_served_with_their_type(client: TestClient) -> None:
    css = client.get("/-/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = client.get("/-/static/site.js")
    assert js.headers["content-type"].startswith("text/javascript")
    licence = client.get("/-/static/vendor/world-atlas/LICENSE")
    assert licence.status_code == 200 and "Bostock" in licence.text


@pytest.mark.parametrize(
    "path", ["/-/static/../html.py", "/-/static/%2e%2e/html.py", "/-/static/nope.css"]
)
def test_static_files_stay_in_their_folder(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 404
    assert "render_resource" not in response.text


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for url in ("/", "/id/commune/21231", "/ontology", "/search?q=dijon"):
        html = client.get(url, headers=HTML).text
        for tag, attrs in parse(html):
            assert not (tag == "script" and not attrs.get("src")), url
            assert tag != "style", url
            assert "style" not in attrs, (url, tag)
            assert not any(name.startswith("on") for name in attrs), (url, tag)
    assert re.search(r"<title>[^<]+</title>", html)


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("page", ["/", "/id/commune/21231", "/search?q=grenoble"])
def test_no_broken_links_on_the_page(client: TestClient, page: str) -> None:
    html = client.get(page, headers={"accept": BROWSER_ACCEPT}).text
    links = {
        attrs["href"].split("#", 1)[0]
        for tag, attrs in parse(html)
        if tag in {"a", "link"} and attrs.get("href")
    }
    local = sorted(
        link.removeprefix("http://testserver")
        for link in links
        if link.startswith("/") or link.startswith("http://testserver/")
    )
    assert len(local) > 5
    for link in local:
        if not link:
            continue
        response = client.get(link, headers={"accept": BROWSER_ACCEPT})
        assert response.status_code == 200, (page, link, response.status_code)


def test_every_link_of_every_page_serves_a_browser_asking_for_html_only(
    client: TestClient,
) -> None:
    """A browser following a link may send `Accept: text/html` alone: every link our pages
    emit (to pages, RDF, /api, /fragments, dumps...) answers it, never a 4xx or 5xx."""
    todo, seen, failed = ["/"], set(), []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, headers=HTML)
        if response.status_code >= 400:
            failed.append((url, response.status_code))
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        for tag, attrs in parse(response.text):
            link = attrs.get("src") if tag in {"script", "img"} else attrs.get("href")
            if tag in {"a", "link", "script", "img"} and link:
                local = urljoin(str(response.url), link).split("#", 1)[0]
                if local.startswith("http://testserver/"):
                    todo.append(local.removeprefix("http://testserver"))
    assert {"/fragments", "/api/twinnings-of-a-city?city=Dijon"} <= seen
    assert not failed, failed


@pytest.mark.parametrize("url", ["/", "/search?q=dijon", "/-/stats.json"])
def test_pages_answer_conditional_requests(client: TestClient, url: str) -> None:
    first = client.get(url)
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and not again.content
    assert "Accept-Language" in first.headers["vary"]
    english = client.get(url, headers={"accept-language": "en"})
    assert english.headers["etag"] != etag  # another representation, another validator
    head = client.head(url)
    assert head.status_code == 200 and not head.content
    assert head.headers.get("content-security-policy") == first.headers.get(
        "content-security-policy"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("GRENOBLE", "/id/commune/38185"),  # case
        ("reggio-emilia", "/id/authority/it/reggio-emilia"),  # punctuation
        ("etats unis", "country/USA"),  # accents: « États-Unis »
        ("cites unies france ukraine", "/id/action/cuf-solidarity-fund-ukraine-2022"),  # words
    ],
)
def test_search_forgives_case_accents_and_word_order(
    client: TestClient, query: str, expected: str
) -> None:
    results = client.get("/search", params={"q": query}).text.split('<ol class="results">', 1)
    assert len(results) == 2, query
    assert expected in results[1].split("</ol>", 1)[0]


def test_search_ranks_the_exact_name_first(client: TestClient) -> None:
    html = client.get("/search", params={"q": "dijon"}).text
    first = html.split('<ol class="results">', 1)[1].split("</li>", 1)[0]
    assert 'href="http://testserver/id/commune/21231"' in first


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dumps_heading_names_the_format_of_every_dump(client: TestClient, lang: str) -> None:
    # The home page lists four dumps; its heading named three formats, leaving out N-Quads.
    html = client.get("/", headers={**HTML, "accept-language": lang}).text
    heading = re.search(r'<h3 id="dumps">(.*?)</h3>', html)
    assert heading is not None
    for name in ("Turtle", "N-Triples", "JSON-LD", "N-Quads"):
        assert name in heading.group(1)
    assert html.count('href="http://testserver/dumps/') == 4


@pytest.mark.parametrize(
    ("lang", "title", "description"),
    [
        ("fr", "Jumelages d'une ville", "Les collectivités étrangères jumelées"),
        ("en", "Twinnings of a city", "The foreign local authorities twinned"),
    ],
)
def test_query_page_lists_the_named_queries_in_its_language(
    client: TestClient, lang: str, title: str, description: str
) -> None:
    # The French query page showed the examples' English titles and descriptions.
    html = client.get("/sparql", headers={**HTML, "accept-language": lang}).text
    examples = html[html.index('<section id="examples">') :]
    examples = re.sub(r"<template\b.*?</template>", "", examples, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", examples)).replace("&#39;", "'")
    assert title in text and description in text
