"""Rewriting the canonical base of IRIs to the serving host, term by term.

Only IRIs (subjects, predicates, objects, namespace bindings) change; literals are never
touched, so a description whose text quotes the canonical base stays exact.

The terms of our ontology (`…/ontology#Term`) are the exception: they keep their canonical
IRIs in every representation, as the SPARQL endpoint, the dumps and every other copy of the
data name them, so an `aict:` prefix copied from a page works in a query. The resources
themselves (`/id/…`, `/vocab/…`, the ontology document) are served under this host.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

TERMS = "ontology#"  # under the canonical base


def rebase_iri(iri: str, canonical: str, public: str) -> str:
    if canonical == public or not iri.startswith(canonical):
        return iri
    rest = iri[len(canonical) :]
    return iri if rest.startswith(TERMS) else public + rest


def rebase_term(term: Node, canonical: str, public: str) -> Node:
    if isinstance(term, URIRef):
        rebased = rebase_iri(str(term), canonical, public)
        return term if rebased == str(term) else URIRef(rebased)
    return term


def rebase_graph(graph: Graph, canonical: str, public: str) -> Graph:
    """A copy of `graph` with every IRI under `canonical` but the terms moved under `public`."""
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
