"""Deterministic Turtle: subjects, predicates and objects sorted, no blank nodes, fixed
prefixes, so that rebuilding the same data gives byte-identical files."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, NamespaceManager

from publisher.errors import AictError
from publisher.namespaces import PREFIXES


def serialize_turtle(graph: Graph, header: str = "") -> str:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in sorted(PREFIXES.items()):
        names.bind(prefix, iri, override=True, replace=True)
    lines = [f"# {text}" for text in header.splitlines()]
    lines += [f"@prefix {p}: <{iri}> ." for p, iri in sorted(PREFIXES.items())]
    for subject in sorted(set(graph.subjects()), key=_sort_key):
        if isinstance(subject, BNode):
            raise AictError("blank nodes are not written: give every node an IRI")
        lines.append("")
        lines.append(subject.n3(names))
        predicates = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, str(p)))
        for p_index, predicate in enumerate(predicates):
            objects = sorted(graph.objects(subject, predicate), key=_sort_key)
            verb = "a" if predicate == RDF.type else predicate.n3(names)
            rendered = ", ".join(_object(o, names) for o in objects)
            end = " ." if p_index == len(predicates) - 1 else " ;"
            lines.append(f"    {verb} {rendered}{end}")
    return "\n".join(lines) + "\n"


def _object(term, names: NamespaceManager) -> str:
    if isinstance(term, BNode):
        raise AictError("blank nodes are not written: give every node an IRI")
    return term.n3(names)


def _sort_key(term) -> tuple:
    if isinstance(term, Literal):
        return (1, str(term), term.language or "", str(term.datatype or ""))
    return (0 if isinstance(term, URIRef) else 2, str(term), "", "")
