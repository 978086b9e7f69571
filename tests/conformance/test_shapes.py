"""The shapes themselves: they parse, pass SHACL's meta-shapes (shacl-shacl), describe
themselves, speak French and English, keep their value sets in step with the vocabularies,
and each kind of mistake gives exactly the expected violation."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, SKOS
from shapes_support import (
    MODEL_FILES,
    SHAPE_FILES,
    neighbourhood,
    read_turtle,
    shapes_graph,
    siren_pattern_module,
    validate,
)

from publisher.config import ONTOLOGY_DIR, SOURCES_DIR, VOCABULARIES_DIR, package_version
from publisher.namespaces import AICT, DCAT, ORG, SCHEMA, SH, SHAPES, VOCAB_BASE

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "shapes"
TEST_ID = "https://w3id.org/aict/id/example/test/"
SHACL_SPEC = URIRef("https://www.w3.org/TR/shacl/")
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")


def _per_file() -> dict[str, Graph]:
    return {path.name: read_turtle([path]) for path in SHAPE_FILES}


def _property_shapes(graph: Graph) -> set:
    return set(graph.objects(None, SH.property))


def _node_shapes(graph: Graph) -> set:
    return {s for s in graph.subjects(RDF.type, SH.NodeShape)}


def test_the_expected_shape_files_exist():
    names = {path.name for path in SHAPE_FILES}
    assert {
        "authorities.ttl",
        "partnerships.ttl",
        "actions.ttl",
        "funding.ttl",
        "provenance.ttl",
        "concepts.ttl",
        "recommended.ttl",
    } <= names


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shapes_file_parses_strictly(path: Path):
    assert list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def test_shapes_conform_to_shacl_shacl():
    meta = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes_graph(), shacl_graph=meta, inference="none")
    assert conforms, text


@pytest.mark.parametrize("name", sorted(p.name for p in SHAPE_FILES))
def test_shapes_file_describes_itself(name: str):
    graph = _per_file()[name]
    (header,) = graph.subjects(RDF.type, OWL.Ontology)
    assert str(header) == f"https://w3id.org/aict/shapes/{name.removesuffix('.ttl')}"
    assert {t.language for t in graph.objects(header, DCTERMS.title)} == {"fr", "en"}
    assert graph.value(header, DCTERMS.license) == LICENCE
    assert graph.value(header, DCTERMS.conformsTo) == SHACL_SPEC
    assert str(graph.value(header, OWL.versionInfo)) == package_version()
    text = (SHAPE_FILES[0].parent / name).read_text(encoding="utf-8")
    assert text.startswith("# AICT shapes:")


def test_node_shapes_are_named_and_labelled_in_both_languages():
    graph = shapes_graph()
    for shape in _node_shapes(graph):
        assert isinstance(shape, URIRef) and str(shape).startswith(str(SHAPES)), shape
        assert str(shape).endswith("Shape"), shape
        assert {lab.language for lab in graph.objects(shape, RDFS.label)} == {"fr", "en"}, shape


def test_property_shapes_are_named_after_their_node_shape():
    graph = shapes_graph()
    for node_shape in _node_shapes(graph):
        for prop in graph.objects(node_shape, SH.property):
            assert isinstance(prop, URIRef), f"{node_shape} has an anonymous property shape"
            owner = str(prop).split("-", 1)[0]
            assert URIRef(owner) in _node_shapes(graph), prop


def test_every_shape_has_one_message_in_french_and_one_in_english():
    graph = shapes_graph()
    for shape in _node_shapes(graph) | _property_shapes(graph):
        messages = [m for m in graph.objects(shape, SH.message) if isinstance(m, Literal)]
        assert sorted(m.language for m in messages) == ["en", "fr"], shape
        assert all(len(str(m)) > 20 for m in messages), shape


def test_no_sparql_constraint():
    # pySHACL re-parses a SPARQL constraint for every focus node: SHACL Core only.
    assert not list(shapes_graph().subject_objects(SH.sparql))


def test_recommended_holds_warnings_only_and_the_others_violations_only():
    for name, graph in _per_file().items():
        shapes = _node_shapes(graph) | _property_shapes(graph)
        severities = {graph.value(s, SH.severity) for s in shapes}
        if name == "recommended.ttl":
            assert severities == {SH.Warning}
        else:
            assert severities <= {None, SH.Violation}, name


def test_siren_check_pattern_is_the_generated_one():
    module = siren_pattern_module()
    patterns = {
        str(p)
        for p in shapes_graph().objects(
            SHAPES["FrenchLocalAuthorityShape-sirenCheckDigit"], SH.pattern
        )
    }
    assert patterns == {module.siren_check_pattern()}


def test_siren_check_pattern_agrees_with_luhn():
    """Every SIREN of the découpage data is accepted; each single-digit change of a sample
    of them (Luhn catches every one) and random strings are judged as Luhn judges them."""
    import json

    module = siren_pattern_module()
    pattern = re.compile(module.siren_check_pattern())
    folder = SOURCES_DIR / "decoupage-administratif-6.0.0"
    communes = json.loads((folder / "communes.json").read_text(encoding="utf-8"))
    epcis = json.loads((folder / "epci.json").read_text(encoding="utf-8"))
    sirens = [c["siren"] for c in communes if c.get("siren")] + [e["code"] for e in epcis]
    assert len(sirens) > 30000
    assert all(pattern.search(s) for s in sirens)
    rng = random.Random(2026)
    for siren in rng.sample(sirens, 100):
        for position in range(9):
            for digit in "0123456789":
                if digit != siren[position]:
                    changed = siren[:position] + digit + siren[position + 1 :]
                    assert not pattern.search(changed), changed
    for _ in range(5000):
        text = f"{rng.randrange(10**9):09d}"
        assert bool(pattern.search(text)) == module.luhn_valid(text), text
    # Not 9 digits: left to the format constraint, so accepted here.
    for text in ("", "21210231", "2121023130", "21210231A", "212 102 313"):
        assert pattern.search(text), text


def _concepts(scheme: str) -> set[URIRef]:
    graph = read_turtle([VOCABULARIES_DIR / f"{scheme}.ttl"])
    return {c for c in graph.subjects(SKOS.inScheme, URIRef(VOCAB_BASE + scheme))}


def _in_list(shape: str) -> set:
    graph = shapes_graph()
    head = graph.value(SHAPES[shape], SH["in"])
    return set(Collection(graph, head))


def test_value_lists_match_the_vocabularies():
    authority_types = _concepts("authority-type")
    foreign = URIRef(VOCAB_BASE + "authority-type/foreignLocalAuthority")
    assert _in_list("FrenchLocalAuthorityShape-classification") == authority_types - {foreign}
    assert _in_list("PartnerLocalAuthorityShape-classification") == {foreign}
    assert _in_list("PartnershipShape-form") == _concepts("partnership-form")


def test_scheme_shapes_name_existing_schemes():
    graph = shapes_graph()
    model = read_turtle(MODEL_FILES)
    schemes = set(model.subjects(RDF.type, SKOS.ConceptScheme))
    names = set()
    for shape in _node_shapes(graph):
        if str(shape).endswith("ConceptShape") and shape != SHAPES.ConceptShape:
            (prop,) = graph.objects(shape, SH.property)
            assert graph.value(prop, SH.path) == SKOS.inScheme
            assert graph.value(prop, SH.hasValue) in schemes, shape
            names.add(graph.value(prop, SH.hasValue))
    assert names == {s for s in schemes if str(s).startswith(VOCAB_BASE)}


def test_the_scheme_label_rule_targets_exactly_our_schemes():
    ours = set(read_turtle(MODEL_FILES).subjects(RDF.type, SKOS.ConceptScheme))
    assert ours and all(str(s).startswith(VOCAB_BASE) for s in ours)
    assert set(shapes_graph().objects(SHAPES.ConceptSchemeShape, SH.targetNode)) == ours


def test_the_reused_sdg_scheme_conforms_and_ours_still_need_a_french_label():
    """The UN SDG KOS (ontology/external/) titles its scheme in English only: it is reused as
    published, while one of our schemes without its French title is still a violation."""
    sdg = URIRef("http://metadata.un.org/sdg")
    external = ONTOLOGY_DIR / "external" / "sdg-kos-goals-targets-indicators.ttl"
    data = read_turtle([*MODEL_FILES, external])
    assert (sdg, RDF.type, SKOS.ConceptScheme) in data
    assert not {lab.language for lab in data.objects(sdg, SKOS.prefLabel)} & {"fr"}
    theme = URIRef(VOCAB_BASE + "theme")
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        for label in list(data.objects(theme, predicate)):
            if label.language == "fr":
                data.remove((theme, predicate, label))
    flagged = {
        r.focus for r in validate(data) if r.shape == SHAPES["ConceptSchemeShape-frenchLabel"]
    }
    assert flagged == {theme}


# --- each kind of mistake gives exactly the expected violation ---------------------------

# fixture -> (focus, path, component, source shape, English message)
EXPECTED = {
    "missing-french-label.ttl": (
        "action",
        SKOS.prefLabel,
        "QualifiedMinCountConstraintComponent",
        "ActionShape-frenchLabel",
        "An action needs a French label (skos:prefLabel tagged @fr), "
        'e.g. "Appui à la gestion de l\'eau à Ouahigouya"@fr.',
    ),
    "end-before-start.ttl": (
        "period",
        DCAT.startDate,
        "LessThanOrEqualsConstraintComponent",
        "PeriodOfTimeShape-order",
        "The start date (dcat:startDate) is after the end date (dcat:endDate): correct one of "
        "them (both dates must also have the same type, e.g. xsd:date).",
    ),
    "wrong-scheme.ttl": (
        "action",
        AICT.actionType,
        "NodeConstraintComponent",
        "ActionShape-actionType",
        "An action needs at least one kind (aict:actionType) from the vocabulary "
        "https://w3id.org/aict/vocab/action-type, e.g. at:twinning or at:technicalCooperation.",
    ),
    "bad-siren-check-digit.ttl": (
        "commune",
        AICT.siren,
        "PatternConstraintComponent",
        "FrenchLocalAuthorityShape-sirenCheckDigit",
        "The check digit of the SIREN (aict:siren) is wrong: check the 9 digits in the Sirene "
        "directory (annuaire-entreprises.data.gouv.fr).",
    ),
    "missing-siren.ttl": (
        "commune",
        None,
        "OrConstraintComponent",
        "FrenchLocalAuthoritySirenShape",
        "A commune or an EPCI (metropolis, community, EPT) needs a 9-digit SIREN (aict:siren), "
        'e.g. "212102313" for Dijon.',
    ),
    "commune-with-departement-code.ttl": (
        "commune",
        None,
        "OrConstraintComponent",
        "FrenchLocalAuthorityCommuneCodeShape",
        "A commune needs a 5-character INSEE code (aict:inseeCode): 5 digits, or 2A/2B and "
        '3 digits in Corsica (e.g. "21231", "2A004").',
    ),
    "bad-currency.ttl": (
        "amount",
        SCHEMA.currency,
        "PatternConstraintComponent",
        "MonetaryAmountShape-currency",
        "An amount needs exactly one currency (schema:currency), its three-capital-letter "
        'ISO 4217 code, e.g. "EUR".',
    ),
    "negative-amount.ttl": (
        "amount",
        SCHEMA.value,
        "MinInclusiveConstraintComponent",
        "MonetaryAmountShape-value",
        "An amount needs exactly one value (schema:value), a decimal number of zero or more "
        "(xsd:decimal), e.g. 140000.",
    ),
    "one-member-partnership.ttl": (
        "partnership",
        ORG.hasMember,
        "MinCountConstraintComponent",
        "PartnershipShape-members",
        "A partnership brings together at least two members (org:hasMember), e.g. a French "
        "commune and a foreign authority.",
    ),
    "unknown-partner-type.ttl": (
        "partner",
        ORG.classification,
        "InConstraintComponent",
        "PartnerLocalAuthorityShape-classification",
        "A foreign partner authority has the kind (org:classification) "
        "aty:foreignLocalAuthority "
        "(https://w3id.org/aict/vocab/authority-type/foreignLocalAuthority).",
    ),
    "partner-without-country.ttl": (
        "partner",
        DCTERMS.spatial,
        "MinCountConstraintComponent",
        "PartnerLocalAuthorityShape-country",
        "A foreign partner authority needs its country (dct:spatial), e.g. "
        "http://publications.europa.eu/resource/authority/country/DEU.",
    ),
}


def test_every_fixture_has_an_expectation():
    assert {p.name for p in FIXTURES.glob("*.ttl")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_mistake_gives_exactly_the_expected_violation(name: str):
    focus, path, component, shape, message_en = EXPECTED[name]
    fixture = read_turtle([FIXTURES / name])
    own = set(fixture.subjects())  # results about the reference data are not the fixture's
    violations = [
        r for r in validate(neighbourhood(fixture)) if r.severity == "Violation" and r.focus in own
    ]
    assert len(violations) == 1, violations
    (result,) = violations
    assert result.focus == URIRef(TEST_ID + focus)
    assert result.path == path
    assert result.component == component
    assert result.shape == SHAPES[shape]
    assert result.messages["en"] == message_en
    assert result.messages["fr"] and result.messages["fr"] != message_en


# Runs in a fresh process on purpose: once anything has run OWL-RL inference, owlrl has
# registered gYear in rdflib for the rest of the process, which used to hide the pySHACL
# TypeError that publisher/validation/partial_dates.py now prevents.
def test_reversed_year_period_is_a_violation(tmp_path):
    contribution = tmp_path / "reversed-years.ttl"
    contribution.write_text(
        """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/aict/id/example/test/period> a dct:PeriodOfTime ;
    dcat:startDate "2027"^^xsd:gYear ; dcat:endDate "2026"^^xsd:gYear .
""",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "publisher", "validate", "--lang", "en", str(contribution)],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("AICT_")},
    )
    assert run.returncode == 1, run.stderr
    assert "The start date (dcat:startDate) is after the end date" in run.stdout
