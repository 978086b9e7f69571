"""Targets resolved to the contribution's focus nodes, as SHACL defines them."""

from __future__ import annotations

from rdflib import Graph, URIRef

from publisher.namespaces import SH
from publisher.validation.focus import restrict_targets

EX = "http://example.org/"
SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:ByClass a sh:NodeShape ; sh:targetClass ex:Animal ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf ex:owns .
ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:owns .
ex:ByNode a sh:NodeShape ; sh:targetNode ex:rex, ex:elsewhere .
ex:Cat a rdfs:Class, sh:NodeShape .
"""
DATA = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Dog rdfs:subClassOf ex:Animal .
ex:rex a ex:Dog ; ex:owns ex:ball .
ex:tom a ex:Cat .
ex:published a ex:Dog .
"""


def _targets(restricted: Graph, shape: str) -> set[str]:
    return {str(n) for n in restricted.objects(URIRef(EX + shape), SH.targetNode)}


def test_every_kind_of_target_is_resolved_and_filtered():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    contribution = {URIRef(EX + n) for n in ("rex", "ball", "tom", "elsewhere")}
    restricted = restrict_targets(shapes, data, lambda node: node in contribution)
    assert _targets(restricted, "ByClass") == {EX + "rex"}  # through rdfs:subClassOf
    assert _targets(restricted, "BySubject") == {EX + "rex"}
    assert _targets(restricted, "ByObject") == {EX + "ball"}
    assert _targets(restricted, "ByNode") == {EX + "rex", EX + "elsewhere"}
    assert _targets(restricted, "Cat") == {EX + "tom"}  # implicit class target
    for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf):
        assert (None, predicate, None) not in restricted
    # Everything else of the shapes is kept as it was.
    assert len(list(restricted.objects(URIRef(EX + "ByClass"), SH.property))) == 1
