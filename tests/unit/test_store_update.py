"""Store.update on the embedded store: the change, the new version, errors as ours."""

from __future__ import annotations

import pytest

from publisher.config import Settings
from publisher.errors import QuerySyntaxError
from publisher.store import open_store

EX = "http://example.org/"
INSERT = f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 'new' }} }}"
ASK = f"ASK {{ <{EX}a> <{EX}p> 'new' }}"


@pytest.fixture
def fixture_file(test_data):
    return test_data / "sparql" / "fixture.trig"


def test_update_changes_content_version_and_count(fixture_file):
    store = open_store(Settings(data_paths=[fixture_file]))
    try:
        version, triples = store.version, store.triple_count()
        store.update(INSERT)
        assert store.ask(ASK)
        assert store.version != version and store.triple_count() == triples + 1
        store.update(INSERT)  # the same triple again: the content and count stay
        assert store.triple_count() == triples + 1
    finally:
        store.close()


def test_update_syntax_error_is_ours_and_changes_nothing(fixture_file):
    store = open_store(Settings(data_paths=[fixture_file]))
    try:
        version = store.version
        with pytest.raises(QuerySyntaxError):
            store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> }}")
        assert store.version == version and not store.ask(ASK)
    finally:
        store.close()


def test_on_disk_update_survives_a_restart_with_its_version(fixture_file, tmp_path):
    settings = Settings(data_paths=[fixture_file], store_dir=tmp_path / "store")
    store = open_store(settings)
    store.update(INSERT)
    version = store.version
    store.close()
    reopened = open_store(settings)
    try:
        assert reopened.ask(ASK) and reopened.version == version
    finally:
        reopened.close()
