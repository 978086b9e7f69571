"""The reference data a contribution may point at (ontology, vocabularies, published dataset),
loaded once with pyoxigraph, and the part of it the shapes can reach from a contribution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from publisher.config import DATASET_DIR, ONTOLOGY_DIR, VOCABULARIES_DIR
from publisher.errors import InputError
from publisher.uris import mint_graph
from publisher.validation.parsing import to_rdflib

_REFERENCE_BNODES = "ref"


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

    def __len__(self) -> int:
        return len(self.store)

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
        predicates: set[str] | None = None,
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
    pairs = [(p, g) for p, g in reference_files() if p.resolve() not in excluded]
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p, _ in pairs)
    if key not in _cache:
        _cache.clear()
        _cache[key] = _build(pairs)
    return _cache[key]


def _build(pairs: list[tuple[Path, str]]) -> ReferenceData:
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
    return ReferenceData(store, tuple(p for p, _ in pairs), hierarchy)
