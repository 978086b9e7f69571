"""French and English strings of the HTML pages, and the choice of the page language.

The language is chosen, in this order, by the `?lang=` switch, then the `aict_lang` cookie the
switch sets, then the browser's Accept-Language, and finally French: the data describes French
local authorities and most of its labels are French.
"""

from __future__ import annotations

from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS
from starlette.requests import Request

from publisher.namespaces import ADMS, GEO, ORG, SCHEMA
from publisher.negotiation import parse_weighted

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANG = "fr"
LANG_COOKIE = "aict_lang"
LANG_PARAM = "lang"

_STRINGS: dict[str, dict[str, str]] = {
    "site_name": {
        "fr": "Action internationale des collectivités",
        "en": "International action of local authorities",
    },
    "tagline": {
        "fr": "Données ouvertes et liées sur les jumelages, la coopération décentralisée et "
        "l'action extérieure des collectivités territoriales françaises.",
        "en": "Linked open data on the twinnings, decentralised cooperation and external action "
        "of French local authorities.",
    },
    "nav_home": {"fr": "Accueil", "en": "Home"},
    "nav_menu": {"fr": "Menu principal", "en": "Main menu"},
    "nav_search": {"fr": "Recherche", "en": "Search"},
    "nav_catalog": {"fr": "Catalogue DCAT", "en": "DCAT catalog"},
    "nav_sparql": {"fr": "SPARQL", "en": "SPARQL"},
    "nav_ontology": {"fr": "Ontologie", "en": "Ontology"},
    "nav_dumps": {"fr": "Téléchargements", "en": "Downloads"},
    "switch_to": {"fr": "English", "en": "Français"},
    "switch_label": {"fr": "Read in English", "en": "Lire en français"},
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "search_label": {"fr": "Rechercher par nom", "en": "Search by name"},
    "search_placeholder": {"fr": "Dijon, Mayence, jumelage…", "en": "Dijon, Mainz, twinning…"},
    "search_button": {"fr": "Rechercher", "en": "Search"},
    "search_title": {"fr": "Recherche", "en": "Search"},
    "search_results": {"fr": "{n} résultat(s) pour « {q} »", "en": "{n} result(s) for “{q}”"},
    "search_none": {"fr": "Aucun résultat pour « {q} ».", "en": "No result for “{q}”."},
    "search_short": {
        "fr": "Saisissez au moins 2 caractères.",
        "en": "Type at least 2 characters.",
    },
    "search_truncated": {
        "fr": "Seuls les {n} premiers résultats sont affichés ; précisez la recherche.",
        "en": "Only the first {n} results are shown; refine the search.",
    },
    "figures": {"fr": "Le jeu de données en chiffres", "en": "The dataset in figures"},
    "fig_triples": {"fr": "triplets", "en": "triples"},
    "fig_french": {"fr": "collectivités françaises", "en": "French local authorities"},
    "fig_partners": {"fr": "collectivités partenaires", "en": "partner authorities"},
    "fig_partnerships": {"fr": "partenariats", "en": "partnerships"},
    "fig_actions": {"fr": "actions", "en": "actions"},
    "fig_countries": {"fr": "pays partenaires", "en": "partner countries"},
    "chart_form": {"fr": "Partenariats par forme", "en": "Partnerships by form"},
    "chart_kind": {"fr": "Actions par type", "en": "Actions by kind"},
    "chart_theme": {"fr": "Actions par thème", "en": "Actions by theme"},
    "chart_country": {
        "fr": "Partenariats par pays partenaire (15 premiers)",
        "en": "Partnerships by partner country (top 15)",
    },
    "chart_empty": {"fr": "Pas encore de données.", "en": "No data yet."},
    "chart_commitment": {
        "fr": "Engagements des collectivités membres de la Convention des maires",
        "en": "Commitments of the authorities in the Covenant of Mayors",
    },
    "networks": {"fr": "Réseaux et engagements", "en": "Networks and commitments"},
    "network": {"fr": "Réseau", "en": "Network"},
    "member_since": {"fr": "Membre depuis", "en": "Member since"},
    "membership": {"fr": "adhésion", "en": "membership"},
    "commitments": {"fr": "Engagements", "en": "Commitments"},
    "membership_status": {"fr": "Statut", "en": "Status"},
    "networks_credit": {
        "fr": "Source : Centre commun de recherche (JRC) de la Commission européenne, GCoM – "
        "MyCovenant, 5e version (2024), CC BY 4.0 ; rapproché des codes INSEE et SIREN par ce "
        "projet.",
        "en": "Source: European Commission, Joint Research Centre (JRC), GCoM – MyCovenant, 5th "
        "release (2024), CC BY 4.0; matched to INSEE and SIREN codes by this project.",
    },
    "chart_table": {"fr": "Voir les chiffres", "en": "Show the figures"},
    "col_label": {"fr": "Libellé", "en": "Label"},
    "col_count": {"fr": "Nombre", "en": "Count"},
    "map_title": {
        "fr": "Carte des partenariats de {city}",
        "en": "Map of the partnerships of {city}",
    },
    "map_pick": {"fr": "Choisir une ville", "en": "Choose a city"},
    "map_show": {"fr": "Afficher", "en": "Show"},
    "map_none": {
        "fr": "Aucune collectivité avec des partenaires localisés.",
        "en": "No authority with located partners.",
    },
    "map_partners": {
        "fr": "{n} partenaire(s) localisé(s)",
        "en": "{n} located partner(s)",
    },
    "map_unlocated": {
        "fr": "Sans coordonnées (non cartographiés) : {names}",
        "en": "Without coordinates (not mapped): {names}",
    },
    "map_alt": {
        "fr": "Carte : {city} et ses partenaires, reliés par des lignes.",
        "en": "Map: {city} and its partners, joined by lines.",
    },
    "map_basemap": {
        "fr": "Fond de carte : Natural Earth (domaine public) via world-atlas.",
        "en": "Basemap: Natural Earth (public domain) via world-atlas.",
    },
    "location": {"fr": "Localisation", "en": "Location"},
    "links_title": {"fr": "Accès aux données", "en": "Access the data"},
    "link_catalog": {
        "fr": "Catalogue DCAT (moissonnable par data.gouv.fr et data.europa.eu)",
        "en": "DCAT catalog (harvestable by data.gouv.fr and data.europa.eu)",
    },
    "link_sparql": {"fr": "Point d'accès SPARQL", "en": "SPARQL endpoint"},
    "link_dumps": {
        "fr": "Téléchargements (Turtle, N-Triples, JSON-LD, N-Quads)",
        "en": "Dumps (Turtle, N-Triples, JSON-LD, N-Quads)",
    },
    "link_void": {"fr": "Description VoID", "en": "VoID description"},
    "dump_ttl": {"fr": "tout le jeu de données en Turtle", "en": "the whole dataset in Turtle"},
    "dump_nt": {"fr": "en N-Triples", "en": "in N-Triples"},
    "dump_jsonld": {"fr": "en JSON-LD", "en": "in JSON-LD"},
    "dump_nq": {
        "fr": "en N-Quads, graphes nommés conservés",
        "en": "in N-Quads, named graphs kept",
    },
    "dump_trig": {"fr": "en TriG, graphes nommés conservés", "en": "in TriG, named graphs kept"},
    "gzipped": {"fr": "compressé (gzip)", "en": "gzip-compressed"},
    "link_ontology": {"fr": "Ontologie AICT", "en": "AICT ontology"},
    "link_template": {"fr": "Contribuer avec un tableur", "en": "Contribute with a spreadsheet"},
    "template_intro": {
        "fr": "Décrivez les actions de votre collectivité, une par ligne, puis vérifiez le "
        "fichier avec « aict validate » ou convertissez-le avec « aict import actions ».",
        "en": "Describe your authority's actions, one per row, then check the file with "
        "'aict validate' or convert it with 'aict import actions'.",
    },
    "template_xlsx": {
        "fr": "classeur avec listes déroulantes des vocabulaires",
        "en": "workbook with the vocabularies in drop-down lists",
    },
    "template_csv": {"fr": "le même modèle en CSV (UTF-8)", "en": "the same template as CSV"},
    "template_schema": {
        "fr": "description des colonnes (Table Schema)",
        "en": "description of the columns (Table Schema)",
    },
    "link_vocab": {"fr": "Vocabulaires", "en": "Vocabularies"},
    "types": {"fr": "Types", "en": "Types"},
    "properties": {"fr": "Propriétés", "en": "Properties"},
    "incoming": {"fr": "Liens entrants", "en": "Incoming links"},
    "incoming_none": {"fr": "Aucun lien entrant.", "en": "No incoming link."},
    "page_n": {"fr": "Page {n}", "en": "Page {n}"},
    "next": {"fr": "Suivant", "en": "Next"},
    "previous": {"fr": "Précédent", "en": "Previous"},
    "formats": {"fr": "Autres formats :", "en": "Other formats:"},
    "iri_label": {"fr": "IRI :", "en": "IRI:"},
    "classes": {"fr": "Classes", "en": "Classes"},
    "object_properties": {"fr": "Propriétés d'objet", "en": "Object properties"},
    "datatype_properties": {"fr": "Propriétés de données", "en": "Datatype properties"},
    "other_properties": {"fr": "Autres propriétés", "en": "Other properties"},
    "datatypes": {"fr": "Types de données", "en": "Datatypes"},
    "concepts": {"fr": "Concepts", "en": "Concepts"},
    "schemes": {"fr": "Schémas de concepts", "en": "Concept schemes"},
    "term_index": {"fr": "Index des termes", "en": "Index of terms"},
    "definition": {"fr": "Définition", "en": "Definition"},
    "subclass_of": {"fr": "Sous-classe de", "en": "Subclass of"},
    "subproperty_of": {"fr": "Sous-propriété de", "en": "Subproperty of"},
    "domain": {"fr": "Domaine", "en": "Domain"},
    "range": {"fr": "Co-domaine", "en": "Range"},
    "notation": {"fr": "Notation", "en": "Notation"},
    "broader": {"fr": "Plus générique", "en": "Broader"},
    "partners": {"fr": "Partenaires", "en": "Partners"},
    "error_title": {"fr": "Erreur {status}", "en": "Error {status}"},
    "error_400": {"fr": "Requête incorrecte", "en": "Bad request"},
    "error_403": {"fr": "Accès refusé", "en": "Forbidden"},
    "error_404": {"fr": "Ressource introuvable", "en": "Not found"},
    "error_405": {"fr": "Méthode non autorisée", "en": "Method not allowed"},
    "error_406": {"fr": "Format non disponible", "en": "Not acceptable"},
    "error_413": {"fr": "Requête ou résultat trop volumineux", "en": "Too large"},
    "error_500": {"fr": "Erreur interne", "en": "Internal error"},
    "error_503": {"fr": "Service momentanément indisponible", "en": "Service unavailable"},
    "error_other": {"fr": "Erreur", "en": "Error"},
    "back_home": {"fr": "Retour à l'accueil", "en": "Back to the home page"},
    "footer": {
        "fr": "Données sous Licence Ouverte 2.0 (Etalab). Aucune ressource tierce n'est chargée "
        "par ces pages.",
        "en": "Data under the Licence Ouverte 2.0 (Etalab). These pages load no third-party "
        "resource.",
    },
    "version": {"fr": "Version du jeu de données", "en": "Dataset version"},
    "version_label": {"fr": "Version du jeu de données :", "en": "Dataset version:"},
    "cat_dataset": {"fr": "Jeu de données", "en": "Dataset"},
    "cat_distributions": {"fr": "Distributions", "en": "Distributions"},
    "cat_col_file": {"fr": "Fichier", "en": "File"},
    "cat_col_format": {"fr": "Format", "en": "Format"},
    "cat_col_size": {"fr": "Taille", "en": "Size"},
    "cat_col_checksum": {"fr": "Somme de contrôle", "en": "Checksum"},
    "cat_publisher": {"fr": "Éditeur", "en": "Publisher"},
    "cat_licence": {"fr": "Licence", "en": "Licence"},
    "cat_modified": {"fr": "Mis à jour le", "en": "Modified"},
    "cat_keywords": {"fr": "Mots-clés", "en": "Keywords"},
    "cat_landing": {"fr": "Page d'accueil", "en": "Landing page"},
    "cat_services": {"fr": "Services de données", "en": "Data services"},
    "cat_service_access": {"fr": "accès par le service", "en": "access through the service"},
    "cat_harvest": {
        "fr": "Ce catalogue, au format DCAT-AP 3.0, pour les moissonneurs :",
        "en": "This catalog, in DCAT-AP 3.0, for harvesters:",
    },
    "void_figures": {"fr": "Taille du jeu de données", "en": "Size of the dataset"},
    "void_subjects": {"fr": "sujets distincts", "en": "distinct subjects"},
    "void_properties": {"fr": "propriétés distinctes", "en": "distinct properties"},
    "void_classes": {"fr": "classes", "en": "classes"},
    "void_partitions": {"fr": "Entités par classe", "en": "Entities per class"},
    "void_examples": {"fr": "Exemples de ressources", "en": "Example resources"},
    "void_uri_space": {"fr": "Espace des IRI", "en": "URI space"},
    "void_vocabularies": {"fr": "Vocabulaires utilisés", "en": "Vocabularies used"},
    "void_machine": {
        "fr": "Cette description, en VoID, pour les programmes :",
        "en": "This description, in VoID, for programs:",
    },
    "col_class": {"fr": "Classe", "en": "Class"},
    "col_entities": {"fr": "Entités", "en": "Entities"},
}


# Labels of the reused terms our pages show most, for when the store holds no label for them.
_TERM_LABELS: dict[str, tuple[str, str]] = {
    str(RDF.type): ("type", "type"),
    str(RDFS.label): ("libellé", "label"),
    str(RDFS.comment): ("commentaire", "comment"),
    str(RDFS.seeAlso): ("voir aussi", "see also"),
    str(RDFS.isDefinedBy): ("défini par", "defined by"),
    str(RDFS.subClassOf): ("sous-classe de", "subclass of"),
    str(SKOS.prefLabel): ("libellé préféré", "preferred label"),
    str(SKOS.altLabel): ("autre libellé", "alternative label"),
    str(SKOS.definition): ("définition", "definition"),
    str(SKOS.notation): ("notation", "notation"),
    str(SKOS.inScheme): ("dans le schéma", "in scheme"),
    str(SKOS.broader): ("plus générique", "broader"),
    str(SKOS.narrower): ("plus spécifique", "narrower"),
    str(SKOS.topConceptOf): ("concept de tête de", "top concept of"),
    str(SKOS.hasTopConcept): ("concepts de tête", "top concepts"),
    str(SKOS.exactMatch): ("correspondance exacte", "exact match"),
    str(SKOS.closeMatch): ("correspondance proche", "close match"),
    str(SKOS.related): ("voir aussi (lié)", "related"),
    str(DCTERMS.title): ("titre", "title"),
    str(DCTERMS.description): ("description", "description"),
    str(DCTERMS.spatial): ("pays ou territoire", "country or territory"),
    str(DCTERMS.temporal): ("période", "period"),
    str(DCTERMS.source): ("source", "source"),
    str(DCTERMS.subject): ("sujet", "subject"),
    str(DCTERMS.identifier): ("identifiant", "identifier"),
    str(DCTERMS.license): ("licence", "licence"),
    str(DCTERMS.issued): ("publié le", "issued"),
    str(DCTERMS.modified): ("modifié le", "modified"),
    str(DCTERMS.creator): ("auteur", "creator"),
    str(DCTERMS.contributor): ("contributeur", "contributor"),
    str(DCTERMS.language): ("langue", "language"),
    str(DCTERMS.created): ("créé le", "created"),
    str(DCTERMS.publisher): ("éditeur", "publisher"),
    str(DCTERMS.isPartOf): ("fait partie de", "is part of"),
    str(DCTERMS.replaces): ("remplace", "replaces"),
    str(DCTERMS.isReplacedBy): ("remplacé par", "is replaced by"),
    str(DCAT.startDate): ("début", "start"),
    str(DCAT.endDate): ("fin", "end"),
    str(GEO.lat): ("latitude", "latitude"),
    str(GEO.long): ("longitude", "longitude"),
    str(ORG.hasMember): ("a pour membre", "has member"),
    str(ORG.memberOf): ("membre de", "member of"),
    str(ORG.classification): ("type de collectivité", "kind of authority"),
    str(ORG.Organization): ("organisation", "organisation"),
    str(PROV.wasDerivedFrom): ("issu de", "derived from"),
    str(PROV.qualifiedAssociation): ("association qualifiée", "qualified association"),
    str(PROV.agent): ("agent", "agent"),
    str(PROV.wasAssociatedWith): ("associé à", "associated with"),
    str(PROV.wasGeneratedBy): ("produit par", "generated by"),
    str(PROV.Association): ("association", "association"),
    str(PROV.Activity): ("activité", "activity"),
    str(PROV.Entity): ("entité", "entity"),
    str(DCTERMS.PeriodOfTime): ("période", "period of time"),
    str(DCTERMS.relation): ("relation", "relation"),
    str(DCTERMS.type): ("type", "type"),
    str(DCTERMS.hasPart): ("comprend", "has part"),
    str(DCTERMS.date): ("date", "date"),
    str(DCTERMS.conformsTo): ("conforme à", "conforms to"),
    str(FOAF.homepage): ("page d'accueil", "homepage"),
    str(FOAF.page): ("page", "page"),
    str(FOAF.Organization): ("organisation", "organisation"),
    str(FOAF.Document): ("document", "document"),
    str(ORG.OrganizationalCollaboration): (
        "collaboration entre organisations",
        "organisational collaboration",
    ),
    str(ORG.Membership): ("adhésion", "membership"),
    str(ORG.role): ("rôle", "role"),
    str(ORG.member): ("membre", "member"),
    str(ORG.memberDuring): ("période d'adhésion", "membership period"),
    str(ORG.organization): ("organisation", "organisation"),
    str(SCHEMA.MonetaryGrant): ("subvention", "monetary grant"),
    str(SCHEMA.MonetaryAmount): ("montant", "monetary amount"),
    str(SCHEMA.Event): ("événement", "event"),
    str(SCHEMA.startDate): ("début", "start date"),
    str(SCHEMA.endDate): ("fin", "end date"),
    str(SCHEMA.url): ("adresse web", "URL"),
    str(SCHEMA.datePublished): ("publié le", "published"),
    str(SCHEMA.author): ("auteur", "author"),
    str(SCHEMA.about): ("sujet", "about"),
    str(PROV.hadRole): ("rôle", "role"),
    str(SCHEMA.amount): ("montant", "amount"),
    str(SCHEMA.value): ("valeur", "value"),
    str(SCHEMA.currency): ("devise", "currency"),
    str(SCHEMA.funder): ("financeur", "funder"),
    str(SCHEMA.fundedItem): ("objet financé", "funded item"),
    str(SCHEMA.name): ("nom", "name"),
    str(FOAF.name): ("nom", "name"),
    str(ADMS.status): ("statut", "status"),
    str(OWL.versionInfo): ("version", "version"),
    str(OWL.versionIRI): ("IRI de version", "version IRI"),
    str(OWL.Ontology): ("ontologie", "ontology"),
    str(OWL.Class): ("classe", "class"),
    str(OWL.ObjectProperty): ("propriété d'objet", "object property"),
    str(OWL.DatatypeProperty): ("propriété de données", "datatype property"),
    str(OWL.SymmetricProperty): ("propriété symétrique", "symmetric property"),
    str(RDFS.Datatype): ("type de données", "datatype"),
    str(PROV.Role): ("rôle", "role"),
    str(DCTERMS.Location): ("lieu", "location"),
    str(SKOS.Concept): ("concept", "concept"),
    str(SKOS.ConceptScheme): ("schéma de concepts", "concept scheme"),
}


def term_labels(lang: str) -> dict[str, str]:
    """Fallback labels of reused vocabulary terms, in `lang`."""
    index = 0 if lang == "fr" else 1
    return {iri: pair[index] for iri, pair in _TERM_LABELS.items()}


def t(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang`, with `{name}` placeholders filled from `values`."""
    entry = _STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def known_keys() -> frozenset[str]:
    return frozenset(_STRINGS)


def normalise_lang(value: str | None) -> str | None:
    """'en-GB' -> 'en'; anything we do not translate to -> None."""
    if not value:
        return None
    primary = value.strip().lower().split("-")[0].split("_")[0]
    return primary if primary in LANGUAGES else None


def lang_from_accept_language(header: str | None) -> str | None:
    """The supported language the client prefers most (RFC 9110 q-values), or None."""
    best: tuple[float, int, str] | None = None
    for position, (tag, quality) in enumerate(parse_weighted(header)):
        lang = normalise_lang(tag)
        if lang is None or quality <= 0:
            continue
        # Higher q wins; on a tie the earlier entry wins, hence the negated position.
        candidate = (quality, -position, lang)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def choose_message_lang(request: Request, default: str) -> str:
    """The language of messages in a machine answer (POST /validate): ?lang=, then
    Accept-Language, then `default` (Settings.lang, which `aict validate` uses too). The
    pages' cookie and French default are for people browsing the site."""
    return (
        normalise_lang(request.query_params.get(LANG_PARAM))
        or lang_from_accept_language(request.headers.get("accept-language"))
        or default
    )


def choose_lang(request: Request) -> str:
    """The page language: ?lang=, then the cookie, then Accept-Language, then French."""
    return (
        normalise_lang(request.query_params.get(LANG_PARAM))
        or normalise_lang(request.cookies.get(LANG_COOKIE))
        or lang_from_accept_language(request.headers.get("accept-language"))
        or DEFAULT_LANG
    )


def requested_switch(request: Request) -> str | None:
    """The language explicitly asked for with ?lang=, which the response remembers in a cookie."""
    return normalise_lang(request.query_params.get(LANG_PARAM))
