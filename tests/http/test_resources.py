"""Dereferencing our IRIs in-process: formats, headers, statuses, paging, rebasing."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from publisher.formats import DOCUMENT_FORMATS as FORMATS
from publisher.formats import RDF_DOCUMENT_FORMATS as RDF_FORMATS
from publisher.web.rebase import rebase_graph

PUBLIC = "http://testserver/"  # the base URL of the session client (conftest.py)
CANONICAL = "https://w3id.org/aict/"
DIJON = "id/commune/21231"
MAINZ_LINK = "id/partnership/commune-21231--de-mainz"
RDFLIB_PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


def expected_graph(store, path: str, page: int = 1) -> Graph:
    description = store.describe(CANONICAL + path, page=page, page_size=2)
    return rebase_graph(description.graph, CANONICAL, PUBLIC)


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.key)
def test_each_rdf_format_by_accept_and_by_suffix(client, store, fmt):
    by_accept = client.get(f"/{MAINZ_LINK}", headers={"Accept": fmt.media_type})
    by_suffix = client.get(f"/{MAINZ_LINK}.{fmt.extension}", headers={"Accept": "image/png"})
    expected = expected_graph(store, MAINZ_LINK)
    for response in (by_accept, by_suffix):
        assert response.status_code == 200
        assert response.headers["content-type"] == fmt.content_type
        parsed = Graph().parse(data=response.content, format=RDFLIB_PARSERS[fmt.extension])
        assert isomorphic(parsed, expected)
    assert by_accept.headers["content-location"] == f"{PUBLIC}{MAINZ_LINK}.{fmt.extension}"
    assert "Accept" in by_accept.headers["vary"]
    assert "content-location" not in by_suffix.headers


def test_html_for_browsers(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(f"/{DIJON}", headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Dijon" in response.text
    assert response.headers["content-location"] == f"{PUBLIC}{DIJON}.html"
    assert {"Accept", "Accept-Language"} <= set(
        response.headers["vary"].replace(" ", "").split(",")
    )


def test_description_has_labels_of_linked_iris_and_blank_nodes(client):
    graph = Graph().parse(data=client.get(f"/{MAINZ_LINK}.ttl").content, format="turtle")
    dijon = URIRef(PUBLIC + DIJON)
    assert (dijon, RDFS.label, Literal("Dijon", lang="fr")) in graph
    # The period of time is a blank node: its statements come with the description.
    starts = list(graph.objects(None, URIRef("http://www.w3.org/ns/dcat#startDate")))
    assert [str(s) for s in starts] == ["1958"]


def test_link_header_lists_every_format(client):
    links = client.get(f"/{DIJON}").headers["link"]
    for fmt in FORMATS:
        assert (
            f'<{PUBLIC}{DIJON}.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"' in links
        )


def test_iris_rewritten_as_terms_and_literals_untouched(client):
    graph = Graph().parse(data=client.get(f"/{DIJON}.nt").content, format="nt")
    subjects = {str(s) for s in graph.subjects()}
    assert PUBLIC + DIJON in subjects
    canonical = {
        str(term)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(CANONICAL)
    }
    # Only the ontology's terms keep the canonical base (see the test below).
    assert canonical and all(iri.startswith(CANONICAL + "ontology#") for iri in canonical)
    comment = graph.value(URIRef(PUBLIC + DIJON), RDFS.comment)
    assert str(comment) == "Canonical IRI: https://w3id.org/aict/id/commune/21231"


def test_incoming_links_are_paged(client):
    first = client.get(f"/{DIJON}.ttl")
    assert f'<{PUBLIC}{DIJON}.ttl?page=2>; rel="next"' in first.headers["link"]
    second = client.get(f"/{DIJON}.ttl?page=2")
    assert second.status_code == 200
    assert 'rel="next"' not in second.headers["link"]
    assert f"<{PUBLIC}{DIJON}.ttl?page=1>" not in second.headers["link"]
    assert 'rel="prev"' in second.headers["link"]

    def incoming(response):
        graph = Graph().parse(data=response.content, format="turtle")
        return set(
            graph.subjects(URIRef("http://www.w3.org/ns/org#hasMember"), URIRef(PUBLIC + DIJON))
        )

    hydra = "http://www.w3.org/ns/hydra/core#"
    hints = Graph().parse(data=first.content, format="turtle")
    view = URIRef(f"{PUBLIC}{DIJON}.ttl")
    assert hints.value(view, URIRef(hydra + "next")) == URIRef(f"{PUBLIC}{DIJON}.ttl?page=2")
    hints = Graph().parse(data=second.content, format="turtle")
    view = URIRef(f"{PUBLIC}{DIJON}.ttl?page=2")
    assert hints.value(view, URIRef(hydra + "previous")) == URIRef(f"{PUBLIC}{DIJON}.ttl")
    assert hints.value(view, URIRef(hydra + "next")) is None

    pages = [incoming(first), incoming(second)]
    assert [len(p) for p in pages] == [2, 1]
    assert not pages[0] & pages[1]
    assert client.get(f"/{DIJON}.ttl?page=3").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_bad_page_is_400(client, page):
    assert client.get(f"/{DIJON}.ttl?page={page}").status_code == 400


def test_ontology_and_vocabulary_documents(client):
    ontology = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ontology.status_code == 200
    graph = Graph().parse(data=ontology.content, format="turtle")
    assert (
        URIRef(CANONICAL + "ontology#Partnership"),  # terms keep their canonical IRIs
        RDFS.label,
        Literal("partnership", lang="en"),
    ) in graph
    scheme = client.get("/vocab/partnership-form.ttl")
    concept = client.get("/vocab/partnership-form/twinningCharter.jsonld")
    assert scheme.status_code == concept.status_code == 200
    assert "twinningCharter" in scheme.text
    assert json.loads(concept.text)


def test_named_graph_iri_dereferences_or_404(client, store):
    response = client.get("/graph/twinnings.nt")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="nt")
    size = graph.value(
        URIRef(PUBLIC + "graph/twinnings"), URIRef("http://rdfs.org/ns/void#triples")
    )
    rows = store.select(
        "SELECT (COUNT(*) AS ?n) "
        "WHERE { GRAPH <https://w3id.org/aict/graph/twinnings> { ?s ?p ?o } }"
    )
    assert int(size) == int(rows[0]["n"]) > 0
    assert client.get("/graph/no-such-graph.ttl").status_code == 404


def test_unknown_route_is_404_in_the_negotiated_format(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert json.loads(response.text)["status"] == 404


def test_jsonld_is_compacted_with_our_context(client):
    document = json.loads(client.get(f"/{DIJON}.jsonld").text)
    assert document["@context"]["aict"] == CANONICAL + "ontology#"  # as in the graph
    nodes = json.dumps(document["@graph"])
    assert "ontology#" not in nodes  # every ontology term was compacted
    dijon = next(node for node in document["@graph"] if node["id"] == PUBLIC + DIJON)
    assert dijon["type"] == "FrenchLocalAuthority"


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.key)
def test_terms_keep_their_canonical_iris_so_a_copied_prefix_works_in_sparql(client, fmt):
    """Resources are served under this host, the ontology's terms are not: the `aict:` of a
    page's RDF is the one /sparql (and every other copy of the data) uses."""
    served = client.get(f"/{DIJON}.{fmt.extension}").content
    graph = Graph().parse(data=served, format=RDFLIB_PARSERS[fmt.extension])
    terms = {str(t) for triple in graph for t in triple if "ontology#" in str(t)}
    assert terms and all(t.startswith(CANONICAL + "ontology#") for t in terms), terms
    assert (URIRef(PUBLIC + DIJON), None, None) in graph  # the resource itself: this host
    if fmt.extension == "ttl":
        declared = dict(re.findall(r"@prefix (\w+): <([^>]+)>", served.decode()))
        query = (
            f"PREFIX aict: <{declared['aict']}> "
            f"SELECT (COUNT(*) AS ?n) {{ ?s a aict:FrenchLocalAuthority }}"
        )
        answer = client.get("/sparql", params={"query": query}).json()
        assert int(answer["results"]["bindings"][0]["n"]["value"]) > 0


def test_unknown_resource_is_404_in_the_negotiated_format(client):
    as_json = client.get("/id/commune/00000", headers={"Accept": "application/ld+json"})
    assert as_json.status_code == 404
    assert as_json.headers["content-type"].startswith("application/json")
    assert json.loads(as_json.text)["status"] == 404
    as_html = client.get("/id/commune/00000", headers={"Accept": "text/html"})
    assert as_html.status_code == 404 and as_html.headers["content-type"].startswith("text/html")
    as_text = client.get("/id/commune/00000", headers={"Accept": "text/turtle"})
    assert as_text.status_code == 404 and as_text.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "path", ["/id/a%20b", "/id/a/%2E%2E/b", "/id/a//b", "/id/%3Cx%3E", "/id/a%25b"]
)
def test_malformed_paths_are_400(client, path):
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 400, response.text
    assert "Traceback" not in response.text


def test_unacceptable_type_is_406_listing_what_is_available(client):
    response = client.get(f"/{DIJON}", headers={"Accept": "image/png, application/pdf;q=0.5"})
    assert response.status_code == 406
    for fmt in FORMATS:
        assert fmt.media_type in response.text


def test_wrong_method_is_405(client):
    response = client.request("POST", f"/{DIJON}")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert client.request("DELETE", "/catalog").status_code == 405


def test_head_answers_headers(client):
    response = client.request("HEAD", f"/{DIJON}.ttl")
    assert response.status_code == 200
    assert response.headers["etag"]


def test_strong_etag_and_conditional_requests(client):
    first = client.get(f"/{DIJON}.ttl", headers={"Accept-Encoding": "identity"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age=" in first.headers["cache-control"]
    again = client.get(
        f"/{DIJON}.ttl", headers={"Accept-Encoding": "identity", "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    since = client.get(f"/{DIJON}.ttl", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get(f"/{DIJON}.ttl", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    assert (
        client.get(f"/{DIJON}.nt", headers={"Accept-Encoding": "identity"}).headers["etag"] != etag
    )
    assert client.get(f"/{DIJON}.ttl?page=2").headers["etag"] != etag


def test_gzip_representation_has_its_own_etag(client):
    plain = client.get("/ontology.ttl", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/ontology.ttl", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.content == plain.content  # httpx decodes the gzip body
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in zipped.headers["vary"]
    revalidated = client.get(
        "/ontology.ttl",
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]},
    )
    assert revalidated.status_code == 304


def test_cors_get_from_any_origin_without_credentials(client):
    response = client.get(f"/{DIJON}.ttl", headers={"Origin": "https://portal.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "ETag" in response.headers["access-control-expose-headers"]
    preflight = client.request(
        "OPTIONS",
        f"/{DIJON}",
        headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200


def test_request_body_limit(client):
    response = client.request("POST", "/catalog", content=b"x" * 2_000_000)
    assert response.status_code == 413


def test_no_traceback_on_internal_error(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(client.app.state.store, "describe", broken)
    response = client.get(f"/{DIJON}.ttl?internal-error-test")  # no answer kept for it
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text


def test_language_switch_answer_is_not_shared_cached(client):
    switched = client.get(f"/{DIJON}.html?lang=en")
    assert switched.status_code == 200
    assert "set-cookie" in switched.headers
    assert switched.headers["cache-control"].startswith("private")
    plain = client.get(f"/{DIJON}.html", headers={"Accept-Language": "fr"})
    assert "set-cookie" not in plain.headers
    assert plain.headers["cache-control"].startswith("public")
