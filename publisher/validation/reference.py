"""The reference data a contribution may point at (ontology, vocabularies, published dataset),
loaded once with pyoxigraph, and the part of it the shapes can reach from a contribution."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from publisher.config import DATASET_DIR, ONTOLOGY_DIR, VOCABULARIES_DIR
from publisher.errors import InputError
from publisher.uris import mint_graph
from publisher.validation.parsing import to_rdflib

_REFERENCE_BNODES = "ref"
_RDF_TYPE = str(RDF.type)


def reference_files() -> list[tuple[Path, str]]:
    """(file, named graph) pairs of the bundled reference data that exist on disk."""
    pairs: list[tuple[Path, str]] = []
    ontology = ONTOLOGY_DIR / "aict.ttl"
    if ontology.is_file():
        pairs.append((ontology, str(mint_graph("ontology"))))
    for path in sorted(VOCABULARIES_DIR.glob("*.ttl")):
        pairs.append((path, str(mint_graph(f"vocab-{path.stem}"))))
    for path in sorted(DATASET_DIR.glob("*.ttl")):
        pairs.append((path, str(mint_graph(path.stem))))
    return pairs


@dataclass
class ReferenceData:
    """An in-memory Oxigraph store of the reference files, with the class hierarchy cached."""

    store: ox.Store
    files: tuple[Path, ...]
    hierarchy: Graph
    # bundled files left out because they are being validated: still published data
    left_out: tuple[Path, ...] = ()
    _terms: frozenset[str] | None = None
    _defined: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.store)

    def defined(self, namespaces: tuple[str, ...]) -> frozenset[str]:
        """The IRIs under `namespaces` that the reference data describes (for our ontology
        and vocabulary namespaces: the terms they define); computed once per namespaces."""
        if namespaces not in self._defined:
            filters = " || ".join(f"STRSTARTS(STR(?s), {json.dumps(ns)})" for ns in namespaces)
            query = f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({filters}) }}"
            found = {row["s"].value for row in self.store.query(query)}
            found.update(
                quad.subject.value
                for quad in self._left_out_quads()
                if isinstance(quad.subject, ox.NamedNode)
                and quad.subject.value.startswith(namespaces)
            )
            self._defined[namespaces] = frozenset(found)
        return self._defined[namespaces]

    def terms(self) -> frozenset[str]:
        """Every predicate and class the bundled data uses, including the files left out
        (computed once)."""
        if self._terms is None:
            found = {
                row["t"].value
                for row in self.store.query(
                    "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } } }"
                )
            }
            for quad in self._left_out_quads():
                found.add(quad.predicate.value)
                if quad.predicate.value == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
                    found.add(quad.object.value)
            self._terms = frozenset(found)
        return self._terms

    def _left_out_quads(self) -> Iterable[ox.Quad]:
        for path in self.left_out:
            yield from ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)

    def describes(self, node: Node) -> bool:
        """True when the reference data has triples about `node` (as a subject)."""
        if not isinstance(node, URIRef):
            return False
        return (
            next(iter(self.store.quads_for_pattern(ox.NamedNode(str(node)), None, None)), None)
            is not None
        )

    def reachable(
        self,
        seeds: Iterable[Node],
        depth: int,
        predicates: Collection[str] | None = None,
        into: Graph | None = None,
    ) -> Graph:
        """The triples of the seeds and of the nodes they link to, `depth` links deep, keeping
        only `predicates` when given (those the shapes read); rdf:type objects are not followed
        (the class hierarchy is added whole instead). Added to `into` when given."""
        graph = Graph() if into is None else into
        frontier = {ox.NamedNode(str(s)) for s in seeds if isinstance(s, URIRef)}
        seen = set(frontier)
        for _ in range(depth):
            following: set[ox.NamedNode | ox.BlankNode] = set()
            for node in frontier:
                for quad in self.store.quads_for_pattern(node, None, None):
                    if predicates is not None and quad.predicate.value not in predicates:
                        continue
                    graph.add(_triple(quad))
                    target = quad.object
                    if (
                        isinstance(target, (ox.NamedNode, ox.BlankNode))
                        and quad.predicate.value != str(RDF.type)
                        and target not in seen
                    ):
                        seen.add(target)
                        following.add(target)
            frontier = following
            if not frontier:
                break
        graph += self.hierarchy
        return graph


def _triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    return (
        to_rdflib(quad.subject, _REFERENCE_BNODES),
        to_rdflib(quad.predicate),
        to_rdflib(quad.object, _REFERENCE_BNODES),
    )


_cache: dict[tuple, ReferenceData] = {}


def load_reference(exclude: Iterable[Path] = ()) -> ReferenceData:
    """The reference data minus the files being validated (so that validating the dataset
    itself does not count its blank nodes twice); cached while the files are unchanged."""
    excluded = {p.resolve() for p in exclude}
    every = reference_files()
    pairs = [(p, g) for p, g in every if p.resolve() not in excluded]
    left_out = tuple(p for p, _ in every if p.resolve() in excluded)
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p, _ in pairs)
    key += tuple(str(p) for p in left_out)
    if key not in _cache:
        _cache.clear()
        _cache[key] = _build(pairs, left_out)
    return _cache[key]


def _build(pairs: list[tuple[Path, str]], left_out: tuple[Path, ...]) -> ReferenceData:
    store = ox.Store()
    for path, graph_name in pairs:
        try:
            store.bulk_load(
                path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph_name)
            )
        except (SyntaxError, OSError) as exc:
            # The bundled data is ours: a broken file is a bug to report, with its position.
            raise InputError(f"reference data cannot be loaded: {exc}", file=str(path)) from None
    hierarchy = Graph()
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None):
        hierarchy.add(_triple(quad))
    return ReferenceData(store, tuple(p for p, _ in pairs), hierarchy, left_out)
