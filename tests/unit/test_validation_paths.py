"""SHACL property paths <-> SPARQL path strings."""

from __future__ import annotations

import pytest
from rdflib import Graph

from publisher.validation.paths import (
    PathSyntaxError,
    normalise_path,
    path_to_string,
    string_to_path,
)


@pytest.mark.parametrize(
    "text,canonical",
    [
        ("<http://ex/p>", "<http://ex/p>"),
        ("<http://ex/p> / <http://ex/q>", "<http://ex/p>/<http://ex/q>"),
        ("(<http://ex/r> | (<http://ex/p>*))", "(<http://ex/r>|<http://ex/p>*)"),
        ("^<http://ex/z>", "^<http://ex/z>"),
        ("(<http://ex/a>/<http://ex/b>)+", "(<http://ex/a>/<http://ex/b>)+"),
        ("<http://ex/a>?", "<http://ex/a>?"),
    ],
)
def test_round_trip(text, canonical):
    assert normalise_path(text) == canonical
    graph = Graph()
    assert path_to_string(graph, string_to_path(graph, canonical)) == canonical


@pytest.mark.parametrize("bad", ["", "<a> /", "(<a>", "<a> <b>", "p"])
def test_unreadable_paths(bad):
    with pytest.raises(PathSyntaxError):
        normalise_path(bad)
