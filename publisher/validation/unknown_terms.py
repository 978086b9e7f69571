"""Terms nobody defined: typos in our namespaces, and classes or properties no rule knows.

SHACL is silent about a triple no shape reads: `a aict:Acton` or `aict:leadAuthorty` conform,
and the record silently loses its type or its lead authority. So, besides the shapes:
- any IRI in our ontology or vocabulary namespaces that the ontology and vocabularies do not
  define is a violation, with the closest defined term as a suggestion ("did you mean
  aict:Action?");
- any other class or property of a record (a node under our `id/` base, typed with a class
  we know, or a blank node one of those points to) that neither the shapes, the ontology,
  the vocabularies nor the published data use is a warning: often a typo too.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

from publisher.namespaces import AICT, ID_BASE, SH, SHAPES, VOCAB_BASE
from publisher.validation.report import Severity
from publisher.validation.terms import compact_iri

OUR_NAMESPACES = (str(AICT), VOCAB_BASE)
DEFINED_TERM_SHAPE = SHAPES.DefinedTerm
KNOWN_TERM_SHAPE = SHAPES.KnownTerm
DEFINED_TERM_COMPONENT = str(SHAPES.DefinedTermConstraintComponent)
KNOWN_TERM_COMPONENT = str(SHAPES.KnownTermConstraintComponent)
# Terms every RDF document may use without a shape saying so.
_GENERIC = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
)


@dataclass(frozen=True)
class Finding:
    """A term used in the triple (subject, predicate, value) that should not be there."""

    subject: Node
    predicate: Node
    value: Node
    term: URIRef
    severity: Severity
    message_fr: str
    message_en: str
    shape: URIRef
    component: str


@dataclass(frozen=True)
class Vocabulary:
    defined: frozenset[str]  # IRIs under OUR_NAMESPACES the ontology and vocabularies define
    known: frozenset[str]  # every IRI the shapes, ontology, vocabularies or data use
    record_classes: frozenset[str]  # classes whose instances are records

    @classmethod
    def of(cls, shapes: Graph, defined: Iterable[str], used: Iterable[str]) -> Vocabulary:
        defined = frozenset(defined)
        in_shapes = {str(t) for triple in shapes for t in triple if isinstance(t, URIRef)}
        targets = {str(c) for c in shapes.objects(None, SH.targetClass)}
        used = set(used)
        known = frozenset(in_shapes | defined | used)
        ours = {t for t in defined if t.startswith(str(AICT)) and t[len(str(AICT)) :][:1].isupper()}
        # A project's own shapes make their terms known, not their targets our records.
        return cls(defined, known, frozenset((targets & used) | ours))


def find_unknown_terms(graph: Graph, vocabulary: Vocabulary) -> list[Finding]:
    """The findings of one contributed graph, one per subject and term."""
    findings: dict[tuple[Node, URIRef], Finding] = {}
    records = _records(graph, vocabulary)
    for triple in graph:
        subject, predicate, value = triple
        for term in (subject, predicate, value):
            if not isinstance(term, URIRef) or (subject, term) in findings:
                continue
            finding = _undefined(triple, term, vocabulary)
            if finding is None and subject in records and term in (predicate, value):
                if term is predicate or predicate == RDF.type:
                    finding = _unknown(triple, term, vocabulary)
            if finding is not None:
                findings[(subject, term)] = finding
    return list(findings.values())


def _records(graph: Graph, vocabulary: Vocabulary) -> set[Node]:
    records: set[Node] = {s for s in graph.subjects() if str(s).startswith(ID_BASE)}
    for subject, cls in graph.subject_objects(RDF.type):
        if str(cls) in vocabulary.record_classes:
            records.add(subject)
    for record in list(records):
        records.update(o for o in graph.objects(record, None) if isinstance(o, BNode))
    return records


def _undefined(triple: tuple[Node, Node, Node], term: URIRef, vocabulary: Vocabulary):
    iri = str(term)
    namespace = next((ns for ns in OUR_NAMESPACES if iri.startswith(ns)), None)
    if namespace is None or iri in vocabulary.defined:
        return None
    if namespace == VOCAB_BASE and iri.rstrip("/") == VOCAB_BASE.rstrip("/"):
        return None
    where = "l'ontologie AICT" if namespace == str(AICT) else "les vocabulaires AICT"
    where_en = "the AICT ontology" if namespace == str(AICT) else "the AICT vocabularies"
    shown = compact_iri(iri)
    french = f"{shown} n'est pas défini par {where}"
    english = f"{shown} is not defined by {where_en}"
    suggestion = _closest(iri, namespace, vocabulary.defined)
    if suggestion is not None:
        french += f" : vouliez-vous dire {compact_iri(suggestion)} ?"
        english += f": did you mean {compact_iri(suggestion)}?"
    return Finding(
        *triple,
        term=term,
        severity=Severity.VIOLATION,
        message_fr=french,
        message_en=english,
        shape=DEFINED_TERM_SHAPE,
        component=DEFINED_TERM_COMPONENT,
    )


def _closest(iri: str, namespace: str, defined: frozenset[str]) -> str | None:
    """The defined term whose local name is most like that of `iri` (in the same concept
    scheme first, then anywhere in the namespace); without case, so `aict:action` finds
    `aict:Action`."""
    bases = [namespace]
    if namespace == VOCAB_BASE:
        bases.insert(0, iri[: iri.rfind("/") + 1])
    for base in bases:
        by_local = {d[len(base) :].lower(): d for d in defined if d.startswith(base) and d != base}
        local = iri[len(base) :].lower()
        found = difflib.get_close_matches(local, list(by_local), n=1, cutoff=0.75)
        if found:
            return by_local[found[0]]
    return None


def _unknown(triple: tuple[Node, Node, Node], term: URIRef, vocabulary: Vocabulary):
    iri = str(term)
    if iri in vocabulary.known or iri.startswith(_GENERIC):
        return None
    kind_fr, kind_en = (
        ("la classe", "class") if triple[1] == RDF.type else ("la propriété", "property")
    )
    shown = compact_iri(iri)
    return Finding(
        *triple,
        term=term,
        severity=Severity.WARNING,
        message_fr=(
            f"{kind_fr.capitalize()} {shown} n'est connue d'aucune forme, ni de l'ontologie, "
            "ni des données publiées : une faute de frappe ?"
        ),
        message_en=(
            f"The {kind_en} {shown} is known to no shape, nor to the ontology or the "
            "published data: a typo?"
        ),
        shape=KNOWN_TERM_SHAPE,
        component=KNOWN_TERM_COMPONENT,
    )
