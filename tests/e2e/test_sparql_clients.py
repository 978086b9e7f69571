"""Real SPARQL clients against `aict serve` running in a subprocess.

SPARQLWrapper (GET, form POST and direct POST; JSON, XML, CSV, TSV), rdflib's SPARQLStore,
the timeout (a cartesian product is stopped within the limit plus one second while a simple
query keeps answering in under 100 ms), and SSRF attempts that must open no connection.
"""

from __future__ import annotations

import csv
import io
import socket
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from chromium import needs_chromium, run_chromium
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from serving import serving
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, URLENCODED, XML, SPARQLWrapper

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "sparql" / "fixture.trig"
EX = "http://example.org/"
TIMEOUT = 2.0
TOKEN = "e2e-token"
PEOPLE = f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?p a ex:Person ; ex:name ?name }} ORDER BY ?name"
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    env = {
        "AICT_QUERY_TIMEOUT": str(TIMEOUT),
        "AICT_QUERY_WORKERS": "2",
        "AICT_UPDATE_TOKEN": TOKEN,
    }
    log = tmp_path_factory.mktemp("sparql-serve") / "serve.log"
    with serving(str(FIXTURE), log=log, startup_seconds=60, env=env) as base:
        yield base + "sparql"


def wrapper(url: str, query: str, fmt: str, method: str = "GET", request: str = URLENCODED):
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(request)
    return client.query()


@pytest.mark.parametrize(
    ("method", "request_method"), [("GET", URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
)
def test_sparqlwrapper_json(endpoint, method, request_method):
    result = wrapper(endpoint, PEOPLE, JSON, method, request_method).convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Alice", "Bob"]


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_xml(endpoint, method):
    document = wrapper(endpoint, PEOPLE, XML, method).convert()  # an xml.dom Document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["Alice", "Bob"]


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_csv_and_tsv(endpoint, method):
    text = wrapper(endpoint, PEOPLE, CSV, method).convert().decode()
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["name"], ["Alice"], ["Bob"]]
    text = wrapper(endpoint, PEOPLE, TSV, method).convert().decode()
    assert text.splitlines() == ["?name", '"Alice"', '"Bob"']


def test_sparqlwrapper_ask_and_construct(endpoint):
    assert wrapper(endpoint, f"ASK {{ <{EX}alice> ?p ?o }}", JSON).convert()["boolean"] is True
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"CONSTRUCT WHERE {{ <{EX}alice> ?p ?o }}")
    graph = client.queryAndConvert()
    assert isinstance(graph, Graph) and len(graph) == 3


def test_rdflib_sparqlstore(endpoint):
    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    names = sorted(str(row.name) for row in graph.query(PEOPLE))
    assert names == ["Alice", "Bob"]
    assert (URIRef(EX + "alice"), URIRef(EX + "knows"), URIRef(EX + "bob")) in graph
    built = graph.query(f"CONSTRUCT {{ ?s <{EX}knows> ?o }} WHERE {{ ?s <{EX}knows> ?o }}")
    assert len(built.graph) == 1


def test_timeout_stops_the_query_while_others_are_served(endpoint):
    outcome: dict = {}

    def slow() -> None:
        started = time.monotonic()
        response = httpx.get(endpoint, params={"query": CARTESIAN}, timeout=30)
        outcome["status"], outcome["elapsed"] = response.status_code, time.monotonic() - started
        outcome["text"] = response.text

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)  # the cartesian product now holds one worker
    latencies = []
    with httpx.Client(timeout=5) as client:
        for _ in range(5):
            started = time.monotonic()
            response = client.get(endpoint, params={"query": f"ASK {{ <{EX}alice> ?p ?o }}"})
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
    thread.join(30)
    assert outcome["status"] == 503, outcome
    assert outcome["elapsed"] <= TIMEOUT + 1.0
    assert "stopped" in outcome["text"]
    assert statistics.median(latencies) < 0.100, latencies
    assert not thread.is_alive()


@pytest.fixture()
def listener():
    """A listening socket that must never be reached."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server, server.getsockname()[1]
    server.close()


def test_ssrf_attempts_make_no_connection(endpoint, listener):
    server, port = listener
    target = f"http://127.0.0.1:{port}/"
    attempts = [
        ("GET", {"query": f"SELECT * {{ SERVICE <{target}sparql> {{ ?s ?p ?o }} }}"}, {}),
        ("GET", {"query": f"SELECT * {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}"}, {}),
        ("GET", {"query": "SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"}, {}),
        ("GET", {"query": f"PREFIX x: <{target}> SELECT * {{ SERVICE x:q {{ ?s ?p ?o }} }}"}, {}),
        ("GET", {"query": f"SELECT * FROM <{target}data.ttl> {{ ?s ?p ?o }}"}, {}),
        (
            "GET",
            {"query": f"SELECT * FROM NAMED <{target}data.ttl> {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
            {},
        ),
        ("GET", {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": f"{target}g"}, {}),
        ("POST", {"update": f"LOAD <{target}data.ttl>"}, {"Authorization": f"Bearer {TOKEN}"}),
        ("POST", {"update": f"LOAD <{target}data.ttl>"}, {}),
    ]
    with httpx.Client(timeout=10) as client:
        for method, params, headers in attempts:
            if method == "GET":
                response = client.get(endpoint, params=params, headers=headers)
            else:
                response = client.post(endpoint, data=params, headers=headers)
            assert response.status_code in (400, 403), (params, response.status_code, response.text)
    time.sleep(0.2)
    with pytest.raises(BlockingIOError):
        server.accept()  # nobody knocked


@needs_chromium
def test_query_page_runs_a_query_in_a_browser(endpoint, tmp_path):
    """The page's own script runs a query from a permalink and draws the result table,
    with every other host unreachable for the browser."""
    query = f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?p ex:name ?name }} ORDER BY ?name"
    url = f"{endpoint}?lang=en#{urlencode({'query': query})}"
    dom = run_chromium(tmp_path, url, "--virtual-time-budget=15000", "--dump-dom").stdout
    results = dom.split('id="results"', 1)[1].split("</div>", 1)[0]
    assert "<table>" in results
    assert "<td>Alice</td>" in results and "<td>Bob</td>" in results
    for attribute in ("src", "href"):
        for value in dom.split(f'{attribute}="')[1:]:
            target = value.split('"', 1)[0]
            assert (
                not target.startswith(("http://", "https://", "//"))
                or target.startswith(endpoint.rsplit("/", 1)[0])
                or "w3id.org" in target
                or "example.org" in target
            ), target
