"""`aict validate` on every RDF syntax it reads, cut short or with a flipped or inserted byte,
in other encodings (latin-1, UTF-16, a BOM, one file in two encodings) and line endings (CRLF,
CR, both): a clear refusal or a report, exit 0, 1 or 2, never 3, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_support import Damage, assert_no_traceback, budget, damages, run_cli
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef

from publisher.config import EXAMPLES_DIR

# Every syntax the validator reads (publisher.formats.INPUT_FORMATS), by file extension.
_SYNTAXES = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdf": "xml",
}
_QUADS = {"nquads", "trig"}
_GRAPH = URIRef("https://w3id.org/aict/graph/fuzz")


def _serialize(graph: Graph, fmt: str) -> bytes:
    if fmt not in _QUADS:
        return graph.serialize(format=fmt, encoding="utf-8")
    # Quad syntaxes are written from a Dataset: a Graph has no graph name to write.
    dataset = Dataset()
    named = dataset.graph(_GRAPH)
    for triple in graph:
        named.add(triple)
    return dataset.serialize(format=fmt, encoding="utf-8")


@pytest.fixture(scope="module")
def serialized() -> dict[str, bytes]:
    graph = Graph().parse(EXAMPLES_DIR / "solidarity.ttl")
    return {ext: _serialize(graph, fmt) for ext, fmt in _SYNTAXES.items()}


def test_every_syntax_is_read_when_intact(tmp_path, serialized):
    # The property below is only worth something if the undamaged files pass.
    for ext, data in serialized.items():
        (tmp_path / f"example.{ext}").write_bytes(data)
        result = run_cli(["validate", str(tmp_path / f"example.{ext}"), "--lang", "en"])
        assert result.exit_code == 0, (ext, result.output[-2000:])


@budget(1.5)
@given(ext=st.sampled_from(sorted(_SYNTAXES)), damage=damages, each=st.booleans())
def test_every_syntax_cut_flipped_or_reencoded_never_crashes(
    tmp_path_factory, serialized, ext, damage, each
):
    folder = tmp_path_factory.mktemp("syntax")
    (folder / f"broken.{ext}").write_bytes(damage.apply(serialized[ext]))
    (folder / "good.ttl").write_bytes(serialized["ttl"])
    args = ["validate", str(folder), "--format", "json", "--lang", "en"]
    run_cli([*args, "--each"] if each else args)


@pytest.mark.parametrize("damage", ["utf-16", "latin-1", "crlf"])
def test_the_installed_command_refuses_or_reads_damaged_files(tmp_path, serialized, damage):
    # A real process, as CI runs it: what reaches the terminal is what users see.
    path = tmp_path / "broken.ttl"
    path.write_bytes(Damage(damage, 0.5, 0).apply(serialized["ttl"]))
    done = subprocess.run(
        [sys.executable, "-m", "publisher.cli", "validate", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent,
    )
    assert done.returncode in (0, 1, 2), done.stdout + done.stderr
    assert_no_traceback(done.stdout + done.stderr)
