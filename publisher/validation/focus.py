"""Restricting validation to the contribution without losing checks.

pySHACL's `focus_nodes` option also filters the value nodes of sh:node checks (and drops blank
nodes), so it cannot be used. Instead each shape's targets are resolved here, as SHACL defines
them, and replaced by explicit sh:targetNode triples for the focus nodes that belong to the
contribution: the engines then never evaluate reference nodes as focus nodes, while sh:node and
sh:class checks still read the reference data. Works the same for every engine."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Graph
from rdflib.term import Node

from publisher.namespaces import SH

TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)
_CLASS_TYPES = (RDFS.Class, OWL.Class)


def restrict_targets(shapes: Graph, data: Graph, keep: Callable[[Node], bool]) -> Graph:
    """A copy of `shapes` whose targets are the kept focus nodes, listed one by one."""
    untargeted, targeted = _without_targets(shapes)
    restricted = Graph()
    restricted += untargeted
    for shape, implicit in targeted:
        for focus in _focus_nodes(shapes, data, shape, implicit):
            if keep(focus):
                restricted.add((shape, SH.targetNode, focus))
    return restricted


@lru_cache(maxsize=8)
def _without_targets(shapes: Graph) -> tuple[Graph, tuple[tuple[Node, bool], ...]]:
    """The shapes minus their targets (implicit class targets included), and the shapes that
    had targets, each with whether it is an implicit class target; computed once per shapes
    graph (load_shapes shares one per set of files)."""
    implicit = {
        s
        for cls in _CLASS_TYPES
        for s in shapes.subjects(RDF.type, cls)
        if any((s, RDF.type, t) in shapes for t in _SHAPE_TYPES)
    }
    untargeted = Graph()
    for triple in shapes:
        subject, predicate, obj = triple
        if predicate in TARGET_PREDICATES:
            continue
        if subject in implicit and predicate == RDF.type and obj in _CLASS_TYPES:
            continue
        untargeted.add(triple)
    shaped = {s for s, _, _ in shapes.triples((None, None, None)) if _has_target(shapes, s)}
    targeted = tuple((shape, shape in implicit) for shape in sorted(shaped | implicit, key=str))
    return untargeted, targeted


def _has_target(shapes: Graph, shape: Node) -> bool:
    return any((shape, p, None) in shapes for p in TARGET_PREDICATES)


def _focus_nodes(shapes: Graph, data: Graph, shape: Node, implicit: bool) -> set[Node]:
    focus: set[Node] = set(shapes.objects(shape, SH.targetNode))
    classes = set(shapes.objects(shape, SH.targetClass))
    if implicit:
        classes.add(shape)
    for cls in classes:
        for subclass in data.transitive_subjects(RDFS.subClassOf, cls):
            focus.update(data.subjects(RDF.type, subclass))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        focus.update(data.subjects(predicate, None))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        focus.update(data.objects(None, predicate))
    return focus
