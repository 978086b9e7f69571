"""HTML documentation of a namespace: every term of the ontology, or every concept of a scheme,
with an anchor equal to its #fragment (or last path segment), fr/en labels and definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from publisher.web.resource_view import (
    DEFINITION_PREDICATES,
    LABEL_PREDICATES,
    Labeller,
    Link,
    curie,
    link_to,
    pick_literal,
)

Href = Callable[[str], str]

# (section key in i18n, the rdf:types that put a term in it); first match wins.
SECTIONS: tuple[tuple[str, frozenset[URIRef]], ...] = (
    ("classes", frozenset({OWL.Class, RDFS.Class})),
    ("object_properties", frozenset({OWL.ObjectProperty})),
    ("datatype_properties", frozenset({OWL.DatatypeProperty})),
    (
        "other_properties",
        frozenset(
            {
                RDF.Property,
                OWL.AnnotationProperty,
                OWL.SymmetricProperty,
                OWL.TransitiveProperty,
                OWL.FunctionalProperty,
            }
        ),
    ),
    ("datatypes", frozenset({RDFS.Datatype})),
    ("concepts", frozenset({SKOS.Concept})),
    ("schemes", frozenset({SKOS.ConceptScheme})),
)

# Relations shown under each term: (i18n key, predicate).
RELATIONS: tuple[tuple[str, URIRef], ...] = (
    ("subclass_of", RDFS.subClassOf),
    ("subproperty_of", RDFS.subPropertyOf),
    ("domain", RDFS.domain),
    ("range", RDFS.range),
    ("broader", SKOS.broader),
)


@dataclass(frozen=True)
class TermDoc:
    anchor: str
    iri: str
    href: str
    curie: str
    label: str
    label_fr: str | None
    label_en: str | None
    definition: str | None  # in the reader's language, else the best other one
    definition_other: str | None  # in the other language, when it exists
    notation: str | None
    relations: tuple[tuple[str, tuple[Link, ...]], ...]


@dataclass(frozen=True)
class TermIndex:
    sections: tuple[tuple[str, tuple[TermDoc, ...]], ...]

    @property
    def count(self) -> int:
        return sum(len(terms) for _, terms in self.sections)


def build_term_index(iri: str, graph: Graph, lang: str, href: Href) -> TermIndex | None:
    """The terms of the ontology or scheme `iri` found in `graph`, or None for other resources."""
    subject = URIRef(iri)
    types = set(graph.objects(subject, RDF.type))
    if OWL.Ontology in types:
        members = {
            s
            for s in graph.subjects()
            if isinstance(s, URIRef)
            and s != subject
            and (str(s).startswith(iri + "#") or (s, RDFS.isDefinedBy, subject) in graph)
        }
    elif SKOS.ConceptScheme in types:
        members = {s for s in graph.subjects(SKOS.inScheme, subject) if isinstance(s, URIRef)}
    else:
        return None
    labeller = Labeller([graph], lang)
    grouped: dict[str, list[TermDoc]] = {key: [] for key, _ in SECTIONS}
    for term in members:
        term_types = set(graph.objects(term, RDF.type))
        section = next((key for key, kinds in SECTIONS if term_types & kinds), None)
        if section is None:
            continue
        grouped[section].append(_term_doc(term, graph, labeller, href))
    return TermIndex(
        sections=tuple(
            (key, tuple(sorted(docs, key=lambda d: d.label.lower())))
            for key, docs in grouped.items()
            if docs
        )
    )


def _term_doc(term: URIRef, graph: Graph, labeller: Labeller, href: Href) -> TermDoc:
    text = str(term)
    anchor = text.rsplit("#", 1)[1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]
    relations = tuple(
        (
            key,
            tuple(
                link_to(o, labeller, href)
                for o in sorted(graph.objects(term, predicate))
                if isinstance(o, URIRef)
            ),
        )
        for key, predicate in RELATIONS
        if any(isinstance(o, URIRef) for o in graph.objects(term, predicate))
    )
    labels = [o for p in LABEL_PREDICATES for o in graph.objects(term, p) if isinstance(o, Literal)]
    definitions = [
        o for p in DEFINITION_PREDICATES for o in graph.objects(term, p) if isinstance(o, Literal)
    ]
    definition = pick_literal(definitions, labeller.lang)
    other_lang = "en" if labeller.lang == "fr" else "fr"
    other = _in(definitions, other_lang) if definition is not None else None
    if definition is not None and definition.language == other_lang:
        other = None
    notation = graph.value(term, SKOS.notation)
    return TermDoc(
        anchor=anchor,
        iri=text,
        href=href(text),
        curie=curie(text),
        label=labeller.label(term),
        label_fr=_in(labels, "fr"),
        label_en=_in(labels, "en"),
        definition=str(definition) if definition is not None else None,
        definition_other=other,
        notation=str(notation) if notation is not None else None,
        relations=relations,
    )


def _in(literals: list[Literal], lang: str) -> str | None:
    return next((str(lit) for lit in sorted(literals, key=str) if lit.language == lang), None)
