"""Terms nobody defined: a typo in our namespaces is a violation with a suggestion, and a
class or property of a record that no shape, ontology or published data knows is a warning;
neither fires on the worked examples or the bundled dataset."""

from __future__ import annotations

import pytest

from publisher.config import EXAMPLES_DIR, Settings
from publisher.validation import Severity, Source, validate
from publisher.validation.reference import load_reference
from publisher.validation.unknown_terms import (
    DEFINED_TERM_COMPONENT,
    KNOWN_TERM_COMPONENT,
    OUR_NAMESPACES,
)

PREFIXES = """\
@prefix aict: <https://w3id.org/aict/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix th: <https://w3id.org/aict/vocab/theme/> .
@prefix ex: <http://example.org/> .
"""


def _report(body: str):
    source = Source("contribution.ttl", (PREFIXES + body).encode(), "turtle")
    return validate([source], settings=Settings(lang="en"))


def _ours(report):
    return [
        (r.severity, r.line, r.message_en)
        for r in report.results
        if r.constraint_component in (DEFINED_TERM_COMPONENT, KNOWN_TERM_COMPONENT)
    ]


@pytest.mark.parametrize(
    "body, line, message",
    [
        (
            "<https://w3id.org/aict/id/action/t> a aict:Acton .",
            6,
            "aict:Acton is not defined by the AICT ontology: did you mean aict:Action?",
        ),
        (
            "<https://w3id.org/aict/id/action/t>\n"
            "    aict:leadAuthorty <https://w3id.org/aict/id/commune/21231> .",
            7,
            "aict:leadAuthorty is not defined by the AICT ontology: "
            "did you mean aict:leadAuthority?",
        ),
        (
            "ex:thing aict:theme th:watterSanitation .",
            6,
            "https://w3id.org/aict/vocab/theme/watterSanitation is not defined by the AICT "
            "vocabularies: did you mean https://w3id.org/aict/vocab/theme/waterSanitation?",
        ),
        (
            "ex:thing aict:zzz 1 .",
            6,
            "aict:zzz is not defined by the AICT ontology",
        ),
    ],
)
def test_an_undefined_term_of_our_namespaces_is_a_violation(body, line, message):
    report = _report(body)
    assert _ours(report) == [(Severity.VIOLATION, line, message)]
    assert report.fails()


def test_an_unknown_property_of_a_record_is_a_warning():
    report = _report(
        "<https://w3id.org/aict/id/action/t> a aict:Action ;\n"
        '    skos:prefLabel "Essai"@fr ;\n'
        '    ex:colour "blue" .'
    )
    assert _ours(report) == [
        (
            Severity.WARNING,
            8,
            "The property http://example.org/colour is known to no shape, nor to the ontology "
            "or the published data: a typo?",
        )
    ]


def test_nodes_that_are_not_records_are_left_alone():
    # Data of another model: no shape of ours applies, no warning either.
    assert _ours(_report('ex:thing a ex:Widget ; ex:colour "blue" .')) == []


def test_examples_use_only_known_terms():
    report = validate([EXAMPLES_DIR], settings=Settings())
    assert _ours(report) == []


def test_the_bundled_data_uses_only_defined_terms_of_our_namespaces():
    # Ontology, vocabularies and dataset: every IRI of our namespaces they use, anywhere in a
    # triple, is one they define (the published data's other terms are known by definition).
    reference = load_reference()
    defined = reference.defined(OUR_NAMESPACES)
    ours = " || ".join(f'STRSTARTS(STR(?t), "{ns}")' for ns in OUR_NAMESPACES)
    query = (
        "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?t ?p ?o } UNION { ?s ?t ?o } UNION "
        f"{{ ?s ?p ?t }} }} FILTER(isIRI(?t) && ({ours})) }}"
    )
    used = {row["t"].value for row in reference.store.query(query)}
    assert len(used) > 50
    assert sorted(used - defined) == []
