"""The SHACL validation report itself, in Turtle, with messages in French and English."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from publisher.errors import InputError
from publisher.namespaces import SH, bind_prefixes
from publisher.validation.literals import WEIRD_NUMBER_WARNING
from publisher.validation.paths import string_to_path
from publisher.validation.report import Report, Result

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

_SEVERITY = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}


def _node(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def build_report_graph(report: Report) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for result in report.results:
        graph.add((root, SH.result, _add_result(graph, result)))
    return graph


def _add_result(graph: Graph, result: Result) -> BNode:
    """One sh:ValidationResult, with its explanations as sh:detail."""
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.resultSeverity, _SEVERITY[result.severity.value]))
    graph.add((node, SH.focusNode, _node(result.focus_node)))
    graph.add((node, SH.sourceConstraintComponent, URIRef(result.constraint_component)))
    graph.add((node, SH.sourceShape, _node(result.source_shape)))
    graph.add((node, SH.resultMessage, Literal(result.message_fr, lang="fr")))
    graph.add((node, SH.resultMessage, Literal(result.message_en, lang="en")))
    if result.path:
        graph.add((node, SH.resultPath, string_to_path(graph, result.path)))
    if result.value:
        value = (
            from_n3(result.value) if not result.value.startswith("_:") else BNode(result.value[2:])
        )
        graph.add((node, SH.value, value))
    for detail in result.details:
        graph.add((node, SH.detail, _add_result(graph, detail)))
    return node


def render_report(report: Report, options: RenderOptions) -> str:
    with warnings.catch_warnings():
        # An ill-typed number in sh:value is written as is; the report already says it is
        # ill-typed, rdflib's warning would only add noise on stderr.
        warnings.filterwarnings("ignore", message=WEIRD_NUMBER_WARNING)
        return build_report_graph(report).serialize(format="turtle")


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    # A SHACL report cannot say "unreadable": nothing goes to stdout, the CLI prints to stderr.
    return ""
