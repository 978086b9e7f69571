"""Inputs the fuzzing suite found that broke a command, kept as named tests."""

from __future__ import annotations

import codecs
import re
from urllib.parse import urlencode

import pytest
from fuzz_support import logged, run_cli, tracebacks_in
from http_support import request
from rdflib import Graph

from publisher.config import EXAMPLES_DIR


def test_a_collection_nested_thousands_deep_is_validated_not_an_internal_error(tmp_path):
    # The line locator's Turtle walker recursed once per "(" and hit Python's stack limit
    # (RecursionError, exit 3) although rdflib had parsed the file.
    depth = 3000
    path = tmp_path / "deep.ttl"
    path.write_text(
        "@prefix aict: <https://w3id.org/aict/ontology#> .\n"
        "<https://w3id.org/aict/id/action/fuzz> a aict:Action ;\n"
        f'    aict:theme {"(" * depth}"x"{")" * depth} .\n',
        encoding="utf-8",
    )
    result = run_cli(["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "deep.ttl:2: violation" in result.output


def _solidarity_with_an_ill_typed_date() -> tuple[bytes, int]:
    text = (EXAMPLES_DIR / "solidarity.ttl").read_text(encoding="utf-8")
    start = text.index("dcat:startDate")
    line = text[:start].count("\n") + 1
    broken = re.sub(r'dcat:startDate "[^"]*"', 'dcat:startDate "not-a-date"', text, count=1)
    return broken.encode("utf-8"), line


@pytest.mark.parametrize("ext", ["ttl", "nt", "jsonld"])
def test_a_utf8_byte_order_mark_is_read_not_a_syntax_error(tmp_path, ext):
    # Notepad starts UTF-8 files with EF BB BF; Turtle and N-Triples called it "not a valid
    # subject", JSON-LD "Unexpected UTF-8 BOM" (exit 2 for a valid file).
    graph = Graph().parse(EXAMPLES_DIR / "solidarity.ttl")
    fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[ext]
    path = tmp_path / f"solidarity.{ext}"
    path.write_bytes(codecs.BOM_UTF8 + graph.serialize(format=fmt, encoding="utf-8"))
    result = run_cli(["validate", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output


def test_a_byte_order_mark_keeps_the_lines_of_findings(tmp_path):
    data, line = _solidarity_with_an_ill_typed_date()
    path = tmp_path / "solidarity.ttl"
    path.write_bytes(codecs.BOM_UTF8 + data)
    result = run_cli(["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert f"solidarity.ttl:{line}: violation" in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_utf16_or_utf32_file_is_named_as_such_not_binary_data(tmp_path, encoding):
    path = tmp_path / "solidarity.ttl"
    path.write_bytes((EXAMPLES_DIR / "solidarity.ttl").read_text("utf-8").encode(encoding))
    result = run_cli(["validate", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{encoding.upper()} text; RDF files are read as UTF-8" in result.output


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/sparql", "application/sparql-query"), ("/validate", "text/turtle")],
)
def test_a_client_leaving_mid_body_is_a_400_not_an_internal_error(client, path, content_type):
    # A body shorter than its Content-Length, or broken chunks: the server sees the client
    # disconnect while it reads the body. /sparql logged "error answering" with a traceback
    # and /validate reached uvicorn as "Exception in ASGI application".
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    arrived = iter([{"type": "http.request", "body": b"ASK {", "more_body": True}])

    async def receive() -> dict:
        return next(arrived, {"type": "http.disconnect"})

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    with logged() as records:
        client.run(client.app(scope, receive, send))
    assert tracebacks_in(records) == []
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 400


@pytest.mark.parametrize("page", ["¹", "٣", "１"])
def test_a_fragment_page_in_other_digits_is_a_400(client, page):
    # str.isdigit() accepts superscripts and other scripts' digits, int() does not: 500.
    response = request(client, "GET", "/fragments?" + urlencode({"page": page}))
    assert response.status_code == 400
    assert "page must be a positive integer" in response.text


def test_an_unreadable_body_asked_for_a_turtle_report_gets_a_message(client):
    # A SHACL report in Turtle cannot say "unreadable": the 400 came with an empty body.
    response = request(
        client,
        "POST",
        "/validate?format=turtle",
        content=b"<a:b> <a:b> .",
        headers={"Content-Type": "application/n-triples"},
    )
    assert response.status_code == 400
    assert "request.nt:1" in response.text


def _looping_list(length: int) -> str:
    nodes = "".join(
        f"_:l{i} rdf:first {i} ; rdf:rest _:l{(i + 1) % length} .\n" for i in range(length)
    )
    return (
        "@prefix aict: <https://w3id.org/aict/ontology#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "<https://w3id.org/aict/id/action/fuzz> a aict:Action ; aict:theme _:l0 .\n" + nodes
    )


@pytest.mark.parametrize("length", [1, 3])
def test_a_list_whose_rest_loops_is_refused_at_its_line_not_an_internal_error(tmp_path, length):
    # pyshacl followed the rdf:rest chain while copying the value into its report:
    # "internal error: ValueError: List contains a recursive rdf:rest reference", exit 3.
    path = tmp_path / "loop.ttl"
    path.write_text(_looping_list(length), encoding="utf-8")
    result = run_cli(["validate", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert "loop.ttl:4: this list (rdf:List) loops" in result.output


def test_a_looping_list_posted_is_a_400_naming_its_line(client):
    response = request(
        client,
        "POST",
        "/validate",
        content=_looping_list(2).encode("utf-8"),
        headers={"Content-Type": "text/turtle", "Accept": "application/json"},
    )
    assert response.status_code == 400
    assert "loops" in response.text and '"line": 4' in response.text
