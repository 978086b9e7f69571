"""The concepts a template cell may name, read from the SKOS files of ontology/vocabularies/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from publisher.config import VOCABULARIES_DIR
from publisher.importer.names import normalise
from publisher.uris import mint_scheme


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    notation: str
    label_fr: str
    label_en: str
    broader: tuple[URIRef, ...] = ()


@cache
def concepts(scheme: str, folder: Path = VOCABULARIES_DIR) -> tuple[Concept, ...]:
    """The concepts of one scheme in the file's order of notations (stable, as published)."""
    graph = Graph()
    graph.parse(folder / f"{scheme}.ttl", format="turtle")
    found = []
    for iri in graph.subjects(SKOS.inScheme, mint_scheme(scheme)):
        labels = {
            label.language: str(label)
            for label in graph.objects(iri, SKOS.prefLabel)
            if label.language in ("fr", "en")
        }
        notations = [str(n) for n in graph.objects(iri, SKOS.notation) if n.datatype is None]
        found.append(
            Concept(
                iri=URIRef(iri),
                notation=notations[0] if notations else str(iri).rsplit("/", 1)[1],
                label_fr=labels.get("fr", ""),
                label_en=labels.get("en", labels.get("fr", "")),
                broader=tuple(sorted(URIRef(b) for b in graph.objects(iri, SKOS.broader))),
            )
        )
    return tuple(sorted(found, key=lambda c: normalise(c.label_fr)))
