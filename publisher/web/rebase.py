"""Rewriting the canonical base of IRIs to the serving host, term by term.

Only IRIs (subjects, predicates, objects, namespace bindings) change; literals are never
touched, so a description whose text quotes the canonical base stays exact.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node


def rebase_term(term: Node, canonical: str, public: str) -> Node:
    if isinstance(term, URIRef) and str(term).startswith(canonical):
        return URIRef(public + str(term)[len(canonical) :])
    return term


def rebase_graph(graph: Graph, canonical: str, public: str) -> Graph:
    """A copy of `graph` with every IRI under `canonical` moved under `public`."""
    if canonical == public:
        return graph
    rebased = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        rebased.bind(prefix, rebase_term(URIRef(namespace), canonical, public), override=True)
    for s, p, o in graph:
        rebased.add(
            (
                rebase_term(s, canonical, public),
                rebase_term(p, canonical, public),
                rebase_term(o, canonical, public),
            )
        )
    return rebased


def rebase_iri(iri: str, canonical: str, public: str) -> str:
    return public + iri[len(canonical) :] if iri.startswith(canonical) else iri
