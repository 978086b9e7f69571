"""Line mapping: the line that describes each node, in every format."""

from __future__ import annotations

from rdflib import BNode, URIRef

from publisher.validation._turtle_lines import turtle_lines
from publisher.validation.inputs import Source
from publisher.validation.lines import LineIndex
from publisher.validation.parsing import parse_source

TURTLE = """@prefix ex: <http://example.org/> .
@base <http://base.example/> .
# a comment with <not-an-iri> and "quotes
ex:a a ex:C ;
   ex:p [ ex:q 1 ; ex:r [ ex:s "x"@fr ] ] ,
        ex:b ;
   ex:t \"\"\"two
lines\"\"\"^^ex:dt .
<relative> ex:p _:label .
_:label ex:q ( 1 2 ) .
ex:c\\.d ex:p 1.5 .
PREFIX sp: <http://sparql-style.example/>
sp:x ex:p "a ; b . c" .
"""


def _index(text: str, fmt: str, name: str = "f.ttl") -> LineIndex:
    source = Source(name, text.encode(), fmt)
    labels: dict[str, str] = {}
    return LineIndex(source, parse_source(source, 0, labels), labels)


def test_turtle_subjects_with_prefixes_base_and_escapes():
    facts = turtle_lines(TURTLE, "file:///f.ttl")
    assert facts.subject_lines["http://example.org/a"] == 4
    assert facts.subject_lines["http://base.example/relative"] == 9
    assert facts.subject_lines["_:label"] == 10
    assert facts.subject_lines["http://example.org/c.d"] == 11
    assert facts.subject_lines["http://sparql-style.example/x"] == 13


def test_turtle_anonymous_nodes_get_the_line_of_their_bracket():
    index = _index(TURTLE, "turtle")
    graph = index.graph
    outer = next(
        o
        for o in graph.objects(URIRef("http://example.org/a"), URIRef("http://example.org/p"))
        if isinstance(o, BNode)
    )
    inner = graph.value(outer, URIRef("http://example.org/r"))
    assert index.line_of(outer) == 5
    assert index.line_of(inner) == 5
    labelled = graph.value(URIRef("http://base.example/relative"), URIRef("http://example.org/p"))
    assert index.line_of(labelled) == 10
    assert index.line_of(URIRef("http://example.org/b")) == 6  # only mentioned


def test_trig_graph_blocks():
    text = (
        "@prefix ex: <http://example.org/> .\n"
        "ex:g1 {\n  ex:a ex:p 1 .\n}\n"
        "GRAPH ex:g2 {\n  ex:b ex:p [ ex:q 2 ] .\n}\n"
    )
    index = _index(text, "trig", "f.trig")
    assert index.line_of(URIRef("http://example.org/a")) == 3
    assert index.line_of(URIRef("http://example.org/b")) == 6


def test_ntriples_lines():
    text = (
        "<http://example.org/a> <http://example.org/p> _:x .\n"
        "\n"
        '_:x <http://example.org/q> "1" .\n'
        "<http://example.org/b> <http://example.org/p> <http://example.org/a> .\n"
    )
    index = _index(text, "ntriples", "f.nt")
    x = index.graph.value(URIRef("http://example.org/a"), URIRef("http://example.org/p"))
    assert index.line_of(URIRef("http://example.org/a")) == 1
    assert index.line_of(x) == 3
    assert index.line_of(URIRef("http://example.org/b")) == 4


def test_jsonld_best_effort_prefers_descriptions_over_references():
    text = """{
  "@context": {"ex": "http://example.org/"},
  "@graph": [
    {"@id": "ex:b", "ex:p": {"@id": "ex:a"}},
    {
      "@id": "ex:a",
      "ex:q": {"ex:r": 1}
    }
  ]
}"""
    index = _index(text, "jsonld", "f.jsonld")
    assert index.line_of(URIRef("http://example.org/b")) == 4
    assert index.line_of(URIRef("http://example.org/a")) == 6
    nested = index.graph.value(URIRef("http://example.org/a"), URIRef("http://example.org/q"))
    assert index.line_of(nested) == 6  # a blank node takes the line of the node above it


def test_rdfxml_best_effort():
    text = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"
         xml:base="http://example.org/">
  <rdf:Description rdf:about="a">
    <ex:p rdf:resource="b"/>
  </rdf:Description>
  <rdf:Description rdf:ID="c"><ex:p>1</ex:p></rdf:Description>
</rdf:RDF>
"""
    index = _index(text, "rdfxml", "f.rdf")
    assert index.line_of(URIRef("http://example.org/a")) == 4
    assert index.line_of(URIRef("http://example.org/#c")) == 7


def test_unmodelled_syntax_keeps_what_was_found():
    text = "@prefix ex: <http://example.org/> .\nex:a ex:p 1 .\nex:b ex:p << ex:x ex:y ex:z >> .\n"
    facts = turtle_lines(text, "file:///f.ttl")
    assert facts.subject_lines["http://example.org/a"] == 2


def test_sibling_and_top_level_anonymous_nodes_are_told_apart():
    text = (
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:p [ ex:q 1 ] ,\n"
        "          [ ex:r 2 ] .\n"
        "[ ex:s 3 ] .\n"
        "[ ex:t 4 ] .\n"
    )
    index = _index(text, "turtle")
    graph = index.graph
    by_predicate = {str(p).rsplit("/", 1)[-1]: s for s, p, _ in graph if isinstance(s, BNode)}
    assert index.line_of(by_predicate["q"]) == 2
    assert index.line_of(by_predicate["r"]) == 3
    assert index.line_of(by_predicate["s"]) == 4
    assert index.line_of(by_predicate["t"]) == 5
