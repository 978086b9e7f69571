"""The embedded store: named graphs, errors with file and line, versions, on-disk reuse."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from publisher.config import DATASET_DIR, EXAMPLES_DIR, EXTERNAL_DIR, ONTOLOGY_DIR, Settings
from publisher.errors import InputError, NotFound, QuerySyntaxError
from publisher.store import graph_for, open_store, resolve_sources

GRAPH = "https://w3id.org/aict/graph/"
DIJON = "https://w3id.org/aict/id/commune/21231"


@pytest.fixture(scope="module")
def fixture_store(test_data):
    return open_store(Settings(data_paths=[test_data / "publisher"]))


def graphs_of(store) -> set[str]:
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {str(row["g"]) for row in rows}


def test_files_go_to_their_named_graphs(fixture_store):
    assert graphs_of(fixture_store) == {
        GRAPH + "ontology",
        GRAPH + "vocab-partnership-form",
        GRAPH + "twinnings",  # the TriG file's own graph name is kept
    }


def test_bundled_sources_exclude_examples():
    sources = resolve_sources([])
    assert sources
    assert not any(EXAMPLES_DIR in s.path.parents for s in sources)
    assert graph_for(DATASET_DIR / "partnerships.ttl") == GRAPH + "partnerships"
    assert any(s.graph == GRAPH + "ontology" for s in sources)


def test_serving_the_ontology_folder_publishes_no_reference_copy():
    """`aict serve ontology/` publishes our ontology and vocabularies, not the UN SDG copy kept
    in ontology/external/ for the tests (its labels are the source's, stray spaces and all)."""
    store = open_store(Settings(data_paths=[ONTOLOGY_DIR]))
    graphs = graphs_of(store)
    assert {GRAPH + "ontology", GRAPH + "vocab-theme"} <= graphs
    assert not any("sdg" in graph for graph in graphs)
    assert not store.ask("ASK { GRAPH ?g { <http://metadata.un.org/sdg/4> ?p ?o } }")
    # Named itself, the folder is loaded: the user asked for it.
    assert [s.path.parent for s in resolve_sources([EXTERNAL_DIR])] == [EXTERNAL_DIR]


def test_parse_error_names_file_and_line(test_data):
    with pytest.raises(InputError) as info:
        open_store(Settings(data_paths=[test_data / "publisher-broken"]))
    assert info.value.file.endswith("bad.ttl")
    assert info.value.line == 4
    assert "bad.ttl:4:" in str(info.value)


def test_missing_path_and_unknown_format(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        resolve_sources([tmp_path / "absent.ttl"])
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    with pytest.raises(InputError, match="unknown RDF format"):
        resolve_sources([odd])


def test_bound_queries_and_syntax_errors(fixture_store):
    rows = fixture_store.select(
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        s=URIRef(DIJON),
    )
    assert sorted(str(r["label"]) for r in rows) == ["Dijon", "Dijon"]
    assert fixture_store.ask("ASK { ?s ?p ?o }")
    with pytest.raises(QuerySyntaxError):
        fixture_store.select("SELEC nothing")


def test_describe_pages_and_not_found(fixture_store):
    first = fixture_store.describe(DIJON, page=1, page_size=2)
    second = fixture_store.describe(DIJON, page=2, page_size=2)
    assert first.has_more and not second.has_more
    with pytest.raises(NotFound):
        fixture_store.describe(DIJON, page=3, page_size=2)
    with pytest.raises(NotFound):
        fixture_store.describe("https://w3id.org/aict/id/commune/00000")


def test_version_and_dumps_are_stable_across_loads(test_data, fixture_store):
    again = open_store(Settings(data_paths=[test_data / "publisher"]))
    assert again.version == fixture_store.version
    assert again.last_modified == fixture_store.last_modified
    for fmt in ("ttl", "nt", "nq", "jsonld"):
        assert again.dump(fmt) == fixture_store.dump(fmt), fmt


def test_version_changes_with_the_content(test_data, tmp_path, fixture_store):
    copy = tmp_path / "data"
    shutil.copytree(test_data / "publisher", copy)
    assert open_store(Settings(data_paths=[copy])).version == fixture_store.version
    with (copy / "ontology.ttl").open("a") as extra:
        extra.write(
            '<https://w3id.org/aict/ontology> <http://www.w3.org/2002/07/owl#versionInfo> "x" .\n'
        )
    assert open_store(Settings(data_paths=[copy])).version != fixture_store.version


def test_snapshot_holds_every_quad(tmp_path, fixture_store):
    path = fixture_store.snapshot_nquads(tmp_path / "snap" / "all.nq")
    assert path.read_bytes() == fixture_store.dump("nq")


def test_on_disk_store_is_not_reloaded_on_restart(test_data, tmp_path, caplog):
    copy = tmp_path / "data"
    shutil.copytree(test_data / "publisher", copy)
    settings = Settings(data_paths=[copy], store_dir=tmp_path / "store")
    caplog.set_level(logging.INFO, logger="aict.store")

    first = open_store(settings)
    assert first.path == tmp_path / "store" / "oxigraph"
    expected = first.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    version, count = first.version, first.triple_count()
    first.close()
    metadata = tmp_path / "store" / "aict-store.json"
    written = metadata.stat().st_mtime_ns
    assert "loaded 63 triples from 3 files into" in caplog.text
    caplog.clear()

    # The files change, but the existing store is opened as it is: nothing is reloaded.
    (copy / "twinnings.trig").write_text("this is not TriG")
    second = open_store(settings)
    assert "files not reloaded" in caplog.text
    assert "the files changed" in caplog.text
    assert metadata.stat().st_mtime_ns == written
    assert second.version == version and second.triple_count() == count
    assert isomorphic(second.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), expected)
    second.close()

    # Even without the files, the existing store is served.
    shutil.rmtree(copy)
    third = open_store(settings)
    assert third.triple_count() == count
    assert "cannot compare the store" in caplog.text
    third.close()


def test_triple_count_is_the_union_without_duplicates(fixture_store):
    assert fixture_store.dump("nt").count(b"\n") == fixture_store.triple_count() == 63


def test_a_store_in_use_is_refused_as_bad_input(test_data, tmp_path):
    settings = Settings(data_paths=[test_data / "publisher"], store_dir=tmp_path / "store")
    first = open_store(settings)
    with pytest.raises(InputError) as info:
        open_store(settings)  # RocksDB's lock: one process per on-disk store
    assert info.value.field == "store_dir"
    first.close()


def test_document_graph_is_limited_within_its_own_graph(fixture_store, monkeypatch):
    import publisher.describe

    monkeypatch.setattr(publisher.describe, "MAX_OWN_STATEMENTS", 5)
    ontology = fixture_store.describe("https://w3id.org/aict/ontology").graph
    assert len(ontology) == 5
    # Every statement comes from the ontology graph, none from the twinnings or vocabulary.
    assert all(str(s).startswith("https://w3id.org/aict/ontology") for s in ontology.subjects())


@pytest.mark.parametrize(
    ("module", "must_not_load"),
    [
        ("publisher.store.embedded", "publisher.store.remote"),
        ("publisher.store.remote", "publisher.store.embedded"),
    ],
)
def test_store_implementations_do_not_import_each_other(module, must_not_load):
    # A fresh interpreter: this test process has long imported both.
    code = f"import sys, {module}; print({must_not_load!r} in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
