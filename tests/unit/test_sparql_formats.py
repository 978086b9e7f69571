"""Accept negotiation for SPARQL results (publisher/sparql/formats.py)."""

import pytest

from publisher.sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS, negotiate, prefers_html


@pytest.mark.parametrize("accept", [None, "", "*/*"])
def test_no_preference_gives_json_for_solutions_and_turtle_for_graphs(accept):
    assert negotiate(accept, SOLUTION_FORMATS)[0].key == "json"
    assert negotiate(accept, GRAPH_FORMATS)[0].key == "turtle"


@pytest.mark.parametrize(
    ("accept", "key", "media_type"),
    [
        ("text/csv", "csv", "text/csv"),
        ("text/tab-separated-values", "tsv", "text/tab-separated-values"),
        ("application/sparql-results+xml", "xml", "application/sparql-results+xml"),
        ("application/xml", "xml", "application/xml"),
        ("application/json", "json", "application/json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "xml", "application/sparql-results+xml"),
        ("text/*;q=0.9, application/sparql-results+json;q=0.1", "csv", "text/csv"),
        # What SPARQLWrapper sends for JSON.
        (
            "application/sparql-results+json,application/json,text/javascript,application/javascript",
            "json",
            "application/sparql-results+json",
        ),
    ],
)
def test_solution_formats(accept, key, media_type):
    fmt, chosen = negotiate(accept, SOLUTION_FORMATS)
    assert (fmt.key, chosen) == (key, media_type)


@pytest.mark.parametrize(
    ("accept", "key"),
    [
        ("application/n-triples", "ntriples"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("text/turtle;q=0.2, application/rdf+xml;q=0.8", "rdfxml"),
    ],
)
def test_graph_formats(accept, key):
    assert negotiate(accept, GRAPH_FORMATS)[0].key == key


@pytest.mark.parametrize(
    "accept", ["image/png", "text/csv;q=0", "application/sparql-results+json;q=0"]
)
def test_nothing_acceptable_is_none(accept):
    assert (
        negotiate(accept, SOLUTION_FORMATS if "csv" not in accept else SOLUTION_FORMATS[2:3])
        is None
    )


def test_browser_gets_html_but_rdf_clients_do_not():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert prefers_html(browser, GRAPH_FORMATS)
    assert not prefers_html("text/turtle", GRAPH_FORMATS)
    assert not prefers_html("*/*", GRAPH_FORMATS)
    assert not prefers_html(None, GRAPH_FORMATS)
    assert not prefers_html("text/turtle, text/html;q=0.5", GRAPH_FORMATS)
