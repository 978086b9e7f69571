"""RFC 9110 Accept parsing and format choice, table-driven."""

import pytest

from publisher.negotiation import BY_EXTENSION, FORMATS, NotAcceptable, choose, parse_accept

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "ttl"),
        ("", "ttl"),
        ("*/*", "ttl"),
        (BROWSER, "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("text/html", "html"),
        ("text/turtle;q=0.5, application/ld+json", "jsonld"),
        ("text/turtle;q=0.5, application/ld+json;q=0.4", "ttl"),
        ("text/*", "ttl"),
        ("text/*;q=0.3, text/html;q=0.7", "html"),
        ("text/turtle;q=0, */*;q=0.1", "jsonld"),  # q=0 refuses Turtle even under */*
        ("*/*;q=0.1, text/turtle;q=0", "jsonld"),  # the specific range wins whatever the order
        ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
        ("application/n-triples; charset=utf-8", "nt"),
        ("application/n-triples; charset=UTF-8 ; q=0.9", "nt"),
        ("TEXT/TURTLE", "ttl"),
        ("text/turtle;q=abc", "ttl"),  # malformed only: as if absent
        ("text/turtle;q=1.5, application/rdf+xml", "rdf"),  # out-of-range q drops that range
        ("text/html;q=0.9;level=1, text/turtle;q=0.8", "html"),  # level after q is an extension
    ],
)
def test_choice(accept, expected):
    assert choose(accept).key == expected


@pytest.mark.parametrize(
    "accept",
    [
        "image/png",
        "application/pdf, image/*;q=0.9",
        "text/html;level=1",  # a parameter we do not serve
        'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"',
        "text/turtle;charset=latin-1",
        "*/*;q=0",
    ],
)
def test_not_acceptable_lists_every_type(accept):
    with pytest.raises(NotAcceptable) as info:
        choose(accept)
    assert info.value.available == [f.media_type for f in FORMATS]


def test_quoted_commas_do_not_split_ranges():
    ranges = parse_accept('application/ld+json;profile="a,b", text/turtle;q=0.2')
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("application", "ld+json", 1.0),
        ("text", "turtle", 0.2),
    ]
    assert ranges[0].params == (("profile", "a,b"),)


def test_every_format_has_a_distinct_extension_and_media_type():
    assert (
        len({f.extension for f in FORMATS}) == len({f.media_type for f in FORMATS}) == len(FORMATS)
    )
    assert set(BY_EXTENSION) == {"ttl", "jsonld", "nt", "rdf", "html"}
