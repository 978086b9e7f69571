"""Deterministic Turtle: subjects, predicates and objects sorted, no blank nodes, fixed
prefixes, so that rebuilding the same data gives byte-identical files."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, NamespaceManager

from publisher.errors import AictError
from publisher.namespaces import PREFIXES


def serialize_turtle(graph: Graph, header: str = "") -> str:
    """Only the prefixes the data uses are declared, so a prefix added to the project for
    another purpose does not change the bytes of the dataset."""
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in sorted(PREFIXES.items()):
        names.bind(prefix, iri, override=True, replace=True)
    used: set[str] = set()
    body: list[str] = []
    for subject in sorted(set(graph.subjects()), key=_sort_key):
        body.append("")
        body.append(_term(subject, names, used))
        predicates = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, str(p)))
        for p_index, predicate in enumerate(predicates):
            objects = sorted(graph.objects(subject, predicate), key=_sort_key)
            verb = "a" if predicate == RDF.type else _term(predicate, names, used)
            rendered = ", ".join(_term(o, names, used) for o in objects)
            end = " ." if p_index == len(predicates) - 1 else " ;"
            body.append(f"    {verb} {rendered}{end}")
    lines = [f"# {text}" for text in header.splitlines()]
    lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(used)]
    return "\n".join(lines + body) + "\n"


def _term(term, names: NamespaceManager, used: set[str]) -> str:
    if isinstance(term, BNode):
        raise AictError("blank nodes are not written: give every node an IRI")
    text = term.n3(names)
    qname = text.rsplit("^^", 1)[1] if isinstance(term, Literal) and term.datatype else text
    if isinstance(term, (URIRef, Literal)) and qname and not qname.startswith(("<", '"')):
        used.add(qname.split(":", 1)[0])
    return text


def _sort_key(term) -> tuple:
    if isinstance(term, Literal):
        return (1, str(term), term.language or "", str(term.datatype or ""))
    return (0 if isinstance(term, URIRef) else 2, str(term), "", "")
