"""The SHACL validation report itself, in Turtle, with messages in French and English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.errors import InputError
from publisher.namespaces import PREFIXES, SH, bind_prefixes
from publisher.store.terms import to_oxigraph
from publisher.validation.paths import string_to_path
from publisher.validation.report import Report, Result
from publisher.validation.terms import parse_term

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

_SEVERITY = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}


def build_report_graph(report: Report) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for index, result in enumerate(report.results, start=1):
        graph.add((root, SH.result, _add_result(graph, result, f"r{index:06d}")))
    return graph


def _add_result(graph: Graph, result: Result, label: str) -> BNode:
    """One sh:ValidationResult, with its explanations as sh:detail; labels sort in order."""
    node = BNode(label)
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.resultSeverity, _SEVERITY[result.severity.value]))
    graph.add((node, SH.focusNode, parse_term(result.focus_node)))
    graph.add((node, SH.sourceConstraintComponent, URIRef(result.constraint_component)))
    graph.add((node, SH.sourceShape, parse_term(result.source_shape)))
    graph.add((node, SH.resultMessage, Literal(result.message_fr, lang="fr")))
    graph.add((node, SH.resultMessage, Literal(result.message_en, lang="en")))
    if result.path:
        graph.add((node, SH.resultPath, string_to_path(graph, result.path)))
    if result.value:
        graph.add((node, SH.value, parse_term(result.value)))
    for index, detail in enumerate(result.details, start=1):
        graph.add((node, SH.detail, _add_result(graph, detail, f"{label}d{index:03d}")))
    return node


def render_report(report: Report, options: RenderOptions) -> str:
    """Written by Oxigraph: rdflib's Turtle writer prints some literals in a short form that
    changes them (`"1"^^xsd:boolean` as `1`, an integer; `"none"^^xsd:boolean` as `none`,
    not Turtle), and sh:value must be the data's own term. Each node's triples are written
    together, the report first, then its results in order."""
    graph = build_report_graph(report)
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    iris |= {str(t.datatype) for _, _, t in graph if isinstance(t, Literal) and t.datatype}
    prefixes = {
        prefix: namespace
        for prefix, namespace in PREFIXES.items()
        if any(iri.startswith(namespace) for iri in iris)
    }
    triples = [
        ox.Triple(to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj))
        for subject in _subjects_in_order(graph)
        for predicate, obj in sorted(graph.predicate_objects(subject), key=_predicate_order)
    ]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def _subjects_in_order(graph: Graph) -> list[Node]:
    """The report node, then every blank node in the order it is reached (results are
    numbered in report order, see `build_report_graph`)."""
    [root] = graph.subjects(RDF.type, SH.ValidationReport)
    order = [root]
    seen = {root}
    for subject in order:
        for _, obj in sorted(graph.predicate_objects(subject), key=_predicate_order):
            if isinstance(obj, BNode) and obj not in seen and (obj, None, None) in graph:
                seen.add(obj)
                order.append(obj)
    return order


def _predicate_order(pair: tuple[Node, Node]) -> tuple[bool, str, str]:
    predicate, obj = pair
    return (predicate != RDF.type, str(predicate), str(obj))


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    # A SHACL report cannot say "unreadable": nothing goes to stdout, the CLI prints to stderr.
    return ""
