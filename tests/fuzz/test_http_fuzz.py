"""Every HTTP surface with bad input, in-process on the fixture dataset: /sparql (random and
mutated queries, every parameter, GET and both POST forms, bad content types and charsets),
/id/… and /vocab/… paths, /fragments, /api/<name>, /search, POST /validate bodies and
headers, and the negotiation and caching headers on every kind of page. The property is
http_support.assert_well_answered: never a 5xx, nothing logged as an error, an error body
that is what it says."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlencode

from fuzz_support import Damage, budget, damages, nasty_text
from http_support import header_values, parameter_values, path_segments, request
from hypothesis import given
from hypothesis import strategies as st

from publisher.config import EXAMPLES_DIR
from publisher.formats import INPUT_FORMATS, REPORT_FORMATS
from publisher.sparql.named_queries import bundled_queries


def _bench_queries() -> list[str]:
    # The benchmark's queries: what a researcher runs against the whole dataset.
    bench = Path(__file__).resolve().parents[2] / "bench" / "bench_sparql.py"
    spec = importlib.util.spec_from_file_location("bench_sparql", bench)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return [text for text, _ in module.QUERIES.values()]


NAMED = bundled_queries()
QUERIES = sorted({*(q.text for q in NAMED.values()), *_bench_queries()})

# What a mutation inserts into a query: its own grammar, misplaced, and what must be refused.
_QUERY_PIECES = [
    "{",
    "}",
    "(",
    ")",
    ".",
    ";",
    ",",
    "?x",
    "$",
    "<",
    ">",
    '"',
    "'''",
    "\\",
    "#",
    "@fr",
    "^^",
    "_:b",
    "[]",
    "*",
    "a",
    "SELECT",
    "WHERE",
    "OPTIONAL {",
    "UNION",
    "MINUS",
    "FILTER(",
    "BIND(1 AS ?x)",
    "VALUES ?x { 1 }",
    "GROUP BY ?x",
    "ORDER BY",
    "LIMIT 99999999999999999999",
    "OFFSET -1",
    "PREFIX : <>",
    "BASE <x:y>",
    "FROM <http://example.org/remote>",
    "FROM NAMED <https://w3id.org/aict/graph/twinnings>",
    "GRAPH ?g {",
    "SERVICE <http://example.org/sparql> { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "INSERT DATA { <a:b> <a:b> <a:b> }",
    "DESCRIBE ?x",
    "CONSTRUCT { ?s ?p ?o }",
    "ASK",
    "aictfn:fold(",
    "<https://w3id.org/aict/function#fold>(?x, ?y, ?z)",
    'REGEX(?x, "(a+)+$")',
    "COUNT(*)",
    "SUM(?x)",
    "1e309",
    "9" * 400,
    "\x00",
    "\ufeff",
    "é",
    "\U0001f600",
]


@st.composite
def queries(draw) -> str:
    """A shipped or benchmark query, broken in one to three places, or random text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(nasty_text)
    text = draw(st.sampled_from(QUERIES))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["cut", "delete", "insert", "insert", "double"]))
        if how == "cut":
            text = text[:at]
        elif how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif how == "insert":
            piece = draw(st.one_of(st.sampled_from(_QUERY_PIECES), st.text(max_size=5)))
            text = f"{text[:at]} {piece} {text[at:]}"
        else:
            text = text + "\n" + text
    return text


_GRAPH_IRIS = st.one_of(
    st.sampled_from(
        [
            "https://w3id.org/aict/graph/twinnings",
            "https://w3id.org/aict/graph/nothing",
            "http://example.org/remote",
            "relative",
            "",
            "<>",
            "urn:x",
            "file:///etc/passwd",
        ]
    ),
    nasty_text,
)
_OPTIONAL = st.one_of(st.none(), parameter_values)
_SPARQL_FORMATS = st.one_of(
    st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "html", "xls"]),
    nasty_text,
)
_TEXT_CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "application/sparql-query",
            "application/sparql-query; charset=utf-16",
            "application/sparql-update",
            "APPLICATION/SPARQL-QUERY;charset=UTF-8",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/json",
            "",
            ";",
        ]
    ).map(str.encode),
    header_values,
)


@budget(4)
@given(
    query=queries(),
    kind=st.sampled_from(["query", "update"]),
    way=st.sampled_from(["GET", "HEAD", "form", "direct", "direct+url", "none"]),
    default_graphs=st.lists(_GRAPH_IRIS, max_size=2),
    named_graphs=st.lists(_GRAPH_IRIS, max_size=2),
    timeout=_OPTIONAL,
    fmt=st.one_of(st.none(), _SPARQL_FORMATS),
    content_type=st.one_of(st.none(), st.none(), st.none(), _TEXT_CONTENT_TYPES),
    accept=st.one_of(st.none(), header_values),
    encoding=st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]),
    bearer=st.booleans(),
)
def test_sparql_never_fails_on_bad_queries_or_parameters(
    client,
    query,
    kind,
    way,
    default_graphs,
    named_graphs,
    timeout,
    fmt,
    content_type,
    accept,
    encoding,
    bearer,
):
    prefix = "using-" if kind == "update" else ""
    params = [(f"{prefix}default-graph-uri", g) for g in default_graphs]
    params += [(f"{prefix}named-graph-uri", g) for g in named_graphs]
    params += [("timeout", timeout)] if timeout is not None else []
    params += [("format", fmt)] if fmt is not None else []
    headers = {"Accept": accept} if accept is not None else {}
    if bearer:
        headers["Authorization"] = "Bearer not-the-token"
    body = None
    if way in ("GET", "HEAD"):
        params.append((kind, query))
        method = way
    else:
        method = "POST"
        # Mostly the type the protocol names for this way in, else any.
        proper = (
            "application/x-www-form-urlencoded" if way == "form" else f"application/sparql-{kind}"
        )
        headers["Content-Type"] = content_type if content_type is not None else proper
        if way == "form":
            form = urlencode([(kind, query), *params], encoding=encoding, errors="replace")
            body, params = form.encode("ascii"), []
        elif way in ("direct", "direct+url"):
            body = query.encode(encoding, "replace")
            if way == "direct+url":
                params.append((kind, query))
        else:
            body = b""
    url = "/sparql?" + urlencode(params, encoding="utf-8", errors="surrogatepass")
    request(client, method, url, content=body, headers=headers)


_RESOURCE_ROOTS = ["id", "vocab", "graph", "ontology", "catalog", ".well-known/void", "dumps"]
_SUFFIXES = ["", "", ".ttl", ".jsonld", ".nt", ".rdf", ".html", ".xls", ".", ".ttl.ttl", "/"]


@budget(2)
@given(
    root=st.sampled_from(_RESOURCE_ROOTS),
    segments=st.lists(path_segments, max_size=4),
    suffix=st.sampled_from(_SUFFIXES),
    page=_OPTIONAL,
    accept=st.one_of(st.none(), header_values),
    method=st.sampled_from(["GET", "HEAD"]),
)
def test_resource_paths_never_fail(client, root, segments, suffix, page, accept, method):
    path = "/" + "/".join([root, *segments]) + suffix
    query = "?" + urlencode({"page": page}) if page is not None else ""
    headers = {"Accept": accept} if accept is not None else {}
    request(client, method, path + query, headers=headers)


_TERMS = st.one_of(
    st.sampled_from(
        [
            "https://w3id.org/aict/id/commune/21231",
            "<https://w3id.org/aict/id/commune/21231>",
            "http://www.w3.org/2000/01/rdf-schema#label",
            '"Dijon"@fr',
            '"Dijon"',
            '"1958"^^http://www.w3.org/2001/XMLSchema#gYear',
            '"1958"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            '"x"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"unterminated',
            "_:b0",
            "?s",
            "relative",
            "http://",
            "<>",
        ]
    ),
    nasty_text,
)


@budget(2)
@given(
    subject=st.one_of(st.none(), _TERMS),
    predicate=st.one_of(st.none(), _TERMS),
    object_=st.one_of(st.none(), _TERMS),
    page=_OPTIONAL,
    extra=st.lists(st.tuples(st.sampled_from(["subject", "page", "zzz"]), nasty_text), max_size=2),
    accept=st.one_of(st.none(), header_values),
)
def test_fragments_never_fail(client, subject, predicate, object_, page, extra, accept):
    params = [
        (name, value)
        for name, value in [
            ("subject", subject),
            ("predicate", predicate),
            ("object", object_),
            ("page", page),
        ]
        if value is not None
    ]
    url = "/fragments?" + urlencode([*params, *extra], errors="surrogatepass")
    headers = {"Accept": accept} if accept is not None else {}
    request(client, "GET", url, headers=headers)


@budget(2)
@given(
    name=st.sampled_from(sorted(NAMED)),
    values=st.lists(st.tuples(st.integers(0, 5), parameter_values), max_size=4),
    fmt=st.one_of(st.none(), st.sampled_from(["json", "csv", "xml", ""]), nasty_text),
    accept=st.one_of(st.none(), header_values),
)
def test_named_query_parameters_never_fail(client, name, values, fmt, accept):
    # Parameter names: the query's own, 'format', and names it does not know.
    names = [p.name for p in NAMED[name].parameters] + ["format", "unknown", ""]
    params = [(names[i % len(names)], value) for i, value in values]
    params += [("format", fmt)] if fmt is not None else []
    headers = {"Accept": accept} if accept is not None else {}
    request(
        client, "GET", f"/api/{name}?" + urlencode(params, errors="surrogatepass"), headers=headers
    )


@budget(1)
@given(
    q=parameter_values,
    city=_OPTIONAL,
    lang=st.one_of(st.none(), header_values),
    path=st.sampled_from(["/search", "/"]),
)
def test_search_and_home_never_fail(client, q, city, lang, path):
    params = [("q", q)] + ([("city", city)] if city is not None else [])
    headers = {"Accept-Language": lang} if lang is not None else {}
    request(client, "GET", f"{path}?" + urlencode(params, errors="surrogatepass"), headers=headers)


_EXAMPLES = sorted(EXAMPLES_DIR.glob("*.ttl"))
_VALIDATE_TYPES = st.one_of(
    st.sampled_from(
        [
            *(f.media_type for f in INPUT_FORMATS),
            "text/turtle; charset=latin-1",
            "text/turtle; charset=UTF-8",
            'text/turtle; charset="utf-8"; q=1',
            "text/turtle;;",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/csv",
        ]
    ).map(str.encode),
    header_values,
)


@st.composite
def validate_bodies(draw) -> bytes:
    kind = draw(st.sampled_from(["example", "broken", "bytes", "huge", "empty"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "empty":
        return draw(st.sampled_from([b"", b" ", b"\n\r\n", b"\xef\xbb\xbf"]))
    data = draw(st.sampled_from(_EXAMPLES)).read_bytes()
    if kind == "huge":  # past the body limit, or an example with a huge literal inside
        return (
            data * 400
            if draw(st.booleans())
            else data + b'\n<a:b> <a:b> "' + b"x" * 900_000 + b'" .'
        )
    if kind == "broken":
        return draw(damages).apply(data)
    return data


async def _streamed(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 65536):
        yield body[start : start + 65536]


@budget(1)
@given(
    body=validate_bodies(),
    content_type=st.one_of(st.none(), _VALIDATE_TYPES),
    fmt=st.one_of(
        st.none(), st.sampled_from([f.key for f in REPORT_FORMATS] + ["xls"]), nasty_text
    ),
    fail_on=st.one_of(st.none(), st.sampled_from(["violation", "warning", "info", "x"])),
    accept=st.one_of(st.none(), header_values),
    lang=st.one_of(st.none(), header_values),
    chunked=st.booleans(),
)
def test_post_validate_never_fails(client, body, content_type, fmt, fail_on, accept, lang, chunked):
    headers = {}
    for name, value in [
        ("Content-Type", content_type),
        ("Accept", accept),
        ("Accept-Language", lang),
    ]:
        if value is not None:
            headers[name] = value
    params = [(k, v) for k, v in [("format", fmt), ("fail_on", fail_on)] if v is not None]
    url = "/validate?" + urlencode(params, errors="surrogatepass")
    # A body streamed without Content-Length reaches the size limit as it arrives.
    content = _streamed(body) if chunked else body
    request(client, "POST", url, content=content, headers=headers)


# One page of each kind, as harvesters, browsers and caches ask for it.
_PAGES = [
    "/",
    "/search?q=dijon",
    "/id/commune/21231",
    "/id/commune/21231.ttl",
    "/id/authority/de/mainz",
    "/vocab/partnership-form",
    "/vocab/partnership-form/twinningCharter",
    "/graph/twinnings",
    "/ontology",
    "/catalog",
    "/.well-known/void",
    "/sparql",
    "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 3"),
    "/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"),
    "/fragments?subject=" + quote("https://w3id.org/aict/id/commune/21231"),
    "/api/twinnings-of-a-city?city=Dijon",
    "/-/stats.json",
    "/healthz",
    "/version",
    "/templates/actions.csv",
    "/-/docs",
]
_NEGOTIATION_HEADERS = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "If-None-Match",
    "If-Modified-Since",
    "Cookie",
]


@budget(3)
@given(
    page=st.sampled_from(_PAGES),
    headers=st.dictionaries(st.sampled_from(_NEGOTIATION_HEADERS), header_values, max_size=3),
    method=st.sampled_from(["GET", "HEAD"]),
)
def test_negotiation_and_caching_headers_never_fail(client, page, headers, method):
    client.forget_cookies()
    request(client, method, page, headers=headers)


@budget(1)
@given(damage=damages, example=st.sampled_from(_EXAMPLES))
def test_a_damaged_example_posted_gets_a_report_or_a_refusal(client, damage: Damage, example):
    response = request(
        client,
        "POST",
        "/validate",
        content=damage.apply(example.read_bytes()),
        headers={"Content-Type": "text/turtle", "Accept": "application/json"},
    )
    assert response.status_code in (200, 400), response.text[:2000]
