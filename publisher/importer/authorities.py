"""French authorities (communes, EPCI, départements, régions) and partner authorities -> RDF.

French facts come from the découpage data only (no SIREN is invented for départements and
régions, which have none there); coordinates come from the twinnings CSV.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from publisher import uris
from publisher.importer.countries import FRANCE_ISO3
from publisher.importer.literals import decimal_literal
from publisher.importer.names import split_qualifier
from publisher.importer.reference import Division, Entry, Reference
from publisher.importer.twinnings import TwinningImport
from publisher.namespaces import AICT, DCTERMS, GEO, ORG

EPCI_TYPES = {
    "METRO": "metropole",
    "MET69": "metropole",  # Métropole de Lyon
    "CU": "communauteUrbaine",
    "CA": "communauteAgglomeration",
    "CC": "communauteCommunes",
}


def build_authorities(
    ref: Reference,
    twinnings: TwinningImport,
    extra_communes: set[str],
    extra_epcis: set[str],
    extra_divisions: set[tuple[str, str]] = frozenset(),
) -> Graph:
    g = Graph()
    france = uris.country_iri(FRANCE_ISO3)
    communes: set[str] = set(extra_communes)
    epcis: set[str] = set(extra_epcis)
    divisions: set[tuple[str, str]] = set(extra_divisions)
    for authority in twinnings.french.values():
        kind, code = authority.place.kind, authority.place.code
        if kind == "commune":
            communes.add(code)
        elif kind == "epci":
            epcis.add(code)
        else:
            divisions.add((kind, code))
    points = {a.place.code: a for a in twinnings.french.values() if a.place.kind == "commune"}
    for code in sorted(communes):
        iri = uris.mint_commune(code)
        divisions |= _commune(g, ref, code, france)
        located = points.get(code)
        if located is not None and located.point is not None:
            g.add((iri, GEO.lat, decimal_literal(located.point.lat)))
            g.add((iri, GEO.long, decimal_literal(located.point.long)))
            g.add(
                (
                    iri,
                    PROV.wasDerivedFrom,
                    uris.mint_source_row(twinnings.source_file, located.point_line),
                )
            )
    _divisions(g, ref, divisions, france)
    for siren in sorted(epcis):
        _epci(g, ref, siren, france)
    for partner in twinnings.partners.values():
        iri = partner.iri
        g.add((iri, RDF.type, AICT.PartnerLocalAuthority))
        # Names are as English Wikipedia writes them; no French name is known.
        g.add((iri, RDFS.label, Literal(partner.name, lang="en")))
        g.add((iri, SKOS.prefLabel, Literal(partner.name, lang="en")))
        # Other spellings found in the source, and the name without its qualifier
        # ("Prague 6" for "Prague 6 (Prague)"), so that searches find it.
        variants = set(partner.source_names) | {split_qualifier(partner.name).name}
        for variant in variants - {partner.name}:
            g.add((iri, SKOS.altLabel, Literal(variant, lang="en")))
        g.add(
            (iri, ORG.classification, uris.mint_concept("authority-type", "foreignLocalAuthority"))
        )
        g.add((iri, DCTERMS.spatial, uris.country_iri(partner.country.iso3)))
        if partner.point is not None:  # None: the source's was outside the country
            g.add((iri, GEO.lat, decimal_literal(partner.point.lat)))
            g.add((iri, GEO.long, decimal_literal(partner.point.long)))
        for line in partner.lines:
            g.add((iri, PROV.wasDerivedFrom, uris.mint_source_row(twinnings.source_file, line)))
    return g


def describe_french_authority(ref: Reference, kind: str, code: str) -> Graph:
    """One French authority (commune, epci, departement or region, by INSEE code or SIREN)
    with its département and région, described as the bundled dataset describes them."""
    g = Graph()
    france = uris.country_iri(FRANCE_ISO3)
    divisions: set[tuple[str, str]] = set()
    if kind == "commune":
        divisions = _commune(g, ref, code, france)
    elif kind == "epci":
        _epci(g, ref, code, france)
    else:
        divisions = {(kind, code)}
    _divisions(g, ref, divisions, france)
    return g


def _commune(g: Graph, ref: Reference, code: str, france: URIRef) -> set[tuple[str, str]]:
    """The commune's own facts; returns the divisions it points at."""
    commune = ref.communes[code]
    iri = uris.mint_commune(code)
    divisions: set[tuple[str, str]] = set()
    _french(g, iri, commune.name, "commune", commune.entry, france)
    g.add((iri, AICT.inseeCode, Literal(code)))
    if commune.siren:
        g.add((iri, AICT.siren, Literal(commune.siren)))
    if commune.population is not None:
        g.add((iri, AICT.population, Literal(commune.population, datatype=XSD.integer)))
    if ("departement", commune.departement) in ref.divisions:
        g.add((iri, AICT.departement, uris.mint_departement(commune.departement)))
        divisions.add(("departement", commune.departement))
    if ("region", commune.region) in ref.divisions:
        g.add((iri, AICT.region, uris.mint_region(commune.region)))
        divisions.add(("region", commune.region))
    return divisions


def _epci(g: Graph, ref: Reference, siren: str, france: URIRef) -> None:
    epci = ref.epcis[siren]
    iri = uris.mint_epci(siren)
    _french(g, iri, epci.name, EPCI_TYPES.get(epci.kind, "syndicatMixte"), epci.entry, france)
    g.add((iri, AICT.siren, Literal(siren)))
    if epci.population is not None:
        g.add((iri, AICT.population, Literal(epci.population, datatype=XSD.integer)))


def _divisions(g: Graph, ref: Reference, divisions: set[tuple[str, str]], france: URIRef) -> None:
    """Each département or région, and the région of each département."""
    for kind, code in sorted(divisions):
        division = ref.divisions[(kind, code)]
        if kind == "departement" and division.region:
            divisions_region = ("region", division.region)
            if divisions_region not in divisions and divisions_region in ref.divisions:
                _division(g, ref.divisions[divisions_region], france)
        _division(g, division, france)


def _french(g: Graph, iri: URIRef, name: str, kind: str, entry: Entry, france: URIRef) -> None:
    g.add((iri, RDF.type, AICT.FrenchLocalAuthority))
    g.add((iri, RDFS.label, Literal(name, lang="fr")))
    g.add((iri, SKOS.prefLabel, Literal(name, lang="fr")))
    g.add((iri, ORG.classification, uris.mint_concept("authority-type", kind)))
    g.add((iri, DCTERMS.spatial, france))
    g.add((iri, PROV.wasDerivedFrom, uris.mint_source_row(entry.file, entry.line)))


def _division(g: Graph, division: Division, france: URIRef) -> None:
    minter = uris.mint_departement if division.kind == "departement" else uris.mint_region
    iri = minter(division.code)
    _french(g, iri, division.name, division.kind, division.entry, france)
    g.add((iri, AICT.inseeCode, Literal(division.code)))
    if division.kind == "departement" and division.region:
        g.add((iri, AICT.region, uris.mint_region(division.region)))
