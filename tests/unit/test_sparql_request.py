"""Reading SPARQL 1.1 Protocol requests (publisher/sparql/protocol.py)."""

from urllib.parse import urlencode

import pytest

from publisher.sparql.errors import ProtocolError
from publisher.sparql.protocol import parse_operation

Q = "SELECT * { ?s ?p ?o }"


def test_get_with_dataset_and_timeout():
    op = parse_operation(
        "GET",
        [
            ("query", Q),
            ("default-graph-uri", "http://g/1"),
            ("named-graph-uri", "http://g/2"),
            ("timeout", "2.5"),
        ],
        None,
        b"",
    )
    assert (op.kind, op.text, op.default_graphs, op.named_graphs, op.timeout) == (
        "query",
        Q,
        ["http://g/1"],
        ["http://g/2"],
        2.5,
    )


def test_get_without_query_asks_for_the_service_description():
    assert parse_operation("GET", [], None, b"").kind is None


def test_form_body_is_decoded_once():
    # %2541 must stay "%41" in the query: decoding twice would turn it into "A".
    body = urlencode({"query": 'SELECT * { ?s ?p "100%41" }'}).encode()
    op = parse_operation("POST", [], "application/x-www-form-urlencoded; charset=UTF-8", body)
    assert op.text == 'SELECT * { ?s ?p "100%41" }'


def test_direct_post_takes_dataset_from_url():
    op = parse_operation(
        "POST", [("default-graph-uri", "http://g/1")], "application/sparql-query", Q.encode()
    )
    assert op.kind == "query" and op.text == Q and op.default_graphs == ["http://g/1"]


def test_update_forms():
    op = parse_operation("POST", [], "application/sparql-update", b"CLEAR ALL")
    assert op.kind == "update"
    op = parse_operation(
        "POST",
        [],
        "application/x-www-form-urlencoded",
        urlencode({"update": "CLEAR ALL", "using-graph-uri": "http://g"}).encode(),
    )
    assert op.kind == "update" and op.default_graphs == ["http://g"]


@pytest.mark.parametrize(
    ("method", "params", "ctype", "body", "status"),
    [
        ("GET", [("query", Q), ("query", Q)], None, b"", 400),
        ("GET", [("update", "CLEAR ALL")], None, b"", 405),
        ("PUT", [], None, b"", 405),
        ("POST", [], "text/plain", Q.encode(), 415),
        ("POST", [], None, Q.encode(), 415),
        ("POST", [], "application/x-www-form-urlencoded", b"", 400),
        (
            "POST",
            [],
            "application/x-www-form-urlencoded",
            urlencode({"query": Q, "update": "CLEAR ALL"}).encode(),
            400,
        ),
        ("POST", [], "application/sparql-query", b"\xff\xfe", 400),
        ("GET", [("query", Q), ("timeout", "soon")], None, b"", 400),
        ("GET", [("query", Q), ("timeout", "-1")], None, b"", 400),
        ("GET", [("query", "  ")], None, b"", 400),
    ],
)
def test_protocol_violations(method, params, ctype, body, status):
    with pytest.raises(ProtocolError) as caught:
        parse_operation(method, params, ctype, body)
    assert caught.value.status == status
