"""The worked examples (data/examples/): one per kind of action and the other records the
model offers, each marked as an example, kept out of the published dataset, and conforming
to the shapes (with the ontology, the vocabularies and the dataset as reference data)."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS
from shapes_support import (
    DATASET_FILES,
    EXAMPLE_FILES,
    dataset_and_examples_results,
    example_graphs,
    model_graph,
    reference_graph,
)

from publisher.namespaces import AICT, ID_BASE, ORG, SCHEMA, VOCAB_BASE

EXAMPLE_BASE = ID_BASE + "example/"
COMMENT = Literal("Exemple fictif / fictitious example")


def _concept(scheme: str, notation: str) -> URIRef:
    return URIRef(f"{VOCAB_BASE}{scheme}/{notation}")


def test_there_are_examples():
    assert len(EXAMPLE_FILES) >= 10


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_record_is_marked_as_an_example(path):
    graph = example_graphs()[path.name]
    subjects = set(graph.subjects())
    assert subjects
    for subject in subjects:
        assert str(subject).startswith(EXAMPLE_BASE), subject
        assert graph.value(subject, AICT.isExample) == Literal(True), subject
        assert COMMENT in set(graph.objects(subject, RDFS.comment)), subject


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_conforms_without_warnings(path):
    records = set(example_graphs()[path.name].subjects())
    results = [r for r in dataset_and_examples_results() if r.focus in records]
    shown = "\n".join(
        f"{r.severity} {r.focus} {r.path} {r.component}: {r.messages.get('en')}" for r in results
    )
    assert not results, shown


@cache
def _described() -> frozenset:
    return frozenset(reference_graph().subjects())


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_points_only_at_described_resources(path):
    """Every IRI an example links to outside the examples is a real resource of the
    bundled data (no invented authority, concept or country), except the UN's SDG IRIs."""
    graph = example_graphs()[path.name]
    for predicate, target in graph.predicate_objects():
        if predicate == RDF.type or not isinstance(target, URIRef):
            continue
        if str(target).startswith((EXAMPLE_BASE, "http://metadata.un.org/sdg/")):
            continue
        assert target in _described(), f"{predicate} -> {target}"


def test_examples_cover_every_kind_of_action():
    used = {o for graph in example_graphs().values() for o in graph.objects(None, AICT.actionType)}
    scheme = URIRef(VOCAB_BASE + "action-type")
    kinds = set(model_graph().subjects(SKOS.inScheme, scheme))
    assert kinds and used == kinds, kinds - used


def test_examples_cover_the_other_records():
    graphs = list(example_graphs().values())

    def anywhere(pattern) -> bool:
        return any(next(graph.triples(pattern), None) is not None for graph in graphs)

    assert anywhere((None, AICT.fundingInstrument, _concept("funding-instrument", "ficol")))
    assert anywhere((None, RDF.type, AICT.Agreement))
    assert anywhere((None, RDF.type, ORG.Membership))
    assert anywhere((None, AICT.partnershipStatus, _concept("status", "dormant")))
    assert anywhere((None, RDF.type, SCHEMA.MonetaryGrant))


def test_examples_are_not_in_the_published_dataset():
    for path in DATASET_FILES:
        assert EXAMPLE_BASE not in path.read_text(encoding="utf-8"), path


# Classes whose instances are checked by a shape that targets them another way.
_COVERED_OTHERWISE = {
    # source files are the objects of prov:used (SourceFileShape); source lines, also
    # entities, have their own SourceRecordShape
    URIRef("http://www.w3.org/ns/prov#Entity"),
}


def test_every_kind_of_record_has_a_shape():
    """Every typed node of the dataset, the vocabularies and the examples is targeted by a
    shape through one of its classes or their superclasses in the ontology (the ontology
    file itself, its terms and header, aside)."""
    from rdflib.namespace import DCTERMS, OWL, SH
    from shapes_support import shapes_graph

    from publisher.namespaces import ONTOLOGY_IRI

    ontology = URIRef(ONTOLOGY_IRI)

    targeted = set(shapes_graph().objects(None, SH.targetClass)) | _COVERED_OTHERWISE
    named = set(shapes_graph().objects(None, SH.targetNode))
    hierarchy = model_graph()
    data = [reference_graph(), *example_graphs().values()]
    declarations = (str(OWL), str(RDFS))
    unchecked = set()
    for graph in data:
        # The ontology's creator is a blank node, labelled per graph.
        ontology_nodes = {ontology, *graph.objects(ontology, DCTERMS.creator)}
        for node in set(graph.subjects(RDF.type, None)) - ontology_nodes - named:
            classes = {
                c for c in graph.objects(node, RDF.type) if not str(c).startswith(declarations)
            }
            if not classes:
                continue
            ancestors = {
                a for c in classes for a in hierarchy.transitive_objects(c, RDFS.subClassOf)
            }
            if not ancestors & targeted:
                unchecked |= classes
    assert not unchecked, f"no shape targets instances of {sorted(unchecked)}"
