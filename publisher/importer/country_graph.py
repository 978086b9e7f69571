"""Countries used by the dataset -> RDF: the EU country IRI described with ISO 3166-1
codes and French and English names (from pycountry and its gettext catalogue)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from publisher import uris
from publisher.importer.countries import Country
from publisher.namespaces import DCTERMS

PYCOUNTRY_SOURCE = "pycountry-iso3166-1"


def build_countries(countries: Iterable[Country]) -> Graph:
    g = Graph()
    source = uris.mint_source(PYCOUNTRY_SOURCE)
    for country in set(countries):
        iri = uris.country_iri(country.iso3)
        g.add((iri, RDF.type, DCTERMS.Location))
        for lang, name in (("fr", country.name_fr), ("en", country.name_en)):
            g.add((iri, SKOS.prefLabel, Literal(name, lang=lang)))
            g.add((iri, RDFS.label, Literal(name, lang=lang)))
        g.add((iri, SKOS.notation, Literal(country.iso2)))
        g.add((iri, SKOS.notation, Literal(country.iso3)))
        g.add((iri, PROV.wasDerivedFrom, source))
    return g
