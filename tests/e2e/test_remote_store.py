"""The publisher on a real remote SPARQL store (Oxigraph server) gives what the embedded gives."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from serving import free_port

from publisher.config import Settings
from publisher.errors import QuerySyntaxError, StoreError
from publisher.store import open_store
from publisher.web.app import create_app
from publisher.web.rebase import rebase_graph

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
GRAPH = "https://w3id.org/aict/graph/"
RESOURCES = [
    "https://w3id.org/aict/id/commune/21231",
    "https://w3id.org/aict/id/partnership/commune-21231--de-mainz",
    "https://w3id.org/aict/ontology",
    "https://w3id.org/aict/vocab/partnership-form",
    "https://w3id.org/aict/graph/twinnings",
]

pytestmark = pytest.mark.skipif(
    not (OXIGRAPH.exists() or shutil.which("oxigraph")),
    reason="the oxigraph server is a test dependency",
)


@pytest.fixture(scope="module")
def endpoint(test_data) -> Iterator[str]:
    """An in-memory Oxigraph server holding the fixture files in the same named graphs."""
    port = free_port()
    binary = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")
    process = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(base + "/query?query=ASK%7B%7D", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the oxigraph server did not start")
                time.sleep(0.1)
        data = test_data / "publisher"
        uploads = [
            (data / "ontology.ttl", "text/turtle", GRAPH + "ontology"),
            (
                data / "vocabularies" / "partnership-form.ttl",
                "text/turtle",
                GRAPH + "vocab-partnership-form",
            ),
            (data / "twinnings.trig", "application/trig", None),
        ]
        for path, media_type, graph in uploads:
            params = {"graph": graph} if graph else {}
            answer = httpx.post(
                base + "/store",
                params=params,
                content=path.read_bytes(),
                headers={"Content-Type": media_type},
                timeout=10,
            )
            assert answer.status_code in (201, 204), answer.text
        yield base + "/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(endpoint):
    store = open_store(Settings(store_endpoint=endpoint))
    yield store
    store.close()


@pytest.fixture(scope="module")
def embedded(test_data):
    return open_store(Settings(data_paths=[test_data / "publisher"]))


def test_same_size_and_stable_version(remote, embedded, endpoint):
    assert remote.path is None
    assert remote.triple_count() == embedded.triple_count()
    again = open_store(Settings(store_endpoint=endpoint))
    assert again.version == remote.version
    again.close()


@pytest.mark.parametrize("iri", RESOURCES)
def test_descriptions_match_the_embedded_store(remote, embedded, iri):
    for page in (1, 2) if iri.endswith("21231") else (1,):
        ours = remote.describe(iri, page=page, page_size=2)
        theirs = embedded.describe(iri, page=page, page_size=2)
        assert isomorphic(ours.graph, theirs.graph)
        assert ours.has_more == theirs.has_more


def test_nothing_is_copied(remote):
    with pytest.raises(StoreError):
        remote.dump("nt")


def test_errors_are_ours(remote):
    with pytest.raises(QuerySyntaxError):
        remote.select("SELEC nothing")
    closed = open_store(Settings(store_endpoint=remote.endpoint))
    closed.close()
    with pytest.raises(StoreError):
        closed.ask("ASK {}")
    unreachable = Settings(store_endpoint=f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError):
        open_store(unreachable)


def test_the_app_serves_a_remote_store(endpoint, embedded):
    app = create_app(Settings(store_endpoint=endpoint, page_size=2))

    async def fetch() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.get("/id/partnership/commune-21231--de-mainz.ttl")

    response = asyncio.run(fetch())
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    expected = embedded.describe(RESOURCES[1]).graph
    assert isomorphic(graph, rebase_graph(expected, "https://w3id.org/aict/", "http://testserver/"))
