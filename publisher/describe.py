"""A resource's description: what the publisher answers when one of our IRIs is dereferenced.

It holds the resource's own statements (with the blank nodes they lead to, two levels deep),
the labels of every IRI it points at, and one page of its incoming links with the labels of
their subjects. Hubs such as a country have thousands of incoming links, so those come in pages
of `page_size`, ordered by subject then predicate so pages are stable. Incoming links from
blank nodes are left out: nobody can dereference them.

The ontology and each vocabulary scheme are served as documents: their whole named graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from publisher.errors import NotFound
from publisher.namespaces import (
    DATASET_IRI,
    GRAPH_BASE,
    ONTOLOGY_IRI,
    SD,
    VOCAB_BASE,
    VOID,
    bind_prefixes,
)
from publisher.uris import mint_graph

# Own statements are bounded too, so that a malformed dataset cannot make one page huge.
MAX_OWN_STATEMENTS = 5000

_OWN = Template("""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s ?p ?o . ?o ?lp ?l }
WHERE {
  {
    { BIND($iri AS ?s) ?s ?p ?o }
    UNION { $iri ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
    UNION { $iri ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
  }
  OPTIONAL {
    FILTER(isIRI(?o) && ?o != $iri)
    VALUES ?lp { rdfs:label skos:prefLabel }
    ?o ?lp ?l
  }
}
LIMIT $limit
""")

_INCOMING = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?p ?lp ?l
WHERE {
  {
    SELECT DISTINCT ?s ?p WHERE { ?s ?p %s . FILTER(!isBlank(?s)) }
    ORDER BY ?s ?p LIMIT %d OFFSET %d
  }
  OPTIONAL { VALUES ?lp { rdfs:label skos:prefLabel } ?s ?lp ?l }
}
"""

_DOCUMENT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH %s { ?s ?p ?o } } LIMIT %d"
_GRAPH_SIZE = "SELECT (COUNT(*) AS ?triples) WHERE { GRAPH %s { ?s ?p ?o } }"


@dataclass(frozen=True)
class Description:
    """A page of a resource's description."""

    iri: str
    graph: Graph
    page: int
    page_size: int
    has_more: bool


class _Queries(Protocol):
    """The part of publisher.store.Store this module needs (store/interface.py imports this)."""

    def select(self, query: str, **bindings: Node) -> list[dict[str, Node]]: ...

    def construct(self, query: str, **bindings: Node) -> Graph: ...


def build_description(
    store: _Queries, iri: str, *, page: int = 1, page_size: int = 100
) -> Description:
    """The description of `iri` (canonical), page `page` of its incoming links.

    Raises NotFound when the store says nothing about it, or the page is past the last one.
    """
    if page < 1:
        raise NotFound(f"no page {page}", message_fr=f"pas de page {page}")
    subject = URIRef(iri)
    document = _document_graph(iri)
    if document is not None and page == 1:
        graph = store.construct(_DOCUMENT % (sparql_iri(document), MAX_OWN_STATEMENTS))
        if len(graph):
            bind_prefixes(graph)
            return Description(iri, graph, page, page_size, has_more=False)

    graph = store.construct(_OWN.substitute(iri=sparql_iri(iri), limit=MAX_OWN_STATEMENTS))
    # pyoxigraph binds variables only at the top level of a query, so the IRI goes in the
    # text, checked by sparql_iri first.
    incoming = _INCOMING % (sparql_iri(iri), page_size + 1, (page - 1) * page_size)
    rows = store.select(incoming)
    links = sorted(
        {(row["s"], row["p"]) for row in rows}, key=lambda link: (str(link[0]), str(link[1]))
    )
    has_more = len(links) > page_size
    kept = set(links[:page_size])
    for source, predicate in kept:
        graph.add((source, predicate, subject))
    for row in rows:
        if (row["s"], row["p"]) in kept and "l" in row:
            graph.add((row["s"], row["lp"], row["l"]))
    if iri.startswith(GRAPH_BASE) and page == 1:
        _describe_named_graph(store, iri, graph)
    if not len(graph) or (page > 1 and not kept):
        raise NotFound(
            f"nothing is known about {iri}" + (f" on page {page}" if page > 1 else ""),
            message_fr=f"aucune description de {iri}" + (f" en page {page}" if page > 1 else ""),
        )
    bind_prefixes(graph)
    return Description(iri, graph, page, page_size, has_more)


def _describe_named_graph(store: _Queries, iri: str, graph: Graph) -> None:
    """What a named graph of the store is: a part of the dataset, with its size."""
    rows = store.select(_GRAPH_SIZE % sparql_iri(iri))
    triples = int(rows[0]["triples"]) if rows else 0
    if triples:
        subject, dataset = URIRef(iri), URIRef(DATASET_IRI)
        graph.add((subject, RDF.type, SD.NamedGraph))
        graph.add((subject, RDF.type, VOID.Dataset))
        graph.add((subject, VOID.triples, Literal(triples, datatype=XSD.integer)))
        graph.add((dataset, VOID.subset, subject))


def sparql_iri(iri: str) -> str:
    """`<iri>` for a query text; refuses anything that is not an absolute IRI."""
    try:
        return f"<{ox.NamedNode(iri).value}>"
    except ValueError:
        raise NotFound(f"not an IRI: {iri!r}", message_fr=f"pas une IRI : {iri!r}") from None


def _document_graph(iri: str) -> str | None:
    """The named graph served whole for the ontology and for a vocabulary scheme."""
    if iri == ONTOLOGY_IRI:
        return str(mint_graph("ontology"))
    if iri.startswith(VOCAB_BASE):
        scheme = iri[len(VOCAB_BASE) :]
        if scheme and "/" not in scheme:
            return str(mint_graph(f"vocab-{scheme}"))
    return None
