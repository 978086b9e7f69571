"""The SKOS concept schemes (ontology/vocabularies/<scheme>.ttl) and their alignments.

Every scheme named in docs/ARCHITECTURE.md has its file; every concept is well formed (IRI
from its notation, in its scheme, labels and definitions in French and English); the
notations are exactly those ARCHITECTURE.md promises; alignments point to IRIs that exist
(SDG, checked against the copy in ontology/external/) or follow the one documented pattern
(IATI, DAC).
"""

from __future__ import annotations

import hashlib
import re

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from publisher.config import (
    ONTOLOGY_DIR,
    PROJECT_ROOT,
    VOCABULARIES_DIR,
    Settings,
    package_version,
)
from publisher.namespaces import (
    AICT,
    DAC_SECTOR_CATEGORY,
    IATI_CODELIST,
    LICENCE_OUVERTE_2,
    SDG,
    VOCAB_BASE,
)
from publisher.uris import mint_concept, mint_scheme
from publisher.validation import validate

ARCHITECTURE_FILE = PROJECT_ROOT / "docs" / "ARCHITECTURE.md"
EXTERNAL_DIR = ONTOLOGY_DIR / "external"
SDG_FILE = EXTERNAL_DIR / "sdg-kos-goals-targets-indicators.ttl"
SKOS_MAPPINGS = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    SKOS.related,
)


def _architecture_notations() -> dict[str, set[str]]:
    """The 'Concept notations per scheme' table of ARCHITECTURE.md: scheme -> notations."""
    text = ARCHITECTURE_FILE.read_text(encoding="utf-8")
    table = text.split("Concept notations per scheme", 1)[1].split("\n\n", 2)[1]
    notations = {}
    for row in table.splitlines()[2:]:
        scheme_cell, notation_cell = row.strip("|").split("|", 1)
        scheme = scheme_cell.strip().strip("`")
        # Parenthesised remarks may name concepts too ("narrower: `x`"); "⊑ x" does not.
        notations[scheme] = set(re.findall(r"`([A-Za-z][A-Za-z0-9]*)`", notation_cell))
    return notations


EXPECTED = _architecture_notations()
SCHEMES = sorted(EXPECTED)


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {
        scheme: Graph().parse(VOCABULARIES_DIR / f"{scheme}.ttl", format="turtle")
        for scheme in SCHEMES
    }


@pytest.fixture(scope="module")
def sdg_concepts() -> set[URIRef]:
    # pyoxigraph reads the 7,600 triples several times faster than rdflib.
    quads = pyoxigraph.parse(path=str(SDG_FILE), format=pyoxigraph.RdfFormat.TURTLE)
    return {
        URIRef(q.subject.value)
        for q in quads
        if q.predicate.value == str(RDF.type)
        and q.object == pyoxigraph.NamedNode(str(SKOS.Concept))
        and isinstance(q.subject, pyoxigraph.NamedNode)
    }


def _concepts(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef))


def _plain_notation(graph: Graph, concept: URIRef) -> str:
    plain = [n for n in graph.objects(concept, SKOS.notation) if n.datatype is None]
    assert len(plain) == 1, f"{concept} needs exactly one plain skos:notation"
    return str(plain[0])


# --- files --------------------------------------------------------------------------------


def test_the_architecture_lists_the_eight_schemes() -> None:
    assert SCHEMES == sorted(
        [
            "action-type",
            "authority-type",
            "covenant-commitment",
            "funding-instrument",
            "partner-role",
            "partnership-form",
            "status",
            "theme",
        ]
    )


def test_there_is_one_file_per_scheme_and_no_other() -> None:
    assert sorted(p.stem for p in VOCABULARIES_DIR.glob("*.ttl")) == SCHEMES


@pytest.mark.parametrize("scheme", SCHEMES)
def test_file_parses_identically_with_rdflib_and_pyoxigraph(
    graphs: dict[str, Graph], scheme: str
) -> None:
    path = VOCABULARIES_DIR / f"{scheme}.ttl"
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(graphs[scheme]) > 0


# --- scheme header ------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_header(graphs: dict[str, Graph], scheme: str) -> None:
    graph, iri = graphs[scheme], mint_scheme(scheme)
    assert list(graph.subjects(RDF.type, SKOS.ConceptScheme)) == [iri]
    for prop in (DCTERMS.title, SKOS.prefLabel):
        assert sorted(o.language for o in graph.objects(iri, prop)) == ["en", "fr"], prop
    assert list(graph.objects(iri, DCTERMS.license)) == [URIRef(LICENCE_OUVERTE_2)]
    assert list(graph.objects(iri, OWL.versionInfo)) == [Literal(package_version())]


# --- concepts -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_notations_are_those_of_the_architecture(graphs: dict[str, Graph], scheme: str) -> None:
    graph = graphs[scheme]
    notations = [_plain_notation(graph, c) for c in _concepts(graph)]
    assert len(notations) == len(set(notations)), "notations must be unique in a scheme"
    assert set(notations) == EXPECTED[scheme]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_concept_iri_is_minted_from_its_notation(graphs: dict[str, Graph], scheme: str) -> None:
    graph = graphs[scheme]
    wrong = [c for c in _concepts(graph) if c != mint_concept(scheme, _plain_notation(graph, c))]
    assert wrong == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_concept_is_in_its_scheme_and_defined_by_it(
    graphs: dict[str, Graph], scheme: str
) -> None:
    graph, iri = graphs[scheme], mint_scheme(scheme)
    for concept in _concepts(graph):
        assert list(graph.objects(concept, SKOS.inScheme)) == [iri], concept
        assert list(graph.objects(concept, RDFS.isDefinedBy)) == [iri], concept


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("prop", [SKOS.prefLabel, SKOS.definition])
def test_every_concept_has_one_french_and_one_english_text(
    graphs: dict[str, Graph], scheme: str, prop: URIRef
) -> None:
    graph = graphs[scheme]
    problems = {}
    for concept in _concepts(graph):
        languages = sorted(str(o.language) for o in graph.objects(concept, prop))
        if languages != ["en", "fr"]:
            problems[concept] = languages
    assert problems == {}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_top_concepts_are_exactly_those_without_broader(
    graphs: dict[str, Graph], scheme: str
) -> None:
    graph, iri = graphs[scheme], mint_scheme(scheme)
    roots = {c for c in _concepts(graph) if graph.value(c, SKOS.broader) is None}
    assert set(graph.subjects(SKOS.topConceptOf, iri)) == roots
    assert set(graph.objects(iri, SKOS.hasTopConcept)) == roots


@pytest.mark.parametrize("scheme", SCHEMES)
def test_broader_and_narrower_mirror_each_other_inside_the_scheme(
    graphs: dict[str, Graph], scheme: str
) -> None:
    graph = graphs[scheme]
    concepts = set(_concepts(graph))
    broader = set(graph.subject_objects(SKOS.broader))
    narrower = {(n, b) for b, n in graph.subject_objects(SKOS.narrower)}
    assert broader == narrower
    assert {x for pair in broader for x in pair} <= concepts


def test_no_concept_iri_outside_our_vocabulary_base(graphs: dict[str, Graph]) -> None:
    for scheme, graph in graphs.items():
        assert all(str(c).startswith(VOCAB_BASE + scheme + "/") for c in _concepts(graph))


def test_humanitarian_emergency_has_the_solidarity_fund_contribution(
    graphs: dict[str, Graph],
) -> None:
    graph = graphs["action-type"]
    assert graph.value(mint_concept("action-type", "solidarityFundContribution"), SKOS.broader) == (
        mint_concept("action-type", "humanitarianEmergency")
    )


# --- alignments ---------------------------------------------------------------------------

IATI_ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
IATI_STATUSES = {
    "pipeline": "1",
    "implementation": "2",
    "finalisation": "3",
    "closed": "4",
    "cancelled": "5",
    "suspended": "6",
}


@pytest.mark.parametrize(
    ("scheme", "code_list", "codes"),
    [("partner-role", "OrganisationRole", IATI_ROLES), ("status", "ActivityStatus", IATI_STATUSES)],
)
def test_iati_codes_are_exact_matches(
    graphs: dict[str, Graph], scheme: str, code_list: str, codes: dict[str, str]
) -> None:
    graph = graphs[scheme]
    for notation, code in codes.items():
        target = IATI_CODELIST[f"{code_list}/{code}"]
        assert list(graph.subjects(SKOS.exactMatch, target)) == [mint_concept(scheme, notation)]


def test_every_iati_iri_follows_the_documented_pattern(graphs: dict[str, Graph]) -> None:
    pattern = re.compile(re.escape(str(IATI_CODELIST)) + r"[A-Z][A-Za-z]+/[0-9]+")
    used = {
        o
        for graph in graphs.values()
        for prop in SKOS_MAPPINGS
        for o in graph.objects(None, prop)
        if str(o).startswith(str(IATI_CODELIST))
    }
    assert len(used) > 10
    assert sorted(o for o in used if not pattern.fullmatch(str(o))) == []


def test_partner_roles_are_prov_roles(graphs: dict[str, Graph]) -> None:
    graph = graphs["partner-role"]
    assert all((c, RDF.type, PROV.Role) in graph for c in _concepts(graph))


def test_every_theme_is_aligned_to_a_dac_sector_category(graphs: dict[str, Graph]) -> None:
    graph = graphs["theme"]
    three_digits = re.compile(re.escape(str(DAC_SECTOR_CATEGORY)) + r"[0-9]{3}")
    for concept in _concepts(graph):
        targets = [
            o
            for prop in SKOS_MAPPINGS
            for o in graph.objects(concept, prop)
            if str(o).startswith(str(DAC_SECTOR_CATEGORY))
        ]
        assert targets, concept
        assert all(three_digits.fullmatch(str(t)) for t in targets), concept


def test_every_sdg_iri_referenced_exists_in_the_sdg_kos(
    graphs: dict[str, Graph], sdg_concepts: set[URIRef]
) -> None:
    referenced = {
        o
        for graph in graphs.values()
        for _, o in graph.subject_objects()
        if isinstance(o, URIRef) and o in SDG
    }
    assert len(referenced) >= 15  # most themes point to at least one goal or target
    assert sorted(referenced - sdg_concepts) == []


def test_water_theme_matches_sdg_goal_6(graphs: dict[str, Graph]) -> None:
    theme = mint_concept("theme", "waterSanitation")
    assert (theme, SKOS.closeMatch, SDG["6"]) in graphs["theme"]


def test_the_sdg_copy_is_the_one_its_source_note_describes() -> None:
    note = (EXTERNAL_DIR / "SOURCE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(SDG_FILE.read_bytes()).hexdigest()
    assert f"sha256 `{digest}`" in note
    assert "Required citation" in note


def test_authority_types_carry_their_insee_legal_category(graphs: dict[str, Graph]) -> None:
    graph = graphs["authority-type"]
    codes: dict[str, list[str]] = {}
    for concept in _concepts(graph):
        typed = [n for n in graph.objects(concept, SKOS.notation) if n.datatype is not None]
        assert all(n.datatype == AICT.inseeLegalCategory for n in typed), concept
        assert all(re.fullmatch(r"[0-9]{4}", str(n)) for n in typed), concept
        codes[_plain_notation(graph, concept)] = sorted(str(n) for n in typed)
    assert codes["commune"] == ["7210"]
    assert codes["departement"] == ["7220"]
    assert codes["region"] == ["7230"]
    assert codes["metropole"] == ["7344"]
    # Documented gaps: no INSEE code of its own (EPT) or not French at all.
    assert codes["etablissementPublicTerritorial"] == codes["foreignLocalAuthority"] == []
    every_code = [code for values in codes.values() for code in values]
    assert len(every_code) == len(set(every_code))


def test_funding_instruments_are_typed_and_ficol_is_sourced(graphs: dict[str, Graph]) -> None:
    graph = graphs["funding-instrument"]
    assert all((c, RDF.type, AICT.FundingInstrument) in graph for c in _concepts(graph))
    ficol = mint_concept("funding-instrument", "ficol")
    definition = {d.language: str(d) for d in graph.objects(ficol, SKOS.definition)}
    for fact in ("2014", "200 000", "1,5 million", "30 %"):
        assert fact in definition["fr"], fact
    for fact in ("2014", "200,000", "1.5 million", "30 %"):
        assert fact in definition["en"], fact
    sources = list(graph.objects(ficol, DCTERMS.source))
    assert sources and all(str(s).startswith("https://") for s in sources)


# --- language -----------------------------------------------------------------------------

OUR_FILES = [ONTOLOGY_DIR / "aict.ttl", *(VOCABULARIES_DIR / f"{s}.ttl" for s in SCHEMES)]
# French words our texts use that are misspelt without their accents (not inside an
# identifier such as IATI's "recipient-region").
UNACCENTED = re.compile(
    r"(?<!-)\b(developpement|region|regional|departement|departemental|collectivite|collectivites"
    r"|cooperation|cooperations|education|etablissement|securite|energie|egalite|sante"
    r"|ecole|etat|etranger|etrangere|evenement|mise en oeuvre)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def our_literals() -> list[tuple[str, Literal]]:
    found = []
    for path in OUR_FILES:
        for _, _, o in Graph().parse(path, format="turtle"):
            if isinstance(o, Literal) and o.language:
                found.append((path.name, o))
    return found


def test_texts_are_only_in_french_and_english(our_literals: list[tuple[str, Literal]]) -> None:
    assert sorted({o.language for _, o in our_literals}) == ["en", "fr"]


def test_french_texts_keep_their_accents(our_literals: list[tuple[str, Literal]]) -> None:
    misspelt = [
        (name, match.group(0))
        for name, o in our_literals
        if o.language == "fr"
        for match in UNACCENTED.finditer(str(o))
    ]
    assert misspelt == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_preferred_labels_are_unique_in_a_scheme(graphs: dict[str, Graph], scheme: str) -> None:
    graph = graphs[scheme]
    for language in ("fr", "en"):
        labels = [
            str(label)
            for concept in _concepts(graph)
            for label in graph.objects(concept, SKOS.prefLabel)
            if label.language == language
        ]
        assert len(labels) == len(set(labels)), language


def test_ontology_and_vocabularies_pass_the_project_shapes() -> None:
    # Our own files are data too: the shapes of shapes/ (no warning either) must accept them.
    report = validate(OUR_FILES, settings=Settings(), reference_data=False)
    assert len(report.files) == len(OUR_FILES)
    assert [(str(r.focus_node), r.message_en) for r in report.results] == []
    assert report.conforms
