"""What the shapes tests share: our shapes graph, the reference data (ontology, vocabularies,
bundled dataset) loaded once per session, and one pySHACL run over the dataset plus every
worked example. Plain pySHACL on purpose: these tests check the shapes and the data, not
the validator built on top of them (tests of `aict validate` live with the validator)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.config import (
    DATASET_DIR,
    EXAMPLES_DIR,
    ONTOLOGY_DIR,
    SHAPES_DIR,
    VOCABULARIES_DIR,
    Settings,
)
from publisher.namespaces import SH
from publisher.store import open_store

SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
EXAMPLE_FILES = sorted(EXAMPLES_DIR.glob("*.ttl"))
DATASET_FILES = sorted(DATASET_DIR.glob("*.ttl")) if DATASET_DIR.is_dir() else []
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
MODEL_FILES = [ONTOLOGY_DIR / "aict.ttl", *sorted(VOCABULARIES_DIR.glob("*.ttl"))]


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, reduced to what a test compares."""

    focus: Node
    path: Node | None
    component: str  # local name, e.g. "MinCountConstraintComponent"
    shape: Node
    severity: str  # "Violation", "Warning" or "Info"
    value: Node | None
    messages: dict[str, str]  # language -> text


def read_turtle(paths: Iterable[Path], into: Graph | None = None) -> Graph:
    """Parse Turtle with pyoxigraph (fast, strict, positions in errors) into an rdflib graph,
    the form pySHACL takes. Blank nodes are kept apart per file."""
    graph = into if into is not None else Graph()
    for index, path in enumerate(paths):
        quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        add_quads(graph, quads, f"f{index}-")
    return graph


def add_quads(graph: Graph, quads: Iterable[ox.Quad | ox.Triple], bnode_prefix: str) -> Graph:
    """Add pyoxigraph triples or quads to `graph` (graph names dropped: the union, as the
    SPARQL default graph), blank nodes labelled `bnode_prefix` + their label."""
    iris: dict[str, URIRef] = {}

    def term(node: object) -> Node:
        if isinstance(node, ox.NamedNode):
            found = iris.get(node.value)
            if found is None:
                found = iris[node.value] = URIRef(node.value)
            return found
        if isinstance(node, ox.BlankNode):
            return BNode(bnode_prefix + node.value)
        assert isinstance(node, ox.Literal)
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == _XSD_STRING:  # rdflib writes xsd:string as plain
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))

    for quad in quads:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


@cache
def shapes_graph() -> Graph:
    return read_turtle(SHAPE_FILES)


@cache
def model_graph() -> Graph:
    """Ontology and vocabularies: small, and needed by every validation (class hierarchy,
    concepts and their schemes)."""
    return read_turtle(MODEL_FILES)


@cache
def reference_graph() -> Graph:
    """Ontology, vocabularies and the bundled dataset as users receive them: loaded into the
    store `aict serve` publishes from, and read back from its N-Quads dump (the file behind
    /dumps/aict.nq). The store may write a literal otherwise than the files do (Oxigraph keeps
    numbers as values, derived integer types as xsd:integer): what is validated here is what
    is served."""
    store = open_store(Settings())
    try:
        dump = store.dump("nq")
    finally:
        store.close()
    return add_quads(Graph(), ox.parse(dump, format=ox.RdfFormat.N_QUADS), "dump-")


@cache
def built_graph() -> Graph:
    """The same files as read from disk, before the store."""
    return read_turtle([*MODEL_FILES, *DATASET_FILES])


def validate(data: Graph) -> list[Result]:
    """pySHACL with our shapes, no inference (the class hierarchy is in the ontology)."""
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        do_owl_imports=False,
    )
    return [_result(report, node) for node in report.subjects(RDF.type, SH.ValidationResult)]


def _result(report: Graph, node: Node) -> Result:
    messages = {
        m.language or "": str(m)
        for m in report.objects(node, SH.resultMessage)
        if isinstance(m, Literal)
    }
    return Result(
        focus=report.value(node, SH.focusNode),
        path=report.value(node, SH.resultPath),
        component=str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
        shape=report.value(node, SH.sourceShape),
        severity=str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
        value=report.value(node, SH.value),
        messages=messages,
    )


@cache
def example_graphs() -> dict[str, Graph]:
    return {path.name: read_turtle([path]) for path in EXAMPLE_FILES}


@cache
def dataset_and_examples_results() -> tuple[Result, ...]:
    """One validation of the reference data plus every example: the examples point at one
    another (a grant funds an action of another file) and at the dataset, and a second run
    over the 120k-triple dataset would double the cost of the suite."""
    data = Graph()
    data += reference_graph()
    for graph in example_graphs().values():
        data += graph
    return tuple(validate(data))


def neighbourhood(graph: Graph) -> Graph:
    """`graph` plus the ontology, the vocabularies and the reference triples about every IRI
    it mentions: what the shapes read about the nodes of `graph` (its results are the ones
    to look at), without validating the whole dataset again."""
    data = Graph()
    data += graph
    data += model_graph()
    reference = reference_graph()
    mentioned = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    for node in mentioned:
        for triple in reference.triples((node, None, None)):
            data.add(triple)
    return data


def siren_pattern_module() -> ModuleType:
    """shapes/siren_pattern.py, the generator of the SIREN check-digit pattern."""
    spec = importlib.util.spec_from_file_location("siren_pattern", SHAPES_DIR / "siren_pattern.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
