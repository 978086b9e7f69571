"""The SPARQL 1.1 Protocol at /sparql, in-process, on a small fixture with known content.

One application for the module (its worker processes start once); the fixture holds 30
ex:Thing, tricky literals and two named graphs, with a result cap of 25.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from publisher.config import Settings
from publisher.web.app import create_app

FIXTURE_NAME = "sparql/fixture.trig"
TOKEN = "correct horse battery staple"
EX = "http://example.org/"
THINGS = (
    f"PREFIX ex: <{EX}> SELECT ?s ?rank WHERE {{ ?s a ex:Thing ; ex:rank ?rank }} ORDER BY ?rank"
)


@pytest.fixture(scope="module")
def fixture_file(test_data):
    return test_data / FIXTURE_NAME


@pytest.fixture(scope="module")
def client(fixture_file):
    settings = Settings(
        data_paths=[fixture_file],
        result_limit=25,
        query_timeout=5,
        query_workers=2,
        update_token=TOKEN,
        max_body_bytes=4096,
    )
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def expected(fixture_file):
    """Answers computed with a separate in-memory pyoxigraph store, not through the endpoint."""
    store = ox.Store()
    store.load(path=str(fixture_file), format=ox.RdfFormat.TRIG)
    return store


def bindings(response) -> list[dict]:
    return response.json()["results"]["bindings"]


# --- the three ways to send a query ---------------------------------------------------------


def test_get(client, expected):
    query = f"PREFIX ex: <{EX}> SELECT ?s {{ ?s a ex:Thing }}"
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(bindings(r)) == 30 - 5 and r.headers["AICT-Result-Truncated"] == "true"
    few = f"PREFIX ex: <{EX}> SELECT ?s {{ ?s a ex:Person }}"
    r = client.get("/sparql", params={"query": few})
    assert "AICT-Result-Truncated" not in r.headers
    truth = {row["s"].value for row in expected.query(few, use_default_graph_as_union=True)}
    assert {b["s"]["value"] for b in bindings(r)} == truth


def test_post_form_and_direct_give_the_same_answer(client):
    query = f"PREFIX ex: <{EX}> SELECT ?name {{ ?p ex:name ?name }} ORDER BY ?name"
    by_get = client.get("/sparql", params={"query": query})
    by_form = client.post("/sparql", data={"query": query})
    by_body = client.post(
        "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert bindings(by_get) == bindings(by_form) == bindings(by_body)
    assert [b["name"]["value"] for b in bindings(by_get)] == ["Alice", "Bob"]


def test_percent_signs_survive_form_decoding(client):
    query = 'SELECT ?s { ?s ?p "percent %41 and + plus"@fr }'
    r = client.post(
        "/sparql",
        content=urlencode({"query": query}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert [b["s"]["value"] for b in bindings(r)] == [EX + "tricky"]


# --- result formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats_parse_and_agree(client, expected, accept, content_type):
    query = f"PREFIX ex: <{EX}> SELECT ?o {{ ex:tricky ex:label ?o }} ORDER BY ?o"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(content_type)
    assert r.headers["vary"].lower().startswith("accept")
    truth = sorted(row["o"].value for row in expected.query(query, use_default_graph_as_union=True))
    if content_type == "text/csv":
        got = sorted(row[0] for row in list(csv.reader(io.StringIO(r.text, newline="")))[1:])
    else:
        fmt = {
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV,
        }[content_type]
        got = sorted(row["o"].value for row in ox.parse_query_results(r.content, format=fmt))
    assert got == truth


def test_ask(client):
    yes = client.get("/sparql", params={"query": f"ASK {{ <{EX}alice> ?p ?o }}"})
    no = client.get(
        "/sparql",
        params={"query": f"ASK {{ <{EX}nobody> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert yes.json() == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in no.text


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        (None, "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_and_describe_formats(client, accept, content_type, fmt):
    query = f"CONSTRUCT WHERE {{ <{EX}alice> ?p ?o }}"
    headers = {"Accept": accept} if accept else {"Accept": ""}
    r = client.get("/sparql", params={"query": query}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith(content_type)
    triples = set(ox.parse(r.content, format=fmt))
    assert len(triples) == 3  # a ex:Person, ex:name, ex:knows
    described = client.get("/sparql", params={"query": f"DESCRIBE <{EX}bob>"}, headers=headers)
    assert described.status_code == 200 and len(list(ox.parse(described.content, format=fmt))) == 2


def test_unacceptable_format_is_406(client):
    r = client.get("/sparql", params={"query": THINGS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    r = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "image/png, application/pdf"},
    )
    assert r.status_code == 406
    # text/plain is what N-Triples was served as: a graph in it, as on /id (one registry).
    r = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "image/png, text/plain"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"


def test_result_types_asked_for_a_graph_give_the_default_graph_format(client):
    # What rdflib's SPARQLStore sends for a CONSTRUCT: answered in Turtle, not 406.
    r = client.get(
        "/sparql",
        params={"query": f"CONSTRUCT WHERE {{ <{EX}bob> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = client.get(
        "/sparql",
        params={"query": f"SELECT * {{ <{EX}bob> ?p ?o }}"},
        headers={"Accept": "application/rdf+xml"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")


def test_format_parameter_for_download_links(client):
    r = client.get("/sparql", params={"query": THINGS, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]


# --- dataset ------------------------------------------------------------------------------


def test_default_graph_is_the_union(client):
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s a ?c }"})
    assert int(bindings(r)[0]["n"]["value"]) == 30 + 1 + 2


def test_default_graph_uri_and_named_graph_uri(client):
    query = "SELECT (COUNT(*) AS ?n) { ?s a ?c }"
    r = client.get("/sparql", params={"query": query, "default-graph-uri": f"{EX}graph/people"})
    assert int(bindings(r)[0]["n"]["value"]) == 2
    query = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s a ?c } } GROUP BY ?g"
    r = client.get("/sparql", params={"query": query, "named-graph-uri": f"{EX}graph/things"})
    assert [(b["g"]["value"], b["n"]["value"]) for b in bindings(r)] == [
        (f"{EX}graph/things", "31")
    ]


def test_from_a_local_graph_is_allowed(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{EX}graph/people> {{ ?s a ?c }}"
    assert int(bindings(client.get("/sparql", params={"query": query}))[0]["n"]["value"]) == 2


# --- errors -------------------------------------------------------------------------------


def test_syntax_error_is_400_with_position(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    assert "line 3" in r.text and "column" in r.text
    assert "Traceback" not in r.text


def test_wrong_methods_are_405(client):
    for method in ("PUT", "DELETE", "PATCH"):
        r = client.request(method, "/sparql")
        assert r.status_code == 405 and "POST" in r.headers["allow"]
    r = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert r.status_code == 405


def test_unsupported_content_type_is_415(client):
    r = client.post("/sparql", content=THINGS, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_body_over_the_limit_is_413(client):
    r = client.post(
        "/sparql",
        content=b"SELECT * {}" + b" " * 5000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?where { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:1/data.ttl> { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:1/data.ttl> { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_outbound_requests_are_refused(client, query):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400 and ("refused" in r.text or "not a graph" in r.text)


def test_remote_default_graph_uri_is_refused(client):
    r = client.get("/sparql", params={"query": THINGS, "default-graph-uri": "http://127.0.0.1:1/g"})
    assert r.status_code == 400


# --- result cap -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_result_cap_is_announced(client, accept):
    r = client.get("/sparql", params={"query": THINGS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["AICT-Result-Truncated"] == "true"
    assert r.headers["AICT-Result-Limit"] == "25"
    if accept.endswith("json"):
        assert len(bindings(r)) == 25
        assert r.json()["head"]["link"] == ["http://testserver/sparql#result-limit"]
    elif accept.endswith("xml"):
        assert r.text.count("<result>") == 25 and "result-limit" in r.text
    else:
        assert len(r.text.strip().splitlines()) == 26  # header + 25 rows


def test_construct_cap_is_announced_in_a_comment(client):
    r = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert r.headers["AICT-Result-Truncated"] == "true"
    assert (
        r.text.startswith("# ")
        and len(list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) == 25
    )


# --- timeouts ----------------------------------------------------------------------------


def test_timeout_is_503_and_the_pool_recovers(client):
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    r = client.get("/sparql", params={"query": slow, "timeout": "0.3"})
    assert r.status_code == 503 and "stopped after 0.3 s" in r.text
    for _ in range(4):  # both workers, including the replacement, answer again
        assert client.get("/sparql", params={"query": THINGS}).status_code == 200


# --- service description, query page -------------------------------------------------------


def test_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(r.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    ask = (
        f"ASK {{ <http://testserver/sparql> a <{sd}Service> ; "
        f"<{sd}endpoint> <http://testserver/sparql> ; "
        f"<{sd}supportedLanguage> <{sd}SPARQL11Query> ; "
        f"<{sd}defaultDataset> [ <{sd}namedGraph> [ <{sd}name> <{EX}graph/people> ] ] }}"
    )
    assert bool(graph.query(ask))
    # This app has an update token and the embedded store takes updates: advertised.
    assert bool(graph.query(f"ASK {{ ?s <{sd}supportedLanguage> <{sd}SPARQL11Update> }}"))


def test_browser_gets_the_query_page(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'id="query"' in r.text and "sparql.js" in r.text
    assert "https://" not in r.text.split("<body")[0].replace("https://w3id.org", "")


# --- update ------------------------------------------------------------------------------


def test_update_needs_the_token(client):
    insert = {"update": f"INSERT DATA {{ <{EX}x> <{EX}y> <{EX}z> }}"}
    assert client.post("/sparql", data=insert).status_code == 403
    wrong = client.post("/sparql", data=insert, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    load = client.post(
        "/sparql",
        data={"update": "LOAD <http://127.0.0.1:1/x.ttl>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert load.status_code == 400 and "LOAD" in load.text
    ask = {"query": f"ASK {{ <{EX}x> <{EX}y> <{EX}z> }}"}
    assert client.get("/sparql", params=ask).json()["boolean"] is False
    allowed = client.post("/sparql", data=insert, headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.status_code == 204
    assert client.get("/sparql", params=ask).json()["boolean"] is True
    # Leave the module's shared data as it was.
    delete = {"update": f"DELETE DATA {{ <{EX}x> <{EX}y> <{EX}z> }}"}
    undone = client.post("/sparql", data=delete, headers={"Authorization": f"Bearer {TOKEN}"})
    assert undone.status_code == 204
    assert client.get("/sparql", params=ask).json()["boolean"] is False


def test_update_sent_as_query_is_refused(client):
    r = client.get("/sparql", params={"query": "CLEAR ALL"})
    assert r.status_code == 400


def test_cors_allows_cross_origin_queries(client):
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    r = client.get(
        "/sparql", params={"query": THINGS}, headers={"Origin": "https://elsewhere.example"}
    )
    assert "AICT-Result-Truncated" in r.headers["access-control-expose-headers"]


def test_plain_options_says_what_the_endpoint_takes(client):
    """Not a preflight (no Origin): the methods the 405 of a PUT names, not the router's."""
    r = client.options("/sparql")
    assert r.status_code == 204
    assert (
        r.headers["allow"] == client.put("/sparql").headers["allow"] == "GET, HEAD, POST, OPTIONS"
    )


def test_cors_allows_cross_origin_updates_with_the_token(client):
    """A page on another site (YASGUI given the token) sends an update: the browser asks
    first whether Authorization may be sent, then sends it without any credentials."""
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200, preflight.text
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "access-control-allow-credentials" not in preflight.headers
    update = {"update": f"INSERT DATA {{ <{EX}cors> <{EX}y> <{EX}z> }}"}
    cross_site = {"Origin": "https://elsewhere.example", "Authorization": f"Bearer {TOKEN}"}
    r = client.post("/sparql", data=update, headers=cross_site)
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "*"
    undo = {"update": f"DELETE DATA {{ <{EX}cors> <{EX}y> <{EX}z> }}"}
    assert client.post("/sparql", data=undo, headers=cross_site).status_code == 204


def test_update_disabled_without_a_token(fixture_file):
    settings = Settings(data_paths=[fixture_file], query_workers=1)
    with TestClient(create_app(settings)) as plain:
        r = plain.post(
            "/sparql",
            content=b"CLEAR ALL",
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": "Bearer anything",
            },
        )
        assert r.status_code == 403 and "disabled" in r.text


def test_authorised_update_reaches_workers_descriptions_and_dumps(fixture_file):
    """An authorised update changes the embedded store: the next query (new workers), the
    resource's description, the dataset version (ETags), the dumps and the VoID follow."""
    settings = Settings(data_paths=[fixture_file], query_workers=1, update_token=TOKEN)
    city = "https://w3id.org/aict/id/commune/99999"
    insert = (
        f"INSERT DATA {{ GRAPH <{EX}graph/people> {{ <{city}> "
        "<http://www.w3.org/2000/01/rdf-schema#label> 'Ville ajoutée'@fr } }"
    )
    with TestClient(create_app(settings), base_url="http://testserver") as updatable:
        store = updatable.app.state.store
        before_version, before_triples = store.version, store.triple_count()
        ask = {"query": f"ASK {{ <{city}> ?p 'Ville ajoutée'@fr }}"}
        assert updatable.get("/sparql", params=ask).json()["boolean"] is False
        turtle = {"Accept": "text/turtle"}
        assert updatable.get("/id/commune/99999", headers=turtle).status_code == 404
        dump_before = updatable.get("/dumps/aict.nq")
        assert dump_before.status_code == 200 and "Ville ajoutée" not in dump_before.text
        sd = updatable.get("/sparql", headers={"Accept": "application/n-triples"}).text
        assert "SPARQL11Update" in sd  # a token is set and the store takes updates

        r = updatable.post(
            "/sparql",
            content=insert.encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
        )
        assert r.status_code == 204
        assert updatable.get("/sparql", params=ask).json()["boolean"] is True
        described = updatable.get("/id/commune/99999", headers=turtle)
        assert described.status_code == 200 and "Ville ajoutée" in described.text
        assert store.version != before_version
        assert store.triple_count() == before_triples + 1
        dump_after = updatable.get("/dumps/aict.nq")
        assert "Ville ajoutée" in dump_after.text
        assert dump_after.headers["etag"] != dump_before.headers["etag"]


def test_update_on_an_on_disk_store_reaches_the_read_only_workers(fixture_file, tmp_path):
    settings = Settings(
        data_paths=[fixture_file],
        store_dir=tmp_path / "store",
        query_workers=1,
        update_token=TOKEN,
    )
    ask = {"query": f"ASK {{ <{EX}dora> <{EX}name> 'Dora' }}"}
    with TestClient(create_app(settings)) as on_disk:
        assert on_disk.app.state.sparql.pool.source.kind == "store"
        assert on_disk.get("/sparql", params=ask).json()["boolean"] is False
        r = on_disk.post(
            "/sparql",
            data={"update": f"INSERT DATA {{ <{EX}dora> <{EX}name> 'Dora' }}"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert r.status_code == 204
        assert on_disk.get("/sparql", params=ask).json()["boolean"] is True


def test_update_with_a_syntax_error_is_a_400_and_changes_nothing(client):
    r = client.post(
        "/sparql",
        data={"update": f"INSERT DATA {{ <{EX}x> <{EX}y> }}"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 400 and "syntax" in r.text


def test_service_description_hides_update_without_a_token(fixture_file):
    settings = Settings(data_paths=[fixture_file], query_workers=1)
    with TestClient(create_app(settings)) as plain:
        sd = plain.get("/sparql", headers={"Accept": "application/n-triples"}).text
        assert "SPARQL11Query" in sd and "SPARQL11Update" not in sd


def test_on_disk_store_is_opened_read_only_by_the_workers(fixture_file, tmp_path):
    settings = Settings(data_paths=[fixture_file], store_dir=tmp_path / "store", query_workers=1)
    query = {"query": "SELECT (COUNT(*) AS ?n) { ?s a ?c }"}
    with TestClient(create_app(settings)) as on_disk:
        assert on_disk.app.state.sparql.pool.source.kind == "store"
        assert bindings(on_disk.get("/sparql", params=query))[0]["n"]["value"] == "33"
        slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
        assert on_disk.get("/sparql", params={"query": slow, "timeout": "0.3"}).status_code == 503
        # The replacement opens the same directory read-only again, beside the open store.
        assert bindings(on_disk.get("/sparql", params=query))[0]["n"]["value"] == "33"


@pytest.mark.parametrize(
    ("query", "accept", "media_type"),
    [
        (THINGS, "application/sparql-results+json,*/*;q=0.9", "application/sparql-results+json"),
        (
            f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s a ex:Thing }} WHERE {{ ?s a ex:Thing }}",
            "text/turtle,*/*;q=0.9",
            "text/turtle",
        ),
    ],
)
def test_yasgui_request_from_another_site(client, query: str, accept: str, media_type: str):
    """YASGUI (the query editor many portals embed) POSTs a form from its own origin, with
    these Accept headers by default (its requestConfig: acceptHeaderSelect/acceptHeaderGraph)."""
    r = client.post(
        "/sparql",
        data={"query": query},
        headers={"Accept": accept, "Origin": "https://yasgui.example"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media_type)
    assert r.headers["access-control-allow-origin"] == "*"


# --- relative IRIs resolve against the endpoint's URL (SPARQL 1.1 Query §4.1.1.1) -----------


@pytest.fixture(scope="module")
def threaded(fixture_file):
    """The app as a supervised `aict serve` process runs it: queries on threads."""
    app = create_app(Settings(data_paths=[fixture_file], query_workers=2))
    app.state.retire = lambda: None  # what publisher.web.processes sets in each process
    with TestClient(app, base_url="http://testserver") as threaded:
        assert type(threaded.app.state.sparql.pool).__name__ == "ThreadRunner"
        yield threaded


@pytest.fixture(params=["workers", "threads"])
def either_runner(request, client, threaded):
    return client if request.param == "workers" else threaded


def test_relative_iris_resolve_against_the_endpoint(either_runner):
    # The W3C protocol test query_content_type_construct, sent as its manifest says.
    r = either_runner.post(
        "/sparql",
        content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert r.status_code == 200, r.text
    assert r.text.strip() == (
        "<http://testserver/s> <http://testserver/p> "
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )
    r = either_runner.get("/sparql", params={"query": "SELECT ?x { VALUES ?x { <a/b> <../c> } }"})
    assert [b["x"]["value"] for b in bindings(r)] == [
        "http://testserver/a/b",
        "http://testserver/c",
    ]
    # The query's own BASE wins over the endpoint's URL.
    r = either_runner.get("/sparql", params={"query": f"BASE <{EX}> ASK {{ <alice> ?p ?o }}"})
    assert r.json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT <//127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "PREFIX here: <./> SELECT * { SERVICE here:sparql { ?s ?p ?o } }",
        "SELECT * FROM <graph/people> { ?s ?p ?o }",
        "SELECT * FROM NAMED <../data.ttl> { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_relative_iris_do_not_open_outbound_requests(either_runner, query):
    r = either_runner.get("/sparql", params={"query": query})
    assert r.status_code == 400, r.text
    assert "refused" in r.text or "not a graph" in r.text
    assert "<http://" in r.text  # the refusal names the IRI the relative one stands for


def test_relative_iris_in_updates(client):
    authorised = {"Authorization": f"Bearer {TOKEN}"}
    load = client.post("/sparql", data={"update": "LOAD <data.ttl>"}, headers=authorised)
    assert load.status_code == 400 and "LOAD <http://testserver/data.ttl>" in load.text
    insert = client.post(
        "/sparql", data={"update": "INSERT DATA { <x> <y> <z> }"}, headers=authorised
    )
    assert insert.status_code == 204, insert.text
    ask = "ASK { <http://testserver/x> <http://testserver/y> <http://testserver/z> }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    deleted = client.post(
        "/sparql", data={"update": "DELETE DATA { <x> <y> <z> }"}, headers=authorised
    )
    assert deleted.status_code == 204
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


def test_fold_extension_function(either_runner):
    """aictfn:fold, the search box's folding, in any query and either runner."""
    query = (
        "PREFIX aictfn: <https://w3id.org/aict/function#> "
        'SELECT (aictfn:fold("Saint-Étienne"@fr) AS ?f) (aictfn:fold(<http://x>) AS ?none) {}'
    )
    row = bindings(either_runner.get("/sparql", params={"query": query}))[0]
    assert row == {"f": {"type": "literal", "value": "saint etienne"}}
    sd = either_runner.get("/sparql", headers={"Accept": "application/n-triples"}).text
    assert "<https://w3id.org/aict/function#fold>" in sd and "extensionFunction" in sd
