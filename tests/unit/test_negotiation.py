"""RFC 9110 negotiation (publisher.negotiation) over the format tables (publisher.formats),
table-driven: every route chooses with this one function, so these cases hold everywhere."""

import pytest

from publisher.formats import (
    ALL_FORMATS,
    API_FORMATS,
    DOCUMENT_FORMATS,
    FRAGMENT_FORMATS,
    GRAPH_FORMATS,
    HTML,
    REPORT_FORMATS,
    SOLUTION_FORMATS,
    by_extension,
)
from publisher.negotiation import (
    NotAcceptable,
    choose,
    negotiate,
    negotiate_data,
    parse_accept,
    parse_weighted,
)
from publisher.sparql.formats import FORMAT_SYNONYMS
from publisher.web.caching import accepts_gzip_header
from publisher.web.i18n import lang_from_accept_language

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SPARQLWRAPPER_JSON = (
    "application/sparql-results+json,application/json,text/javascript,application/javascript"
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        # absent, empty or only malformed: the first format
        (None, "ttl"),
        ("", "ttl"),
        (" , ,", "ttl"),
        ("text/turtle;q=abc", "ttl"),
        ("text/turtle;q=1.5", "ttl"),
        ("text/turtle;q=-0.5", "ttl"),
        ("text/turtle;q=0.1234", "ttl"),  # more than three decimals
        ("turtle", "ttl"),  # not type/subtype
        ("*/turtle", "ttl"),
        # a malformed range is dropped, the rest is used
        ("text/turtle;q=1.5, application/rdf+xml", "rdf"),
        ("text/turtle;q=abc, application/n-triples;q=0.2", "nt"),
        ('text/turtle;q="0.5", application/rdf+xml;q=0.4', "rdf"),  # q is not quoted
        # wildcards and order
        ("*/*", "ttl"),
        ("text/*", "ttl"),
        ("application/*", "jsonld"),
        (BROWSER, "html"),
        # names and aliases
        ("text/turtle", "ttl"),
        ("application/x-turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/n-triples", "nt"),
        ("text/plain", "nt"),
        ("application/rdf+xml", "rdf"),
        ("application/xml", "rdf"),
        ("text/html", "html"),
        ("application/xhtml+xml", "html"),
        ("TEXT/TURTLE", "ttl"),
        # weights
        ("text/turtle;q=0.5, application/ld+json", "jsonld"),
        ("text/turtle;q=0.5, application/ld+json;q=0.4", "ttl"),
        ("text/turtle;q=0.500, application/ld+json;q=0.5", "ttl"),  # equal: our order
        ("text/*;q=0.3, text/html;q=0.7", "html"),
        ("text/turtle;q=0, */*;q=0.1", "jsonld"),  # q=0 refuses Turtle even under */*
        ("*/*;q=0.1, text/turtle;q=0", "jsonld"),  # the specific range wins whatever the order
        ("*/*, text/html", "html"),  # named beats reached through a wildcard
        ("text/turtle, text/html", "ttl"),  # both named, same q: our order
        # parameters
        ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
        ("application/n-triples; charset=utf-8", "nt"),
        ("application/n-triples; charset=UTF-8 ; q=0.9", "nt"),
        ("application/ld+json;charset=utf-8", "jsonld"),  # JSON is UTF-8 anyway
        ("text/html;q=0.9;level=1, text/turtle;q=0.8", "html"),  # after q: an extension
        ("text/html;level=1, text/turtle;q=0.1", "ttl"),  # a parameter we do not send
        ('text/html;foo="a,b", application/rdf+xml', "rdf"),  # quoted comma stays inside
    ],
)
def test_document_choice(accept, expected):
    assert choose(accept, DOCUMENT_FORMATS).extension == expected


@pytest.mark.parametrize(
    "accept",
    [
        "image/png",
        "application/pdf, image/*;q=0.9",
        "text/html;level=1",
        'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"',
        "text/turtle;charset=latin-1",
        "*/*;q=0",
        "text/turtle;q=0",
    ],
)
def test_not_acceptable_lists_every_type(accept):
    with pytest.raises(NotAcceptable) as info:
        choose(accept, DOCUMENT_FORMATS)
    assert info.value.available == [f.media_type for f in DOCUMENT_FORMATS]


@pytest.mark.parametrize("formats", [API_FORMATS, FRAGMENT_FORMATS], ids=["api", "fragments"])
@pytest.mark.parametrize(
    "accept", ["text/html", "application/xhtml+xml", "text/html, image/png;q=0.5"]
)
def test_data_without_a_page_gives_a_browser_its_first_format(formats, accept):
    """A browser following a link to /api or /fragments (HTML alone) gets data, not a 406."""
    with pytest.raises(NotAcceptable):
        negotiate(accept, formats)
    assert negotiate_data(accept, formats).format is formats[0]


@pytest.mark.parametrize("accept", ["image/png", "text/html;level=1", "text/html;q=0"])
def test_data_without_a_page_still_refuses_what_is_not_html(accept):
    with pytest.raises(NotAcceptable):
        negotiate_data(accept, API_FORMATS)


def test_data_without_a_page_negotiates_as_usual_otherwise():
    assert negotiate_data("text/html, text/csv;q=0.1", API_FORMATS).format.key == "csv"


@pytest.mark.parametrize(
    ("accept", "key", "media_type"),
    [
        (None, "sparql-json", "application/sparql-results+json"),
        ("*/*", "sparql-json", "application/sparql-results+json"),
        ("text/csv", "csv", "text/csv"),
        ("text/tab-separated-values", "tsv", "text/tab-separated-values"),
        ("application/sparql-results+xml", "sparql-xml", "application/sparql-results+xml"),
        ("application/xml", "sparql-xml", "application/xml"),  # answered under its name
        ("application/json", "sparql-json", "application/json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "sparql-xml", None),
        ("text/*;q=0.9, application/sparql-results+json;q=0.1", "csv", "text/csv"),  # not text/xml
        (SPARQLWRAPPER_JSON, "sparql-json", "application/sparql-results+json"),
        ("text/csv;q=2", "sparql-json", None),  # out of range: as if absent
    ],
)
def test_solution_choice(accept, key, media_type):
    choice = negotiate(accept, SOLUTION_FORMATS)
    assert choice.format.key == key
    assert choice.media_type == (media_type or choice.format.media_type)


def test_an_alias_is_answered_under_the_name_asked_for():
    assert negotiate("application/json", SOLUTION_FORMATS).content_type == (
        "application/json; charset=utf-8"
    )
    assert negotiate("application/json", GRAPH_FORMATS).content_type == "application/json"
    assert negotiate(None, GRAPH_FORMATS).content_type == "text/turtle; charset=utf-8"


@pytest.mark.parametrize(
    ("accept", "key"),
    [
        (None, "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("text/turtle;q=0.2, application/rdf+xml;q=0.8", "rdfxml"),
    ],
)
def test_graph_choice(accept, key):
    assert choose(accept, GRAPH_FORMATS).key == key


@pytest.mark.parametrize(
    ("accept", "page"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("text/turtle", False),
        ("*/*", False),
        (None, False),
        ("text/turtle, text/html;q=0.5", False),
        ("text/html;level=1, text/turtle;q=0.5", False),
    ],
)
def test_the_query_page_is_for_clients_that_name_html(accept, page):
    assert (choose(accept, (*GRAPH_FORMATS, HTML)) is HTML) == page


@pytest.mark.parametrize(
    ("accept", "key"),
    [(None, "json"), ("text/plain", "text"), ("text/xml", "junit"), ("text/*", "turtle")],
)
def test_report_choice(accept, key):
    assert choose(accept, REPORT_FORMATS).key == key


def test_quoted_commas_do_not_split_ranges():
    ranges = parse_accept('application/ld+json;profile="a,b", text/turtle;q=0.2')
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("application", "ld+json", 1.0),
        ("text", "turtle", 0.2),
    ]
    assert ranges[0].params == (("profile", "a,b"),)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR, en;q=0.8", [("fr-fr", 1.0), ("en", 0.8)]),
        ("en;q=1.5, fr;q=0.4", [("fr", 0.4)]),  # out of range: dropped, as in Accept
        ("en;q=abc", []),
        ("gzip;q=0, *", [("gzip", 0.0), ("*", 1.0)]),
        ("", []),
    ],
)
def test_weighted_headers_share_the_grammar(header, expected):
    assert parse_weighted(header) == expected


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("en", "en"),
        ("de, en;q=0.5, fr;q=0.4", "en"),
        ("en;q=1.5, fr;q=0.4", "fr"),  # before: clamped or taken as 1.5, English won
        ("en;q=0, fr;q=0.1", "fr"),
        ("de", None),
    ],
)
def test_accept_language(header, lang):
    assert lang_from_accept_language(header) == lang


@pytest.mark.parametrize(
    ("header", "gzip"),
    [
        ("gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0, *", False),
        ("*", True),
        ("br, *;q=0", False),
        ("gzip;q=2", False),  # malformed: dropped, as in Accept
        ("identity", False),
    ],
)
def test_accept_encoding(header, gzip):
    assert accepts_gzip_header(header) is gzip


def test_the_registry_is_consistent():
    assert len({f.key for f in ALL_FORMATS}) == len(ALL_FORMATS)
    assert set(by_extension(DOCUMENT_FORMATS)) == {"ttl", "jsonld", "nt", "rdf", "html"}
    for group in (DOCUMENT_FORMATS, SOLUTION_FORMATS, GRAPH_FORMATS, REPORT_FORMATS):
        names = [name for f in group for name in f.names]
        assert len(names) == len(set(names)), group  # one media type, one format per use
    for names in FORMAT_SYNONYMS.values():
        for shape, fmt in names.items():
            assert fmt in (SOLUTION_FORMATS + GRAPH_FORMATS), (shape, fmt)
