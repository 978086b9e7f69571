"""Every namespace our own RDF uses has a prefix, so no output falls back to `ns1:` or to
full IRIs (vann, in the ontology header, once did)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from publisher.config import ONTOLOGY_DIR, SHAPES_DIR, VOCABULARIES_DIR
from publisher.formats import RDF_DOCUMENT_FORMATS, by_extension
from publisher.namespaces import PREFIXES, VANN
from publisher.web.serialize import serialize_graph

BY_KEY = by_extension(RDF_DOCUMENT_FORMATS)

OUR_FILES = sorted(
    [*ONTOLOGY_DIR.glob("*.ttl"), *VOCABULARIES_DIR.glob("*.ttl"), *SHAPES_DIR.glob("*.ttl")]
)


def _has_prefix(iri: str) -> bool:
    return any(iri.startswith(ns) and len(iri) > len(ns) for ns in PREFIXES.values())


@pytest.mark.parametrize("path", OUR_FILES, ids=lambda p: p.name)
def test_predicates_and_classes_have_a_prefix(path: Path) -> None:
    graph = Graph().parse(path)
    used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, RDF.type)}
    assert sorted(iri for iri in used if not _has_prefix(iri)) == []


def test_ontology_header_is_written_with_the_vann_prefix() -> None:
    assert PREFIXES["vann"] == str(VANN)
    graph = Graph(bind_namespaces="none")  # only our table's bindings, as the web layer does
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in Graph().parse(ONTOLOGY_DIR / "aict.ttl"):
        graph.add(triple)
    base = "https://w3id.org/aict/"
    for key in ("ttl", "rdf"):
        text = serialize_graph(graph, BY_KEY[key], canonical=base, public=base).decode()
        assert "vann:preferredNamespacePrefix" in text
        assert "ns1" not in text


def test_the_plain_prefix_table_spells_rdflibs_namespaces_alike() -> None:
    """publisher.prefixes spells out the namespaces rdflib also defines: they must agree."""
    from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDFS, SKOS, XSD

    for prefix, namespace in {
        "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS,
        "dct": DCTERMS, "dcat": DCAT, "foaf": FOAF, "prov": PROV,
    }.items():  # fmt: skip
        assert PREFIXES[prefix] == str(namespace), prefix
