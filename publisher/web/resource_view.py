"""Turn a resource's RDF description into what its HTML page shows: labels in the reader's
language, properties grouped and labelled, links rewritten to the serving host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from publisher.namespaces import AICT, GEO, PREFIXES, SCHEMA

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, FOAF.name, DCTERMS.title)
DEFINITION_PREDICATES = (SKOS.definition, RDFS.comment, DCTERMS.description)
# Shown first, in this order; the remaining properties follow sorted by their label.
LEADING_PREDICATES = (*LABEL_PREDICATES, SKOS.altLabel, *DEFINITION_PREDICATES)

AUTHORITY_TYPES = frozenset(
    {AICT.LocalAuthority, AICT.FrenchLocalAuthority, AICT.PartnerLocalAuthority}
)

Href = Callable[[str], str]  # canonical IRI -> URL to link to


@dataclass(frozen=True)
class Link:
    iri: str
    href: str
    label: str


@dataclass(frozen=True)
class Value:
    text: str
    link: Link | None = None
    lang: str | None = None
    datatype: str | None = None
    nested: tuple[tuple[Link, tuple[Value, ...]], ...] = ()


@dataclass(frozen=True)
class PropertyRow:
    predicate: Link
    values: tuple[Value, ...]


@dataclass
class ResourceView:
    iri: str
    url: str
    title: str
    description: str | None
    kind: str
    types: list[Link]
    properties: list[PropertyRow]
    incoming: list[tuple[Link, Link]]


def curie(iri: str) -> str:
    """'http://purl.org/dc/terms/spatial' -> 'dct:spatial'; the IRI when no prefix fits."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and len(iri) > len(PREFIXES[best]):
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return iri


def local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            tail = iri.rsplit(separator, 1)[1]
            if tail:
                return tail
    return iri


def pick_literal(literals: Iterable[Literal], lang: str) -> Literal | None:
    """The literal in the reader's language, else French, else English, else untagged, else any."""
    by_lang: dict[str | None, Literal] = {}
    for literal in sorted(literals, key=str):
        by_lang.setdefault(literal.language, literal)
    for wanted in (lang, "fr", "en", None):
        if wanted in by_lang:
            return by_lang[wanted]
    return next(iter(by_lang.values()), None)


class Labeller:
    """Labels of IRIs from the description and any extra label graph, in one language."""

    def __init__(
        self,
        graphs: Iterable[Graph],
        lang: str,
        fallback: Mapping[str, str] | None = None,
        own_base: str | None = None,
    ) -> None:
        self.lang = lang
        self._fallback = fallback or {}
        self._own_base = own_base
        self._literals: dict[Node, list[Literal]] = {}
        self._definitions: dict[Node, list[Literal]] = {}
        for graph in graphs:
            for predicate in LABEL_PREDICATES:
                for subject, obj in graph.subject_objects(predicate):
                    if isinstance(obj, Literal):
                        self._literals.setdefault(subject, []).append(obj)
            for predicate in DEFINITION_PREDICATES:
                for subject, obj in graph.subject_objects(predicate):
                    if isinstance(obj, Literal):
                        self._definitions.setdefault(subject, []).append(obj)

    def has_label(self, node: Node) -> bool:
        return node in self._literals or str(node) in self._fallback

    def label(self, node: Node) -> str:
        literal = pick_literal(self._literals.get(node, ()), self.lang)
        if literal is not None:
            return str(literal)
        if not isinstance(node, URIRef):
            return str(node)
        text = str(node)
        if text in self._fallback:
            return self._fallback[text]
        if self._own_base and text.startswith(self._own_base) and len(text) > len(self._own_base):
            return text[len(self._own_base) :]  # e.g. 'id/partnership/commune-21231--de-mainz'
        return curie(text)

    def label_in(self, node: Node, lang: str) -> str | None:
        for literal in self._literals.get(node, ()):
            if literal.language == lang:
                return str(literal)
        return None

    def definition(self, node: Node) -> str | None:
        literal = pick_literal(self._definitions.get(node, ()), self.lang)
        return str(literal) if literal is not None else None


def build_resource_view(
    iri: str, graph: Graph, labeller: Labeller, href: Href, url: str
) -> ResourceView:
    subject = URIRef(iri)
    types = sorted(
        (o for o in graph.objects(subject, RDF.type) if isinstance(o, URIRef)),
        key=labeller.label,
    )
    located = graph.value(subject, GEO.lat) is not None
    return ResourceView(
        iri=iri,
        url=url,
        title=labeller.label(subject) if labeller.has_label(subject) else local_name(iri),
        description=labeller.definition(subject),
        kind=resource_kind(set(types), located),
        types=[link_to(t, labeller, href) for t in types],
        properties=_property_rows(graph, subject, labeller, href),
        incoming=_incoming(graph, subject, labeller, href),
    )


def resource_kind(types: set[Node], located: bool) -> str:
    if OWL.Ontology in types:
        return "ontology"
    if SKOS.ConceptScheme in types:
        return "scheme"
    if types & AUTHORITY_TYPES:
        return "authority"
    if AICT.Partnership in types:
        return "partnership"
    if AICT.Action in types:
        return "action"
    if SKOS.Concept in types:
        return "concept"
    if types & {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}:
        return "term"
    return "authority" if located else "resource"


def link_to(node: URIRef, labeller: Labeller, href: Href) -> Link:
    return Link(iri=str(node), href=href(str(node)), label=labeller.label(node))


def _property_rows(
    graph: Graph, subject: URIRef, labeller: Labeller, href: Href
) -> list[PropertyRow]:
    predicates = {p for p in graph.predicates(subject) if p != RDF.type}
    leading = [p for p in LEADING_PREDICATES if p in predicates]
    rest = sorted(predicates - set(leading), key=lambda p: labeller.label(p).lower())
    rows = []
    for predicate in [*leading, *rest]:
        values = _values(graph, list(graph.objects(subject, predicate)), labeller, href, depth=0)
        if values:
            rows.append(PropertyRow(link_to(predicate, labeller, href), values))
    return rows


def _values(
    graph: Graph, objects: list[Node], labeller: Labeller, href: Href, depth: int
) -> tuple[Value, ...]:
    literals = [o for o in objects if isinstance(o, Literal)]
    tagged = [lit for lit in literals if lit.language]
    # Several languages of one text: keep the reader's (or the best fallback) only.
    if tagged and len({lit.language for lit in tagged}) > 1:
        best = pick_literal(tagged, labeller.lang)
        keep_lang = best.language if best is not None else None
        literals = [lit for lit in literals if not lit.language or lit.language == keep_lang]
    values: list[Value] = [_literal_value(lit) for lit in sorted(literals, key=str)]
    iris = sorted((o for o in objects if isinstance(o, URIRef)), key=labeller.label)
    values.extend(Value(text=labeller.label(o), link=link_to(o, labeller, href)) for o in iris)
    for node in (o for o in objects if isinstance(o, BNode)):
        values.append(_nested_value(graph, node, labeller, href, depth))
    return tuple(values)


def _nested_value(graph: Graph, node: BNode, labeller: Labeller, href: Href, depth: int) -> Value:
    """A blank node (period of time, amount, association) shown inline with its properties."""
    if depth >= 2:
        return Value(text="…")
    rows = []
    for predicate in sorted(set(graph.predicates(node)), key=labeller.label):
        objects = list(graph.objects(node, predicate))
        rows.append(
            (link_to(predicate, labeller, href), _values(graph, objects, labeller, href, depth + 1))
        )
    return Value(text="", nested=tuple(rows))


def _literal_value(literal: Literal) -> Value:
    datatype = literal.datatype
    shown_type = None if datatype in (None, XSD.string, RDF.langString) else curie(str(datatype))
    return Value(text=str(literal), lang=literal.language, datatype=shown_type)


def _incoming(
    graph: Graph, subject: URIRef, labeller: Labeller, href: Href
) -> list[tuple[Link, Link]]:
    rows = [
        (link_to(s, labeller, href), link_to(p, labeller, href))
        for s, p in graph.subject_predicates(subject)
        if isinstance(s, URIRef) and s != subject
    ]
    return sorted(rows, key=lambda row: (row[1].label.lower(), row[0].label.lower()))
