"""`aict serve` as a real process: each format parsed back by rdflib, on-disk restarts, errors."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF
from serving import AICT, free_port, serving

from publisher.config import Settings
from publisher.formats import RDF_DOCUMENT_FORMATS as RDF_FORMATS
from publisher.store import open_store
from publisher.web.rebase import rebase_graph

CANONICAL = "https://w3id.org/aict/"
RESOURCES = [
    "id/partnership/commune-21231--de-mainz",
    "id/authority/de/mainz",
    "vocab/partnership-form/twinningCharter",
]
RDFLIB_PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


@pytest.fixture(scope="module")
def fixture_dir(test_data) -> Path:
    return test_data / "publisher"


@pytest.fixture(scope="module")
def server(fixture_dir, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serving(str(fixture_dir), log=log) as base:
        yield base


@pytest.fixture(scope="module")
def local_store(fixture_dir):
    return open_store(Settings(data_paths=[fixture_dir]))


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.key)
@pytest.mark.parametrize("path", RESOURCES)
def test_rdflib_reads_back_each_format(server, local_store, path, fmt):
    expected = rebase_graph(local_store.describe(CANONICAL + path).graph, CANONICAL, server)
    request = urllib.request.Request(server + path, headers={"Accept": fmt.media_type})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers["Content-Type"] == fmt.content_type
        body = answer.read()
    parsed = Graph().parse(data=body, format=RDFLIB_PARSERS[fmt.extension])
    assert isomorphic(parsed, expected)
    by_suffix = Graph().parse(
        f"{server}{path}.{fmt.extension}", format=RDFLIB_PARSERS[fmt.extension]
    )
    assert isomorphic(by_suffix, expected)


def test_quick_start_serves_the_bundled_data(tmp_path):
    """The README's first command: `aict serve` with no argument publishes ontology + dataset,
    from a store built on the first start in the cache folder and opened as is after."""
    expected = open_store(Settings()).triple_count()
    log = tmp_path / "serve.log"
    cache = {"AICT_CACHE_DIR": str(tmp_path / "cache")}
    for start in ("first", "second"):
        with serving(log=log, startup_seconds=120, env=cache) as base:
            with urllib.request.urlopen(base + "healthz", timeout=5) as answer:
                assert json.loads(answer.read())["triples"] == expected
            request = urllib.request.Request(base + "ontology", headers={"Accept": "text/turtle"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                ontology = Graph().parse(data=answer.read(), format="turtle")
        assert (URIRef(base + "ontology"), RDF.type, OWL.Ontology) in ontology, start
    text = log.read_text()
    assert text.count("bundled data, cached in") == 2
    assert text.count("loaded ") == 1  # built once; the second start only opened it
    assert "read-only (" in text and "files not reloaded" in text
    # The first start's seconds of work are announced before they begin, never silent.
    first = text[: text.index("serving on ")]
    assert_in_order(
        first,
        "first start: building the store of the bundled data in",
        "loading 15 files into",
        "loaded ",
        "building the dumps, catalog and VoID figures",
        "built the dumps",
    )
    assert "first start" not in text[len(first) :]


def test_load_says_what_it_builds(fixture_dir, tmp_path):
    """`aict load --store` announces each long step on stderr before it starts."""
    loaded = subprocess.run(
        [str(AICT), "load", str(fixture_dir), "--store", str(tmp_path / "store")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert_in_order(
        loaded.stderr,
        "INFO aict.store: loading 3 files into",
        "INFO aict.store: loaded 63 triples",
        "INFO aict.build: building the dumps",
        "INFO aict.build: built the dumps",
        "store ready in",
    )


def assert_in_order(text: str, *parts: str) -> None:
    positions = [text.find(part) for part in parts]
    assert -1 not in positions and positions == sorted(positions), (parts, text)


def test_restarts_keep_version_and_etags(fixture_dir, tmp_path):
    """An on-disk store is not reloaded on restart, and the same files give the same ETags
    whether loaded on disk, in memory, or reopened (blank nodes included)."""
    store_dir = tmp_path / "store"
    log = tmp_path / "serve.log"
    public = {"AICT_PUBLIC_BASE": "https://data.example.org/aict/"}
    on_disk = (str(fixture_dir), "--store", str(store_dir))
    answers = []
    for args in (on_disk, (str(fixture_dir),), on_disk):
        with serving(*args, log=log, env=public) as base:
            with urllib.request.urlopen(base + "version", timeout=5) as answer:
                version = json.loads(answer.read())["dataset"]
            # This description holds a blank node (the partnership's period of time).
            url = base + "id/partnership/commune-21231--de-mainz.nt"
            with urllib.request.urlopen(url, timeout=5) as answer:
                body = answer.read().decode()
                answers.append((version, answer.headers["ETag"], answer.headers["Last-Modified"]))
            assert "<https://data.example.org/aict/id/commune/21231>" in body
    assert answers[0] == answers[1] == answers[2]
    text = log.read_text()
    assert text.count("loaded 63 triples from 3 files into") == 2  # disk once, memory once
    assert "files not reloaded" in text


def test_bad_file_exits_2_with_file_and_line(test_data):
    result = subprocess.run(
        [str(AICT), "serve", str(test_data / "publisher-broken"), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "bad.ttl:4:" in result.stderr
    assert "Traceback" not in result.stderr
