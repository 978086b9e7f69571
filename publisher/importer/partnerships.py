"""Twinning partnerships -> RDF: one aict:Partnership per pair, aict:twinnedWith both ways."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from publisher import uris
from publisher.importer.twinnings import TwinningImport
from publisher.namespaces import AICT, DCTERMS, ORG


def build_partnerships(twinnings: TwinningImport) -> Graph:
    g = Graph()
    charter = uris.mint_concept("partnership-form", "twinningCharter")
    for partnership in twinnings.partnerships.values():
        iri = partnership.iri
        a, b = partnership.members
        label_a, label_b = partnership.labels
        g.add((iri, RDF.type, AICT.Partnership))
        g.add((iri, AICT.partnershipForm, charter))
        for lang, word in (("fr", "Jumelage"), ("en", "Twinning")):
            label = Literal(f"{word} {label_a} – {label_b}", lang=lang)
            g.add((iri, RDFS.label, label))
            g.add((iri, SKOS.prefLabel, label))
        g.add((iri, ORG.hasMember, a))
        g.add((iri, ORG.hasMember, b))
        g.add((a, ORG.memberOf, iri))
        g.add((b, ORG.memberOf, iri))
        g.add((a, AICT.twinnedWith, b))
        g.add((b, AICT.twinnedWith, a))
        for country in partnership.countries:
            g.add((iri, DCTERMS.spatial, uris.country_iri(country.iso3)))
        for line in partnership.lines:
            g.add((iri, PROV.wasDerivedFrom, uris.mint_source_row(twinnings.source_file, line)))
        # A French side chosen by the reviewed table: the table's row and its cited page.
        for cited in partnership.citations:
            table = twinnings.twinning_places.source_name
            g.add((iri, PROV.wasDerivedFrom, uris.mint_source_row(table, cited.line)))
            g.add((iri, DCTERMS.source, URIRef(cited.source_url)))
    return g
