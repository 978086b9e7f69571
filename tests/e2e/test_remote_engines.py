"""`aict serve` over a real remote SPARQL engine, Oxigraph server and Virtuoso alike: the same
HTTP answers as over the embedded store, nothing copied, faults answered 503 and recovered.

Each engine is installed by scripts/test.sh (Virtuoso: Debian; Oxigraph: the test extra),
started once per session on free ports with the bundled data, and stopped at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from engines import (
    Engine,
    oxigraph_available,
    oxigraph_engine,
    virtuoso_available,
    virtuoso_engine,
)
from rdflib import Graph
from serving import AICT, serving_process

DIJON = "id/commune/21231"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEADLINE = 3.0
INSTALLED_BY = {
    "oxigraph": "it comes with the test extra (pip install -e '.[test]')",
    "virtuoso": "scripts/test.sh installs Debian's virtuoso-opensource where apt-get exists",
}
ENGINES = {
    "oxigraph": (oxigraph_engine, oxigraph_available),
    "virtuoso": (virtuoso_engine, virtuoso_available),
}


@pytest.fixture(scope="session", params=sorted(ENGINES))
def engine(request, tmp_path_factory) -> Iterator[Engine]:
    start, available = ENGINES[request.param]
    if not available():
        pytest.skip(f"{request.param} is not installed: {INSTALLED_BY[request.param]}")
    running = start(tmp_path_factory.mktemp(request.param))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def publisher(engine: Engine, tmp_path_factory) -> Iterator[str]:
    """`aict serve` over the engine (one per engine); yields its base URL."""
    folder = tmp_path_factory.mktemp(f"serve-{engine.name}")
    env = {
        "AICT_STORE_ENDPOINT": engine.endpoint,
        "AICT_CACHE_DIR": str(folder / "cache"),
        "AICT_QUERY_TIMEOUT": str(DEADLINE),
    }
    CACHES[engine.name] = folder / "cache"
    with serving_process(log=folder / "serve.log", env=env, startup_seconds=120) as (base, _):
        yield base


CACHES: dict[str, Path] = {}  # each publisher's cache folder, by engine


def get(base: str, path: str, accept: str = "*/*", **params) -> httpx.Response:
    return httpx.get(base + path, params=params, headers={"Accept": accept}, timeout=30)


def sparql(base: str, query: str, accept: str = "application/sparql-results+json"):
    return httpx.post(
        base + "sparql", data={"query": query}, headers={"Accept": accept}, timeout=30
    )


@pytest.mark.parametrize(
    ("accept", "parser"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_resource_in_rdf_formats(publisher, accept, parser):
    answer = get(publisher, DIJON, accept)
    assert answer.status_code == 200, answer.text
    graph = Graph().parse(data=answer.content, format=parser)
    names = {str(o) for o in graph.objects(None, None) if str(o) == "Dijon"}
    assert names == {"Dijon"}
    assert answer.headers["etag"].startswith('"')  # strong: the same on every instance


def test_resource_page_in_html(publisher):
    answer = get(publisher, DIJON, "text/html")
    assert answer.status_code == 200
    assert "Dijon" in answer.text and "Mainz" in answer.text


def test_sparql_select_ask_construct(publisher):
    select = sparql(
        publisher,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?name WHERE { <https://w3id.org/aict/id/commune/21231> skos:prefLabel ?name }",
    )
    assert select.status_code == 200, select.text
    assert {b["name"]["value"] for b in select.json()["results"]["bindings"]} == {"Dijon"}
    ask = sparql(publisher, "ASK { <https://w3id.org/aict/id/commune/21231> ?p ?o }")
    assert ask.json()["boolean"] is True
    construct = sparql(
        publisher,
        "CONSTRUCT { <https://w3id.org/aict/id/commune/21231> ?p ?o } "
        "WHERE { <https://w3id.org/aict/id/commune/21231> ?p ?o }",
        "text/turtle",
    )
    assert construct.status_code == 200
    assert len(Graph().parse(data=construct.content, format="turtle")) > 5


def test_sparql_relative_iris_resolve_on_our_endpoint(publisher):
    # Our endpoint's URL is the base, not the engine's: ../id/… names our resource.
    answer = sparql(publisher, "ASK { <id/commune/21231> ?p ?o }")
    assert answer.status_code == 200, answer.text
    rebased = sparql(publisher, "SELECT (<x> AS ?x) WHERE {}")
    assert rebased.json()["results"]["bindings"][0]["x"]["value"] == publisher + "x"


def test_sparql_row_cap_and_refusals(publisher):
    capped = httpx.post(
        publisher + "sparql",
        data={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert capped.status_code == 200
    assert len(capped.json()["results"]["bindings"]) == 10000
    service = sparql(publisher, "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }")
    assert service.status_code == 400


def test_runaway_query_stopped_at_our_deadline(publisher):
    started = time.monotonic()
    answer = sparql(publisher, RUNAWAY)
    took = time.monotonic() - started
    assert answer.status_code == 503, answer.text[:300]
    assert "Retry-After" in answer.headers
    assert took < DEADLINE + 3


@pytest.mark.parametrize(
    ("spellings", "commune"),
    [
        (("Dijon", "DIJON", "dijon"), "21231"),
        (("Bourg-en-Bresse", "bourg en bresse"), "01053"),
        # Accents: Virtuoso's REGEX sees bytes, not letters (the build's folded labels find them)
        (("Saint-Étienne", "saint etienne", "SAINT-ETIENNE", "Saint Étienne"), "42218"),
        (("Besançon", "besancon", "BESANÇON"), "25056"),
    ],
)
def test_named_query_folds_names_as_the_search_box(publisher, spellings, commune):
    for city in spellings:
        answer = get(publisher, "api/twinnings-of-a-city", "application/json", city=city)
        assert answer.status_code == 200, answer.text
        rows = answer.json()["results"]["bindings"]
        authorities = {row["authority"]["value"] for row in rows}
        assert authorities == {f"https://w3id.org/aict/id/commune/{commune}"}, city


def test_fragments_catalog_and_health(publisher):
    fragment = get(
        publisher,
        "fragments",
        "application/n-triples",
        subject="https://w3id.org/aict/id/commune/21231",
    )
    assert fragment.status_code == 200, fragment.text
    assert "commune/21231" in fragment.text
    catalog = get(publisher, "catalog", "text/turtle")
    assert catalog.status_code == 200
    assert "dcat:DataService" in catalog.text or "DataService" in catalog.text
    health = get(publisher, "healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_no_dump_is_offered(publisher):
    # The engine's data is queried, never copied: nothing to download from us.
    assert get(publisher, "dumps/aict.ttl").status_code == 404
    home = get(publisher, "", "text/html")
    assert home.status_code == 200
    assert "/dumps/" not in home.text and "sparql" in home.text
    for path in ("catalog", ".well-known/void"):
        answer = get(publisher, path, "text/turtle")
        assert answer.status_code == 200, path
        graph = Graph().parse(data=answer.text, format="turtle")
        linked = {str(o) for o in graph.objects()} | {str(s) for s in graph.subjects()}
        assert not any("/dumps/" in iri for iri in linked), path
        assert any(iri.endswith("/sparql") for iri in linked), path


# Resources no other test asks for: an answer already in the page cache is served whatever
# the engine does (the data is immutable), so only unseen requests show what the engine does.
UNSEEN = {
    "text/html": ("id/commune/75056", "text/html"),
    "application/json": ("id/commune/69123", "application/json"),
    "text/turtle": ("id/commune/13055", "text/plain"),  # never a body claiming to be Turtle
}


def test_engine_down_answers_503_and_recovers(publisher, engine):
    engine.stop()
    try:
        for accept, (path, media_type) in UNSEEN.items():
            answer = get(publisher, path, accept)
            assert answer.status_code == 503, (accept, answer.status_code, answer.text[:300])
            assert int(answer.headers["Retry-After"]) > 0
            assert answer.headers["content-type"].startswith(media_type), accept
            assert "not answering" in answer.text, answer.text[:300]
        body = get(publisher, "id/commune/31555", "application/json").json()
        assert body["status"] == 503 and "SPARQL" in body["message"]
        assert sparql(publisher, "ASK { <urn:unseen:1> ?p ?o }").status_code == 503
        assert get(publisher, "api/twinnings-of-a-city", city="Toulouse").status_code == 503
        health = get(publisher, "healthz")
        assert health.status_code == 503 and health.headers["Retry-After"]
    finally:
        engine.start()
    # The same `aict serve` process: no restart, the engine is simply asked again.
    assert get(publisher, "healthz").status_code == 200
    for accept, (path, _) in UNSEEN.items():
        assert get(publisher, path, accept).status_code == 200, accept
    assert sparql(publisher, "ASK { <urn:unseen:2> ?p ?o }").json()["boolean"] is False


def test_the_build_is_kept_in_a_small_file(publisher, engine):
    """The figures are the engine's own (aggregates asked of it once), kept in the build
    file that later starts, and other servers given the same file, read."""
    count = httpx.post(
        engine.endpoint,
        data={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            'FILTER(STRSTARTS(STR(?g), "https://w3id.org/aict/graph/")) }'
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()["results"]["bindings"][0]["n"]["value"]
    version = get(publisher, "version").json()
    assert version["triples"] == int(count) > 100_000
    (built,) = CACHES[engine.name].glob("remote-*/aict-remote.json")
    kept = json.loads(built.read_text(encoding="utf-8"))
    assert kept["endpoint"] == engine.endpoint
    assert kept["info"]["version"] == version["dataset"]
    assert built.stat().st_size < 10_000  # figures, not data
    assert not list(built.parent.glob("dumps/*.*"))


# The build step does not depend on the engine: shown on one.
@pytest.mark.parametrize("engine", ["oxigraph"], indirect=True)
def test_a_build_made_once_is_shared_by_every_server(engine, tmp_path):
    """`aict load --endpoint URL --store DIR` asks the engine once; a server given the same
    store_dir (another machine, a copy of DIR) reads it and asks nothing proportional."""
    shared = tmp_path / "build"
    loaded = subprocess.run(
        [str(AICT), "load", "--endpoint", engine.endpoint, "--store", str(shared)],
        capture_output=True,
        text=True,
        timeout=300,
        # A visitor's deadline does not bound the build's aggregates (minutes over 1M quads).
        env={**os.environ, "AICT_QUERY_TIMEOUT": "0.001"},
    )
    assert loaded.returncode == 0, loaded.stderr
    kept = {path.name: path.stat().st_mtime_ns for path in shared.iterdir() if path.is_file()}
    assert {"aict-remote.json", "aict-build.json", "aict-labels.json"} <= set(kept)
    shared.chmod(0o555)  # read-only to the servers, as a shared mount would be
    try:
        env = {"AICT_STORE_ENDPOINT": engine.endpoint, "AICT_STORE_DIR": str(shared)}
        with serving_process(log=tmp_path / "serve.log", env=env) as (base, _):
            version = get(base, "version").json()
            assert get(base, "search", "text/html", q="besancon").status_code == 200
    finally:
        shared.chmod(0o755)
    built = json.loads((shared / "aict-remote.json").read_text(encoding="utf-8"))
    assert version["dataset"] == built["info"]["version"]
    assert {p.name: p.stat().st_mtime_ns for p in shared.iterdir() if p.is_file()} == kept


# The build step does not depend on the engine: shown on one.
@pytest.mark.parametrize("engine", ["oxigraph"], indirect=True)
def test_a_first_start_builds_in_the_background_for_the_next(engine, tmp_path):
    """Without a build, a start answers at once and makes it in the background (minutes over
    a large engine); the next start reads it."""
    env = {"AICT_STORE_ENDPOINT": engine.endpoint, "AICT_CACHE_DIR": str(tmp_path / "cache")}
    with serving_process(log=tmp_path / "serve.log", env=env) as (base, _):
        assert get(base, DIJON, "text/turtle").status_code == 200
        deadline = time.monotonic() + 120
        while not list((tmp_path / "cache").glob("remote-*/aict-build.json")):
            assert time.monotonic() < deadline, "no build was written"
            time.sleep(0.5)
    (built,) = (tmp_path / "cache").glob("remote-*/aict-build.json")
    written = built.stat().st_mtime_ns
    with serving_process(log=tmp_path / "serve.log", env=env) as (base, _):
        assert get(base, "", "text/html").status_code == 200
    assert built.stat().st_mtime_ns == written  # read, not made again
