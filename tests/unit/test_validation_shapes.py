"""How deep into the reference data the shapes look."""

from __future__ import annotations

from rdflib import Graph

from publisher.validation.shapes import MAX_REACH, reach_depth

PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"


def _depth(body: str) -> int:
    return reach_depth(Graph().parse(data=PREFIXES + body, format="turtle"))


def test_literal_checks_read_the_focus_node_only():
    assert _depth("ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .") == 1


def test_class_checks_read_the_value_node():
    assert _depth("ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:class ex:C ] .") == 2


def test_nested_node_shapes_add_up():
    body = """
    ex:S a sh:NodeShape ; sh:property [ sh:path ( ex:p ex:q ) ; sh:node ex:T ] .
    ex:T a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:class ex:C ] .
    """
    assert _depth(body) == 4


def test_cycles_and_unbounded_paths_are_capped():
    body = """
    ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:node ex:S ] .
    ex:U a sh:NodeShape ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .
    """
    assert _depth(body) == MAX_REACH
