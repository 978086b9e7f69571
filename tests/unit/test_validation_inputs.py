"""Reading inputs safely: formats, folders, size cap, binary junk, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.validation.inputs import (
    Source,
    check_source,
    expand_paths,
    format_of,
    normalise_format,
    read_source,
)


@pytest.mark.parametrize(
    "name,fmt",
    [
        ("a.ttl", "turtle"),
        ("a.nt", "ntriples"),
        ("a.nq", "nquads"),
        ("a.trig", "trig"),
        ("a.jsonld", "jsonld"),
        ("a.rdf", "rdfxml"),
        ("a.owl", "rdfxml"),
        ("A.XML", "rdfxml"),
    ],
)
def test_format_from_extension(name, fmt):
    assert format_of(Path(name)) == fmt


def test_unknown_extension_names_the_file_and_the_way_out():
    with pytest.raises(InputError, match="--input-format") as caught:
        format_of(Path("data.txt"))
    assert caught.value.file == "data.txt"


def test_spreadsheets_named_directly_are_tabular_inputs_but_folders_skip_them(tmp_path):
    assert format_of(Path("actions.csv")) == "csv"
    assert format_of(Path("Actions.XLSX")) == "xlsx"
    (tmp_path / "sources.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "data.ttl").write_text("", encoding="utf-8")
    assert expand_paths([tmp_path]) == [tmp_path / "data.ttl"]


def test_forced_format_wins_and_aliases_are_accepted():
    assert format_of(Path("data.txt"), "ttl") == "turtle"
    assert normalise_format("N-Triples") == "ntriples"
    with pytest.raises(InputError, match="unknown input format 'csv'"):
        normalise_format("csv")


def test_folders_expand_to_rdf_files_skipping_hidden_ones(tmp_path):
    (tmp_path / "b.ttl").write_text("")
    (tmp_path / "a.nt").write_text("")
    (tmp_path / "notes.md").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.ttl").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonld").write_text("")
    names = [p.name for p in expand_paths([tmp_path, tmp_path / "a.nt"])]
    assert names == ["a.nt", "b.ttl", "c.jsonld"]


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        expand_paths([tmp_path / "nothere.ttl"])


def test_size_cap(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_bytes(b"#" * 2048)
    with pytest.raises(InputError, match="2048 bytes, more than the limit of 1024"):
        read_source(big, max_bytes=1024)


def test_binary_junk_is_refused(tmp_path):
    junk = tmp_path / "junk.ttl"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary data"):
        read_source(junk, max_bytes=10_000)


def test_other_encodings_are_refused_with_the_line(tmp_path):
    latin = tmp_path / "latin.ttl"
    latin.write_bytes('# ok\n<a:b> <a:c> "Orléans" .\n'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_source(latin, max_bytes=10_000)
    assert caught.value.line == 2


def test_in_memory_sources_are_checked_too():
    with pytest.raises(InputError, match="limit of 1024 bytes"):
        check_source(Source("upload.ttl", b"#" * 2000, "turtle"), max_bytes=1024)
