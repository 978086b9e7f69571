"""The OWL ontology (ontology/aict.ttl) and its JSON-LD context (ontology/context.jsonld).

Checks what other parts rely on: the file parses with both RDF engines we ship, every term
named in docs/ARCHITECTURE.md exists (and nothing undocumented does), every term is
documented in French and English, the header matches the package version, the alignments
give the OWL-RL inferences consumers query, the committed data uses only defined terms, and
the context gives every term a short name and round-trips graphs (including real data).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import owlrl
import pyoxigraph
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from publisher.config import (
    DATASET_DIR,
    EXAMPLES_DIR,
    ONTOLOGY_DIR,
    PROJECT_ROOT,
    VOCABULARIES_DIR,
    package_version,
)
from publisher.namespaces import (
    ADMS,
    AICT,
    CV,
    LICENCE_OUVERTE_2,
    ONTOLOGY_IRI,
    ORG,
    PREFIXES,
    SCHEMA,
    TIME,
    VANN,
    VOCAB_BASE,
)

ONTOLOGY_FILE = ONTOLOGY_DIR / "aict.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
ARCHITECTURE_FILE = PROJECT_ROOT / "docs" / "ARCHITECTURE.md"
ONTOLOGY = URIRef(ONTOLOGY_IRI)
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def terms(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects() if isinstance(s, URIRef) and s in AICT}


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _architecture_term_names() -> set[str]:
    """Bare names in backquotes of the 'Ontology terms' section, before 'Reused as is'."""
    text = ARCHITECTURE_FILE.read_text(encoding="utf-8")
    section = text.split("## Ontology terms", 1)[1].split("Reused as is", 1)[0]
    return set(re.findall(r"`([A-Za-z]+)`", section))


# --- parsing ------------------------------------------------------------------------------


def test_ontology_parses_identically_with_rdflib_and_pyoxigraph(ontology: Graph) -> None:
    quads = list(pyoxigraph.parse(path=str(ONTOLOGY_FILE), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(ontology) > 0


# --- header -------------------------------------------------------------------------------


def test_header_version_matches_the_package(ontology: Graph) -> None:
    version = package_version()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert list(ontology.objects(ONTOLOGY, OWL.versionInfo)) == [Literal(version)]
    assert list(ontology.objects(ONTOLOGY, OWL.versionIRI)) == [URIRef(f"{ONTOLOGY_IRI}/{version}")]


def test_header_describes_the_ontology(ontology: Graph) -> None:
    for prop in (DCTERMS.title, DCTERMS.description):
        languages = sorted(o.language for o in ontology.objects(ONTOLOGY, prop))
        assert languages == ["en", "fr"], prop
    assert list(ontology.objects(ONTOLOGY, DCTERMS.license)) == [URIRef(LICENCE_OUVERTE_2)]
    assert ontology.value(ONTOLOGY, DCTERMS.creator) is not None
    modified = ontology.value(ONTOLOGY, DCTERMS.modified)
    assert isinstance(modified, Literal) and modified.datatype == XSD.date
    assert ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("aict")
    assert ontology.value(ONTOLOGY, VANN.preferredNamespaceUri) == Literal(str(AICT))


# --- terms --------------------------------------------------------------------------------


def test_every_term_of_the_architecture_is_defined_and_nothing_else(terms: set[URIRef]) -> None:
    documented = {AICT[name] for name in _architecture_term_names()}
    assert len(documented) > 20  # the section was found and read
    assert sorted(documented - terms) == [], "in docs/ARCHITECTURE.md but not in aict.ttl"
    assert sorted(terms - documented) == [], "in aict.ttl but not in docs/ARCHITECTURE.md"


def test_every_term_is_typed(ontology: Graph, terms: set[URIRef]) -> None:
    untyped = [t for t in terms if not set(ontology.objects(t, RDF.type)) & TERM_TYPES]
    assert untyped == []


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition])
def test_every_term_has_one_french_and_one_english_text(
    ontology: Graph, terms: set[URIRef], prop: URIRef
) -> None:
    problems = {}
    for term in terms:
        languages = sorted(str(o.language) for o in ontology.objects(term, prop))
        if languages != ["en", "fr"]:
            problems[term] = languages
    assert problems == {}


def test_every_term_is_defined_by_the_ontology(ontology: Graph, terms: set[URIRef]) -> None:
    wrong = [t for t in terms if list(ontology.objects(t, RDFS.isDefinedBy)) != [ONTOLOGY]]
    assert wrong == []


def test_french_texts_are_not_english_copies(ontology: Graph, terms: set[URIRef]) -> None:
    same = []
    for term in terms:
        texts = {o.language: str(o) for o in ontology.objects(term, SKOS.definition)}
        if texts.get("fr") == texts.get("en"):
            same.append(term)
    assert same == []


# Alignments that other helpers (shapes, importer, SPARQL) build on; see ARCHITECTURE.md.
SUBCLASSES = [
    (AICT.LocalAuthority, CV.PublicOrganisation),
    (AICT.LocalAuthority, ORG.Organization),
    (AICT.FrenchLocalAuthority, AICT.LocalAuthority),
    (AICT.PartnerLocalAuthority, AICT.LocalAuthority),
    (AICT.Partnership, ORG.OrganizationalCollaboration),
    (AICT.Agreement, FOAF.Document),
    (AICT.Action, PROV.Activity),
    (AICT.FundingInstrument, SKOS.Concept),
    (AICT.Mandate, TIME.ProperInterval),
    (AICT.Crisis, SCHEMA.Event),
    (AICT.SourceRecord, PROV.Entity),
]
SUBPROPERTIES = [
    (AICT.siren, DCTERMS.identifier),
    (AICT.inseeCode, DCTERMS.identifier),
    (AICT.theme, DCTERMS.subject),
    (AICT.dacSector, DCTERMS.subject),
    (AICT.contributesToSDG, DCTERMS.subject),
    (AICT.partnershipStatus, ADMS.status),
    (AICT.actionType, DCTERMS.type),
    (AICT.partnershipForm, DCTERMS.type),
    (AICT.territory, DCTERMS.spatial),
    (AICT.duringMandate, DCTERMS.temporal),
    (AICT.leadAuthority, PROV.wasAssociatedWith),
]
RANGES = [
    (AICT.population, XSD.integer),
    (AICT.sourceFile, XSD.string),
    (AICT.sourceLine, XSD.integer),
    (AICT.isExample, XSD.boolean),
    (AICT.signedOn, XSD.date),
    (AICT.departement, AICT.FrenchLocalAuthority),
    (AICT.region, AICT.FrenchLocalAuthority),
    (AICT.hasAgreement, AICT.Agreement),
    (AICT.fundingInstrument, AICT.FundingInstrument),
]


@pytest.mark.parametrize(("cls", "parent"), SUBCLASSES)
def test_class_alignment(ontology: Graph, cls: URIRef, parent: URIRef) -> None:
    assert (cls, RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize(("prop", "parent"), SUBPROPERTIES)
def test_property_alignment(ontology: Graph, prop: URIRef, parent: URIRef) -> None:
    assert (prop, RDFS.subPropertyOf, parent) in ontology


@pytest.mark.parametrize(("prop", "range_"), RANGES)
def test_property_range(ontology: Graph, prop: URIRef, range_: URIRef) -> None:
    assert list(ontology.objects(prop, RDFS.range)) == [range_]


def test_twinned_with_is_symmetric(ontology: Graph) -> None:
    assert (AICT.twinnedWith, RDF.type, OWL.SymmetricProperty) in ontology


def test_source_record_properties_apply_to_source_records(ontology: Graph) -> None:
    for prop in (AICT.sourceFile, AICT.sourceLine):
        assert list(ontology.objects(prop, RDFS.domain)) == [AICT.SourceRecord]


def test_legal_category_datatype_accepts_four_digits_only(ontology: Graph) -> None:
    restrictions = ontology.value(AICT.inseeLegalCategory, OWL.withRestrictions)
    facet = ontology.value(restrictions, RDF.first)
    pattern = re.compile(str(ontology.value(facet, XSD.pattern)))
    assert ontology.value(AICT.inseeLegalCategory, OWL.onDatatype) == XSD.string
    assert pattern.fullmatch("7210") and not pattern.fullmatch("721")


# --- JSON-LD context ----------------------------------------------------------------------


def _expand(value: str | dict, context: dict) -> str:
    curie = value["@id"] if isinstance(value, dict) else value
    prefix, _, local = curie.partition(":")
    base = context.get(prefix)
    return (base + local) if isinstance(base, str) and local else curie


def test_context_is_json_ld_1_1(context: dict) -> None:
    assert context["@version"] == 1.1
    assert context["id"] == "@id" and context["type"] == "@type"


def test_context_gives_every_ontology_term_its_own_name(context: dict, terms: set[URIRef]) -> None:
    mapped = {
        name: _expand(value, context)
        for name, value in context.items()
        if isinstance(value, (str, dict))
    }
    missing = [t for t in terms if mapped.get(t.fragment) != str(t)]
    assert missing == []


def test_context_names_only_defined_aict_terms(context: dict, terms: set[URIRef]) -> None:
    expanded = {_expand(v, context) for v in context.values() if isinstance(v, (str, dict))}
    ours = {iri for iri in expanded if iri.startswith(str(AICT)) and iri != str(AICT)}
    assert sorted(ours - {str(t) for t in terms}) == []


def test_context_prefixes_agree_with_the_namespaces_module(context: dict) -> None:
    shared = set(PREFIXES) & {k for k, v in context.items() if isinstance(v, str)}
    assert {"aict", "skos", "dct", "org", "prov", "schema"} <= shared
    assert {p: context[p] for p in shared} == {p: PREFIXES[p] for p in shared}


ROUND_TRIP_TURTLE = """
@prefix aict: <https://w3id.org/aict/ontology#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/aict/id/commune/00001> a aict:FrenchLocalAuthority ;
    rdfs:label "Commune d'essai"@fr , "Test commune"@en ;
    aict:siren "000000001" ;
    aict:inseeCode "00001" ;
    aict:population 1234 ;
    geo:lat 45.5 ; geo:long -1.25 ;
    org:classification <https://w3id.org/aict/vocab/authority-type/commune> ;
    aict:twinnedWith <https://w3id.org/aict/id/authority/de/test> ;
    prov:wasDerivedFrom <https://w3id.org/aict/id/source/test-csv/line/2> .

<https://w3id.org/aict/id/partnership/a--b> a aict:Partnership ;
    org:hasMember <https://w3id.org/aict/id/commune/00001> ,
        <https://w3id.org/aict/id/authority/de/test> ;
    aict:partnershipForm <https://w3id.org/aict/vocab/partnership-form/twinningCharter> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "1960-05-01"^^xsd:date ] ;
    aict:isExample true .

<https://w3id.org/aict/id/grant/test> a schema:MonetaryGrant ;
    rdfs:label "label without a language" ;
    schema:amount [ a schema:MonetaryAmount ; schema:value 1500.50 ; schema:currency "EUR" ] ;
    prov:qualifiedAssociation [ a prov:Association ;
        prov:agent <https://w3id.org/aict/id/organisation/test> ;
        prov:hadRole <https://w3id.org/aict/vocab/partner-role/funding> ] .

<https://w3id.org/aict/id/source/test-csv/line/2> a aict:SourceRecord ;
    aict:sourceFile "test.csv" ;
    aict:sourceLine 2 .

<https://w3id.org/aict/vocab/authority-type/commune>
    skos:notation "commune" , "7210"^^aict:inseeLegalCategory .
"""


@pytest.fixture(scope="module")
def round_trip_graph() -> Graph:
    return Graph().parse(data=ROUND_TRIP_TURTLE, format="turtle")


@pytest.fixture(scope="module")
def compacted(round_trip_graph: Graph, context: dict) -> dict:
    text = round_trip_graph.serialize(format="json-ld", context=context, auto_compact=True)
    return json.loads(text)


def _read_back_with_pyoxigraph(text: str) -> Graph:
    quads = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.JSON_LD)
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
    ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=ntriples.decode("utf-8"), format="nt")


def test_compacting_with_the_context_round_trips(round_trip_graph: Graph, compacted: dict) -> None:
    # The context is embedded in the document, so reading back needs no network; both RDF
    # engines we ship must read the same graph (the validator parses with pyoxigraph first).
    text = json.dumps(compacted)
    reparsed = Graph().parse(data=text, format="json-ld")
    assert len(reparsed) == len(round_trip_graph)
    assert isomorphic(reparsed, round_trip_graph)
    assert isomorphic(_read_back_with_pyoxigraph(text), round_trip_graph)


def test_compacted_output_uses_the_short_names(compacted: dict) -> None:
    # Our IRIs stay whole (they dereference); properties and classes get short names.
    nodes = {node.get("id"): node for node in compacted["@graph"]}
    commune = nodes["https://w3id.org/aict/id/commune/00001"]
    assert commune["type"] == "FrenchLocalAuthority"
    assert commune["siren"] == "000000001"
    assert commune["population"] == "1234"
    assert commune["label"] == {"fr": "Commune d'essai", "en": "Test commune"}
    assert commune["lat"] == "45.5"
    assert commune["classification"] == "https://w3id.org/aict/vocab/authority-type/commune"
    partnership = nodes["https://w3id.org/aict/id/partnership/a--b"]
    assert partnership["type"] == "Partnership"
    assert partnership["partnershipForm"] == (
        "https://w3id.org/aict/vocab/partnership-form/twinningCharter"
    )


# --- what the rest of the repository uses -------------------------------------------------


class _DataUsage:
    """IRIs of ours used in data/dataset and data/examples, and predicates with blank objects."""

    def __init__(self) -> None:
        self.files = 0
        self.ours: set[str] = set()
        self.blank_object_predicates: set[str] = set()

    def scan(self, path: Path) -> None:
        self.files += 1
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(
                    (str(AICT), VOCAB_BASE)
                ):
                    self.ours.add(term.value)
            if isinstance(quad.object, pyoxigraph.BlankNode):
                self.blank_object_predicates.add(quad.predicate.value)


@pytest.fixture(scope="module")
def data_usage() -> _DataUsage:
    usage = _DataUsage()
    for folder in (DATASET_DIR, EXAMPLES_DIR):
        for path in sorted(folder.glob("*.ttl")):
            usage.scan(path)
    return usage


@pytest.fixture(scope="module")
def vocabulary_subjects() -> set[str]:
    graph = Graph()
    for path in VOCABULARIES_DIR.glob("*.ttl"):
        graph.parse(path, format="turtle")
    return {str(s) for s in graph.subjects() if isinstance(s, URIRef)}


def test_data_uses_only_defined_terms_and_concepts(
    data_usage: _DataUsage, terms: set[URIRef], vocabulary_subjects: set[str]
) -> None:
    assert data_usage.files > 0, "data/dataset holds the committed dataset"
    defined = {str(t) for t in terms} | vocabulary_subjects | {str(AICT)}
    assert sorted(data_usage.ours - defined) == []


def test_context_does_not_hide_blank_nodes_of_the_data(
    data_usage: _DataUsage, context: dict
) -> None:
    # rdflib's JSON-LD serializer writes a blank-node value of a term coerced to "@id" as a
    # bare "_:b0" and never emits that node, so its triples are lost; such properties must
    # stay uncoerced in the context.
    coerced = {
        _expand(value, context)
        for value in context.values()
        if isinstance(value, dict) and value.get("@type") == "@id"
    }
    assert sorted(coerced & data_usage.blank_object_predicates) == []


SMALL_DATA_FILES = sorted(
    path
    for folder in (DATASET_DIR, EXAMPLES_DIR)
    for path in folder.glob("*.ttl")
    if path.stat().st_size < 100_000
)


@pytest.mark.parametrize("path", SMALL_DATA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_compacting_real_data_with_the_context_round_trips(path: Path, context: dict) -> None:
    graph = Graph().parse(path, format="turtle")
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
    assert isomorphic(_read_back_with_pyoxigraph(text), graph)


# --- inference ----------------------------------------------------------------------------

INFERENCE_SAMPLE = """
@prefix aict: <https://w3id.org/aict/ontology#> .
<https://w3id.org/aict/id/commune/00001> a aict:FrenchLocalAuthority ;
    aict:twinnedWith <https://w3id.org/aict/id/authority/de/test> ;
    aict:territory <https://w3id.org/aict/id/place/test> .
<https://w3id.org/aict/id/action/test> aict:leadAuthority <https://w3id.org/aict/id/commune/00001> ;
    aict:theme <https://w3id.org/aict/vocab/theme/waterSanitation> .
"""


def _owl_rl_errors(graph: Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return sorted(
        str(text)
        for message in graph.subjects(RDF.type, ERRNS.ErrorMessage)
        for text in graph.objects(message, ERRNS.error)
    )


@pytest.fixture(scope="module")
def closure(ontology: Graph) -> tuple[Graph, list[str]]:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    for path in VOCABULARIES_DIR.glob("*.ttl"):
        graph.parse(path, format="turtle")
    graph.parse(data=INFERENCE_SAMPLE, format="turtle")
    return graph, _owl_rl_errors(graph)


def test_ontology_and_vocabularies_are_owl_rl_consistent(closure: tuple[Graph, list[str]]) -> None:
    assert closure[1] == []


def test_the_consistency_check_reports_errors() -> None:
    graph = Graph()
    graph.add((URIRef("urn:x"), AICT.population, Literal("many", datatype=XSD.integer)))
    assert any("many" in error for error in _owl_rl_errors(graph))


_COMMUNE = URIRef("https://w3id.org/aict/id/commune/00001")
_ACTION = URIRef("https://w3id.org/aict/id/action/test")
INFERRED = [
    (URIRef("https://w3id.org/aict/id/authority/de/test"), AICT.twinnedWith, _COMMUNE),
    (_COMMUNE, RDF.type, ORG.Organization),
    (_COMMUNE, RDF.type, CV.PublicOrganisation),
    (_COMMUNE, DCTERMS.spatial, URIRef("https://w3id.org/aict/id/place/test")),
    (_ACTION, RDF.type, PROV.Activity),
    (_ACTION, PROV.wasAssociatedWith, _COMMUNE),
    (_ACTION, DCTERMS.subject, URIRef("https://w3id.org/aict/vocab/theme/waterSanitation")),
]


@pytest.mark.parametrize("triple", INFERRED, ids=lambda t: f"{t[0].split('/')[-1]}-{t[1]}")
def test_alignments_yield_the_inferences_consumers_query(
    closure: tuple[Graph, list[str]], triple: tuple[URIRef, URIRef, URIRef]
) -> None:
    assert triple in closure[0]
