"""Imported Covenant of Mayors signatories -> the `gcom` graph.

For each authority a row stands for: an org:Membership of the Covenant of Mayors (member,
period from the adhesion date, commitments, status, the JRC's gcom_id) and the aict:Action of
taking part in it (kind `networkParticipation`, theme climate and energy, led by the
authority, associated with the Covenant, its Covenant Coordinator and Covenant Supporter
with their roles). The Covenant, coordinators and supporters are organisations. Everything
is prov:wasDerivedFrom the row of the workbook (and of the reviewed table when it settled the
row). Nothing of the `mayor` column is here: the workbook reader never reads it.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from publisher import uris
from publisher.importer.countries import FRANCE_ISO3
from publisher.importer.french_places import FrenchPlace
from publisher.importer.gcom import GcomImport, ImportedSignatory
from publisher.importer.names import normalise
from publisher.namespaces import ADMS, AICT, COVENANT_OF_MAYORS_SITE, DCAT, DCTERMS, ORG

COVENANT_KEY = "covenant-of-mayors"
COVENANT_LABELS = {
    "fr": "Convention des maires pour le climat et l'énergie",
    "en": "Covenant of Mayors for Climate & Energy",
}
_COMMITMENT_LABELS = {
    "com2020": "CoM 2020",
    "com2030": "CoM 2030",
    "com2050": "CoM 2050",
    "mayorsAdapt": "Mayors Adapt",
}
# Words that mark a coordinator's or supporter's name as French (the JRC's table is in
# English, but coordinators often registered under their French name).
_FRENCH_WORDS = frozenset(
    {"conseil", "communaute", "agence", "metropole", "departement", "general", "regional"}
)


def covenant_iri() -> URIRef:
    return uris.mint_organisation(COVENANT_KEY)


def build_gcom(result: GcomImport) -> Graph:
    g = Graph()
    covenant = covenant_iri()
    g.add((covenant, RDF.type, ORG.Organization))
    for lang, label in COVENANT_LABELS.items():
        g.add((covenant, SKOS.prefLabel, Literal(label, lang=lang)))
        g.add((covenant, RDFS.label, Literal(label, lang=lang)))
    g.add((covenant, SKOS.altLabel, Literal("Global Covenant of Mayors", lang="en")))
    g.add((covenant, SKOS.altLabel, Literal("GCoM")))
    g.add((covenant, DCTERMS.source, URIRef(COVENANT_OF_MAYORS_SITE)))
    for row in result.imported:
        for place in row.members:
            _member(g, result, row, place)
    return g


def _member(g: Graph, result: GcomImport, row: ImportedSignatory, place: FrenchPlace) -> None:
    s = row.signatory
    key = f"gcom-{s.organisation_id}"
    if len(row.members) > 1:
        key += f"-{place.kind}-{place.code}"
    member = _authority_iri(place)
    membership = uris.mint_record("membership", key)
    action = uris.mint_record("action", key)
    sources = [uris.mint_source_row(result.source_file, s.line)]
    if row.reviewed is not None and result.table_file:
        sources.append(uris.mint_source_row(result.table_file, row.reviewed.line))
    status = uris.mint_concept("status", row.status)
    commitments = ", ".join(_COMMITMENT_LABELS[c] for c in s.commitments) or "—"
    since_fr = f" depuis le {s.adhesion_date.isoformat()}" if s.adhesion_date else ""
    since_en = f" since {s.adhesion_date.isoformat()}" if s.adhesion_date else ""

    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.member, member))
    g.add((membership, ORG.organization, covenant_iri()))
    _labels(
        g,
        membership,
        f"Adhésion de {place.name} à la Convention des maires",
        f"Membership of {place.name} in the Covenant of Mayors",
    )
    for notation in s.commitments:
        g.add((membership, AICT.commitment, uris.mint_concept("covenant-commitment", notation)))
    g.add((membership, ADMS.status, status))
    if s.gcom_id:
        g.add((membership, DCTERMS.identifier, Literal(s.gcom_id)))

    g.add((action, RDF.type, AICT.Action))
    _labels(
        g,
        action,
        f"{place.name} dans la Convention des maires pour le climat et l'énergie",
        f"{place.name} in the Covenant of Mayors for Climate & Energy",
    )
    g.add(
        (
            action,
            DCTERMS.description,
            Literal(
                f"Signataire de la Convention des maires{since_fr} ; engagements : {commitments}.",
                lang="fr",
            ),
        )
    )
    g.add(
        (
            action,
            DCTERMS.description,
            Literal(
                f"Signatory of the Covenant of Mayors{since_en}; commitments: {commitments}.",
                lang="en",
            ),
        )
    )
    g.add((action, AICT.actionType, uris.mint_concept("action-type", "networkParticipation")))
    g.add((action, AICT.theme, uris.mint_concept("theme", "environmentClimateEnergy")))
    g.add((action, AICT.leadAuthority, member))
    g.add((action, PROV.wasAssociatedWith, covenant_iri()))
    g.add((action, DCTERMS.spatial, uris.country_iri(FRANCE_ISO3)))
    g.add((action, ADMS.status, status))
    g.add((action, DCTERMS.relation, membership))
    if s.adhesion_date is not None:
        period = uris.mint_record("period", key)
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(s.adhesion_date.isoformat(), datatype=XSD.date)))
        g.add((membership, ORG.memberDuring, period))
        g.add((action, DCTERMS.temporal, period))
    for name, role, suffix in (
        (s.coordinator, "networkCoordinator", "coordinator"),
        (s.supporter, "technicalExpertise", "supporter"),
    ):
        if name:
            organisation = _organisation(g, name, sources[0])
            association = uris.mint_record("association", f"{key}-{suffix}")
            g.add((action, PROV.qualifiedAssociation, association))
            g.add((association, RDF.type, PROV.Association))
            g.add((association, PROV.agent, organisation))
            g.add((association, PROV.hadRole, uris.mint_concept("partner-role", role)))
    for source in sources:
        for record in (membership, action):
            g.add((record, PROV.wasDerivedFrom, source))


def _organisation(g: Graph, name: str, source: URIRef) -> URIRef:
    """A Covenant Coordinator or Supporter, as the table names it."""
    iri = uris.mint_organisation(name)
    lang = "fr" if set(normalise(name).split()) & _FRENCH_WORDS else "en"
    if (iri, RDF.type, ORG.Organization) not in g:
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(name, lang=lang)))
        g.add((iri, RDFS.label, Literal(name, lang=lang)))
    g.add((iri, PROV.wasDerivedFrom, source))
    return iri


def _labels(g: Graph, iri: URIRef, fr: str, en: str) -> None:
    for text, lang in ((fr, "fr"), (en, "en")):
        g.add((iri, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((iri, RDFS.label, Literal(text, lang=lang)))


def _authority_iri(place: FrenchPlace) -> URIRef:
    if place.kind == "commune":
        return uris.mint_commune(place.code)
    if place.kind == "epci":
        return uris.mint_epci(place.code)
    if place.kind == "departement":
        return uris.mint_departement(place.code)
    return uris.mint_region(place.code)
