"""Build once: what derives from the data is computed at load and read back at later starts;
Last-Modified and the catalog's dates come from the data, not from file times."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from publisher import build as build_module
from publisher import stats
from publisher.build import load, open_built, read_build
from publisher.catalog import DUMPS, Publication
from publisher.config import Settings
from publisher.errors import InputError
from publisher.namespaces import CATALOG_IRI
from publisher.store import embedded
from publisher.web.label_search import build_label_index

DATED = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/aict/id/activity/a> dct:modified "2024-05-01"^^xsd:date .
<https://w3id.org/aict/id/activity/b> dct:modified "2025-01-02T10:00:00Z"^^xsd:dateTime .
"""
NEWEST = datetime(2025, 1, 2, 10, tzinfo=UTC)


@pytest.fixture
def data_dir(test_data, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(test_data / "publisher", copy)
    (copy / "dated.ttl").write_text(DATED, encoding="utf-8")
    return copy


class Calls:
    """Counts what the embedded store is asked to do that scans the data."""

    def __init__(self, monkeypatch) -> None:
        self.seen: list[str] = []
        for name in ("select", "construct", "ask", "dump"):
            self._count(monkeypatch, embedded.OxigraphStore, name)
        self._count(monkeypatch, embedded, "_count_triples")
        self._count(monkeypatch, embedded, "content_version")
        self._count(monkeypatch, embedded, "load_sources")

    def _count(self, monkeypatch, owner, name: str) -> None:
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            self.seen.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


def published(settings: Settings, *, read_only: bool = False):
    store, derived = open_built(settings, read_only=read_only)
    publication = Publication(store, settings, derived)
    return store, publication, publication.catalog(), publication.void()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_second_start_computes_nothing_from_the_data(data_dir, tmp_path, monkeypatch, read_only):
    settings = Settings(data_paths=[data_dir], store_dir=tmp_path / "store")
    store, publication, catalog, void = published(settings)
    dumps = {spec.name: publication.dump(spec.name).data for spec in DUMPS}
    # What the pages show of the whole dataset, as computed from the store itself.
    overviews = {lang: stats.overview(store, store.triple_count(), lang) for lang in ("fr", "en")}
    labels = build_label_index(store).entries
    store.close()

    calls = Calls(monkeypatch)
    again, publication, catalog_again, void_again = published(settings, read_only=read_only)
    try:
        # Version, date, size, catalog (checksums) and VoID figures: all read, none computed.
        assert calls.seen == []
        assert set(catalog_again) == set(catalog) and set(void_again) == set(void)
        assert again.version == store.version and again.last_modified == NEWEST
        # Dumps are the files the build wrote, byte for byte, not a new dump of the store.
        for name, data in dumps.items():
            assert publication.dump(name).data == data
        # The home page's figures and charts, and the search box's index: read, not counted.
        for lang, expected in overviews.items():
            assert publication.derived.overview(lang) == expected
        assert publication.derived.label_entries() == labels
        assert calls.seen == []
    finally:
        again.close()


def test_a_build_of_other_data_or_package_is_not_used(data_dir, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    built = load([data_dir], store_dir)
    assert read_build(store_dir, built.version) is not None
    assert read_build(store_dir, "another version") is None
    monkeypatch.setattr(build_module, "package_version", lambda: "0.0.0-other")
    assert read_build(store_dir, built.version) is None


def test_load_refuses_a_directory_of_other_data(data_dir, test_data, tmp_path):
    store_dir = tmp_path / "store"
    load([data_dir], store_dir)
    load([data_dir], store_dir)  # the same data again: nothing to do
    with pytest.raises(InputError) as refused:
        load([test_data / "sparql" / "fixture.trig"], store_dir)
    assert refused.value.field == "store_dir"


def test_a_read_only_start_needs_a_loaded_directory(tmp_path):
    with pytest.raises(InputError) as refused:
        open_built(Settings(store_dir=tmp_path / "empty"), read_only=True)
    assert "aict load" in str(refused.value)


def test_dates_come_from_the_data_not_from_file_times(data_dir, tmp_path):
    """Two checkouts of the same data, with different file times, say the same dates."""
    other = tmp_path / "other"
    shutil.copytree(data_dir, other)
    for number, path in enumerate(sorted(other.rglob("*.t*"))):
        os.utime(path, (1_600_000_000 + number, 1_600_000_000 + number))
    answers = []
    for folder in (data_dir, other):
        settings = Settings(data_paths=[folder], store_dir=tmp_path / f"store-{folder.name}")
        store, _, catalog, _ = published(settings)
        answers.append((store.last_modified, catalog.value(URIRef(CATALOG_IRI), DCTERMS.modified)))
        store.close()
    assert answers[0] == answers[1]
    assert answers[0][0] == NEWEST
    assert answers[0][1].toPython() == NEWEST


def test_a_built_directory_is_shared_by_several_servers(data_dir, tmp_path):
    """A loaded and built directory is opened read-only: a second `aict serve --store DIR`
    (another instance behind the same balancer) is not locked out."""
    store_dir = tmp_path / "store"
    load([data_dir], store_dir)
    settings = Settings(data_paths=[data_dir], store_dir=store_dir)
    first, _ = open_built(settings)
    second, _ = open_built(settings)
    try:
        assert first.read_only and second.read_only
        assert first.ask("ASK { ?s ?p ?o }") and second.triple_count() == first.triple_count()
    finally:
        first.close()
        second.close()
    # With SPARQL Update on, the store is opened for writing: one process only.
    writable, _ = open_built(settings.model_copy(update={"update_token": "t"}))
    try:
        assert not writable.read_only
    finally:
        writable.close()


def test_pages_read_the_built_figures(data_dir, tmp_path, monkeypatch):
    """/-/stats.json and the home page over a built store (second start) are what the data
    in memory gives, and the figures are not queried (only the chosen city's map is)."""
    from fastapi.testclient import TestClient

    from publisher.web.app import create_app

    def pages(settings: Settings, calls: Calls | None = None) -> tuple[dict, str]:
        with TestClient(create_app(settings)) as client:
            figures = client.get("/-/stats.json?lang=en")
            assert figures.status_code == 200
            assert calls is None or "select" not in calls.seen
            home = client.get("/?lang=en")
            assert home.status_code == 200
            return figures.json(), home.text

    in_memory = pages(Settings(data_paths=[data_dir]))
    on_disk = Settings(data_paths=[data_dir], store_dir=tmp_path / "store")
    load([data_dir], on_disk.store_dir)
    assert pages(on_disk, Calls(monkeypatch)) == in_memory
