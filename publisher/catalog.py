"""What harvesters read: the dumps, the DCAT-AP 3.0 catalog and the VoID description.

Everything here is built once per dataset version (a new version after a SPARQL Update) and
kept in memory. Graphs use canonical IRIs; the web layer rebases them to the serving host.
Dumps keep canonical IRIs: they are the data itself, and their checksums must not depend on
the host that serves them.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from publisher.config import Settings, package_version
from publisher.errors import NotFound, StoreError
from publisher.namespaces import (
    AICT,
    CATALOG_IRI,
    DATASET_IRI,
    DUMPS_BASE,
    EU_ACCESS_RIGHT,
    EU_COUNTRY,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_FREQUENCY,
    EU_LANGUAGE,
    GRAPH_BASE,
    IANA_MEDIA_TYPE,
    ID_BASE,
    JRC_DATA_CATALOGUE,
    LICENCE_OUVERTE_2,
    NAMED_QUERIES_BASE,
    PUBLISHER_IRI,
    SD,
    SPARQL_ENDPOINT,
    SPARQL_PROTOCOL,
    SPARQL_SERVICE_IRI,
    SPDX,
    SPDX_LICENSE,
    VOID,
    VOID_DOC_IRI,
    bind_prefixes,
)
from publisher.stats import Overview
from publisher.store import Store


@dataclass(frozen=True)
class DumpSpec:
    name: str  # file name under /dumps/
    store_format: str  # key of publisher.store.DUMP_FORMATS
    gzipped: bool
    content_type: str  # what the HTTP response says
    media_type: str  # IANA media type of the (uncompressed) content, for dcat:mediaType
    file_type: str  # code in the EU file-type table, for dct:format
    title: str
    title_fr: str


DUMPS: tuple[DumpSpec, ...] = (
    DumpSpec(
        "aict.ttl",
        "ttl",
        False,
        "text/turtle; charset=utf-8",
        "text/turtle",
        "RDF_TURTLE",
        "Turtle dump",
        "Jeu de données complet en Turtle",
    ),
    DumpSpec(
        "aict.nt.gz",
        "nt",
        True,
        "application/gzip",
        "application/n-triples",
        "RDF_N_TRIPLES",
        "N-Triples dump (gzip)",
        "Jeu de données complet en N-Triples (gzip)",
    ),
    DumpSpec(
        "aict.jsonld",
        "jsonld",
        False,
        "application/ld+json",
        "application/ld+json",
        "JSON_LD",
        "JSON-LD dump",
        "Jeu de données complet en JSON-LD",
    ),
    DumpSpec(
        "aict.nq",
        "nq",
        False,
        "application/n-quads",
        "application/n-quads",
        "RDF_N_QUADS",
        "N-Quads dump (named graphs kept)",
        "Jeu de données complet en N-Quads (graphes nommés conservés)",
    ),
)
DUMPS_BY_NAME = {spec.name: spec for spec in DUMPS}


@dataclass(frozen=True)
class DumpRecord:
    """What the catalog says of a dump: its size and checksum."""

    size: int
    sha256: str


@dataclass(frozen=True)
class DumpFile:
    spec: DumpSpec
    data: bytes

    @cached_property
    def record(self) -> DumpRecord:
        return DumpRecord(len(self.data), hashlib.sha256(self.data).hexdigest())


@dataclass(frozen=True)
class VoidFigures:
    """The figures of the VoID description that take a pass over the data."""

    subjects: int
    properties: int
    classes: list[tuple[str, int]]  # (class IRI, entities), ordered by IRI
    examples: list[str]
    graphs: list[str]  # the named graphs, sorted


class Derived(Protocol):
    """What a build step computed from the data of one version, read instead of recomputed
    (publisher.build.Build)."""

    version: str

    def dump_record(self, name: str) -> DumpRecord: ...

    def dump_bytes(self, name: str) -> bytes: ...

    def dump_gzipped(self, name: str) -> bytes: ...

    @property
    def void(self) -> VoidFigures: ...

    def overview(self, lang: str) -> Overview | None:
        """The home page's figures and counts in `lang` (publisher.stats), if built."""

    def label_entries(self) -> tuple[tuple[str, str, str], ...] | None:
        """The search box's label index (publisher.web.label_search), if built."""


class Publication:
    """The dumps, catalog and VoID of one loaded store, each built on first use, or read from
    what the build step stored with the data (`derived`) when it is of the store's version."""

    def __init__(self, store: Store, settings: Settings, derived: Derived | None = None) -> None:
        self._store = store
        self._settings = settings
        self._lock = threading.Lock()
        self._dumps: dict[str, DumpFile] = {}
        self._gzipped: dict[str, bytes] = {}
        self._graphs: dict[str, Graph] = {}
        self._version = store.version
        self._derived = (
            derived if derived is not None and derived.version == store.version else None
        )

    def _follow_version(self) -> None:
        """Drop what was built for an earlier version (after a SPARQL Update). Hold the lock."""
        if self._store.version != self._version:
            self._dumps.clear()
            self._gzipped.clear()
            self._graphs.clear()
            self._derived = None
            self._version = self._store.version

    def dump(self, name: str) -> DumpFile:
        spec = dump_spec(name)
        if not self._store.publishes_dumps:
            raise NotFound("no dumps here: the data is served by a SPARQL engine, query it")
        with self._lock:  # one build per version, even when requests arrive together
            self._follow_version()
            if name not in self._dumps:
                if self._derived is not None:
                    data = self._derived.dump_bytes(name)
                else:
                    data = dump_bytes(self._store, spec)
                self._dumps[name] = DumpFile(spec, data)
            return self._dumps[name]

    def dump_record(self, name: str) -> DumpRecord:
        """Size and checksum of a dump, without reading it when the build recorded them."""
        dump_spec(name)
        with self._lock:
            self._follow_version()
            derived = self._derived
        if derived is not None:
            return derived.dump_record(name)
        return self.dump(name).record

    def dump_gzipped(self, name: str) -> bytes:
        """The dump compressed for Content-Encoding: gzip, built once."""
        dump_file = self.dump(name)
        with self._lock:
            self._follow_version()
            if name not in self._gzipped:
                if self._derived is not None:
                    self._gzipped[name] = self._derived.dump_gzipped(name)
                else:
                    self._gzipped[name] = gzip_encoded(dump_file.data)
            return self._gzipped[name]

    def catalog(self) -> Graph:
        return self._graph("catalog", lambda: build_catalog(self, self._settings))

    def void(self) -> Graph:
        return self._graph("void", lambda: build_void(self._store, self._settings, self.figures()))

    def figures(self) -> VoidFigures:
        """The figures that take a pass over the data: built once, or read from the build."""
        with self._lock:
            self._follow_version()
            derived = self._derived
        return derived.void if derived is not None else void_figures(self._store)

    def _graph(self, key: str, build) -> Graph:
        with self._lock:
            self._follow_version()
            cached = self._graphs.get(key)
            built_for = self._version
        if cached is None:
            cached = build()
            with self._lock:
                if self._version == built_for:  # not if an update came in meanwhile
                    self._graphs.setdefault(key, cached)
        return cached

    @property
    def store(self) -> Store:
        return self._store

    @property
    def derived(self) -> Derived | None:
        """What the build step stored for the store's current version, if anything."""
        with self._lock:
            self._follow_version()
            return self._derived


def dump_spec(name: str) -> DumpSpec:
    spec = DUMPS_BY_NAME.get(name)
    if spec is None:
        raise StoreError(f"no dump named {name!r}")
    return spec


def dump_bytes(store: Store, spec: DumpSpec) -> bytes:
    """The bytes of one dump file, as published."""
    data = store.dump(spec.store_format)
    return gzip.compress(data, compresslevel=9, mtime=0) if spec.gzipped else data


def gzip_encoded(data: bytes) -> bytes:
    """A dump as sent with Content-Encoding: gzip (deterministic: no timestamp)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


_TEXT = {
    "catalog_title": {
        "en": "AICT linked open data catalog",
        "fr": "Catalogue des données ouvertes liées AICT",
    },
    "catalog_description": {
        "en": "Catalog of the linked open data on the international action of French local "
        "authorities: twinnings, decentralised cooperation, solidarity and humanitarian "
        "action, economic diplomacy, influence and city networks.",
        "fr": "Catalogue des données ouvertes liées sur l'action internationale des "
        "collectivités territoriales françaises : jumelages, coopération décentralisée, "
        "solidarité et urgence humanitaire, diplomatie économique, rayonnement et réseaux.",
    },
    "dataset_title": {
        "en": "International action of French local authorities (AICT)",
        "fr": "Action internationale des collectivités territoriales (AICT)",
    },
    "dataset_description": {
        "en": "French local authorities, their foreign partners, partnerships and twinnings, "
        "and the actions they carry out together, as RDF, with the ontology and the SKOS "
        "vocabularies that describe them.",
        "fr": "Les collectivités françaises, leurs partenaires étrangers, leurs partenariats "
        "et jumelages, et les actions qu'elles mènent ensemble, en RDF, avec l'ontologie et "
        "les vocabulaires SKOS qui les décrivent.",
    },
    "service_title": {"en": "SPARQL endpoint", "fr": "Point d'accès SPARQL"},
    "void_title": {
        "en": "VoID description of the AICT dataset",
        "fr": "Description VoID du jeu de données AICT",
    },
    "gcom_title": {
        "en": "Covenant of Mayors: French signatories and their commitments (JRC data, CC BY 4.0)",
        "fr": "Convention des maires : signataires français et leurs engagements (données du "
        "JRC, CC BY 4.0)",
    },
    "gcom_description": {
        "en": "The memberships of French local authorities in the Covenant of Mayors (graph "
        "gcom), as the named query members-of-a-network answers them. Derived from: "
        "{citation}. Licence CC BY 4.0. Changes: French rows only, each signatory matched to "
        "its INSEE commune or SIREN, groups split into their members, mayors' names left out.",
        "fr": "Les adhésions des collectivités françaises à la Convention des maires (graphe "
        "gcom), telles que les donne la requête nommée members-of-a-network. Données dérivées "
        "de : {citation}. Licence CC BY 4.0. Modifications : lignes françaises seulement, "
        "chaque signataire rapproché de sa commune INSEE ou de son SIREN, groupes répartis "
        "entre leurs membres, noms des maires retirés.",
    },
}
# The citation the JRC's workbook asks for (its README sheet), credited by the catalog.
GCOM_CITATION = (
    "Baldi, Marta Giulia; Franco, Camilo; Melica, Giulia; Treville, Aldo; Bertoldi, Paolo. "
    "2024. Global Covenant of Mayors - A complete collection of action plans and monitoring "
    "reports from MyCovenant reporting platform, Joint Research Centre (JRC) [Dataset ID 5th "
    "Release - January 2024]"
)
GCOM_LICENCE = SPDX_LICENSE["CC-BY-4.0"]
_KEYWORDS = {
    "en": ("twinning", "decentralised cooperation", "local authorities", "linked data"),
    "fr": ("jumelage", "coopération décentralisée", "collectivités territoriales", "données liées"),
}


def build_catalog(publication: Publication, settings: Settings) -> Graph:
    """The DCAT-AP 3.0 catalog: the dataset, one distribution per dump, the SPARQL service."""
    store = publication.store
    g = Graph(bind_namespaces="core")
    bind_prefixes(g)
    g.bind("spdx", SPDX)
    catalog, dataset = URIRef(CATALOG_IRI), URIRef(DATASET_IRI)
    service, publisher = URIRef(SPARQL_SERVICE_IRI), URIRef(PUBLISHER_IRI)
    licence = URIRef(LICENCE_OUVERTE_2)
    modified = Literal(store.last_modified.replace(microsecond=0), datatype=XSD.dateTime)
    home = URIRef(settings.base_iri)
    languages = (EU_LANGUAGE.FRA, EU_LANGUAGE.ENG)

    _texts(g, catalog, DCTERMS.title, "catalog_title")
    _texts(g, catalog, DCTERMS.description, "catalog_description")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    g.add((catalog, DCTERMS.license, licence))
    g.add((catalog, DCTERMS.modified, modified))
    g.add((catalog, FOAF.homepage, home))
    for language in languages:
        g.add((catalog, DCTERMS.language, language))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(settings.publisher_name)))

    g.add((dataset, RDF.type, DCAT.Dataset))
    _texts(g, dataset, DCTERMS.title, "dataset_title")
    _texts(g, dataset, DCTERMS.description, "dataset_description")
    g.add((dataset, DCTERMS.identifier, Literal(DATASET_IRI)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.modified, modified))
    g.add((dataset, OWL.versionInfo, Literal(f"{package_version()}+{store.version[:12]}")))
    g.add((dataset, DCAT.landingPage, home))
    g.add((dataset, DCTERMS.accessRights, EU_ACCESS_RIGHT.PUBLIC))
    g.add((dataset, DCTERMS.accrualPeriodicity, EU_FREQUENCY.IRREG))
    g.add((dataset, DCTERMS.spatial, EU_COUNTRY.FRA))
    g.add((dataset, DCAT.theme, EU_DATA_THEME.GOVE))
    g.add((dataset, DCTERMS.conformsTo, URIRef(str(AICT).rstrip("#"))))
    for language in languages:
        g.add((dataset, DCTERMS.language, language))
    for lang, words in _KEYWORDS.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))

    for spec in DUMPS if store.publishes_dumps else ():
        _add_dump(g, dataset, spec, publication.dump_record(spec.name), licence, modified)
    _add_sparql(g, dataset, service, licence)
    # Only a store holding the Covenant of Mayors graph has that distribution to offer: a
    # server publishing other data must not list (and credit) the JRC's table to harvesters.
    if GCOM_GRAPH in publication.figures().graphs:
        _add_gcom(g, dataset, modified)
    _type_reference_terms(g, licence, home, languages)
    return g


GCOM_GRAPH = GRAPH_BASE + "gcom"


def _add_gcom(g: Graph, dataset: URIRef, modified: Literal) -> None:
    """The Covenant of Mayors memberships, derived from the JRC's CC BY 4.0 table: a
    distribution that credits the source with its citation and says what was changed."""
    node = URIRef(f"{CATALOG_IRI}#gcom-members")
    source = URIRef(JRC_DATA_CATALOGUE)
    query = URIRef(NAMED_QUERIES_BASE + "members-of-a-network")
    g.add((dataset, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    _texts(g, node, DCTERMS.title, "gcom_title")
    for lang, text in _TEXT["gcom_description"].items():
        g.add((node, DCTERMS.description, Literal(text.format(citation=GCOM_CITATION), lang=lang)))
    g.add((node, DCAT.accessURL, query))
    g.add((node, DCTERMS.license, GCOM_LICENCE))
    g.add((node, DCTERMS.source, source))
    g.add((node, DCTERMS.bibliographicCitation, Literal(GCOM_CITATION)))
    g.add((node, DCTERMS.modified, modified))
    g.add((GCOM_LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add((GCOM_LICENCE, RDFS.label, Literal("Creative Commons Attribution 4.0", lang="en")))
    g.add((source, RDF.type, RDFS.Resource))


def _add_dump(
    g: Graph,
    dataset: URIRef,
    spec: DumpSpec,
    record: DumpRecord,
    licence: URIRef,
    modified: Literal,
) -> None:
    node = URIRef(f"{CATALOG_IRI}#dump-{spec.name.replace('.', '-')}")
    iri = URIRef(DUMPS_BASE + spec.name)
    g.add((dataset, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(spec.title, lang="en")))
    g.add((node, DCTERMS.title, Literal(spec.title_fr, lang="fr")))
    g.add((node, DCAT.accessURL, iri))
    g.add((node, DCAT.downloadURL, iri))
    g.add((node, DCTERMS.format, EU_FILE_TYPE[spec.file_type]))
    g.add((node, DCAT.mediaType, IANA_MEDIA_TYPE[spec.media_type]))
    if spec.gzipped:
        g.add((node, DCAT.compressFormat, IANA_MEDIA_TYPE["application/gzip"]))
    g.add((node, DCAT.byteSize, Literal(record.size, datatype=XSD.nonNegativeInteger)))
    g.add((node, DCTERMS.license, licence))
    g.add((node, DCTERMS.modified, modified))
    checksum = BNode(f"checksum-{spec.name.replace('.', '-')}")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(record.sha256, datatype=XSD.hexBinary)))


def _add_sparql(g: Graph, dataset: URIRef, service: URIRef, licence: URIRef) -> None:
    endpoint = URIRef(SPARQL_ENDPOINT)
    g.add((service, RDF.type, DCAT.DataService))
    _texts(g, service, DCTERMS.title, "service_title")
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef(SPARQL_PROTOCOL)))
    g.add((service, DCTERMS.license, licence))
    node = URIRef(f"{CATALOG_IRI}#sparql-distribution")
    g.add((dataset, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    _texts(g, node, DCTERMS.title, "service_title")
    g.add((node, DCAT.accessURL, endpoint))
    g.add((node, DCAT.accessService, service))
    g.add((node, DCTERMS.license, licence))


def _type_reference_terms(g: Graph, licence: URIRef, home: URIRef, languages) -> None:
    """Give the reference IRIs the classes DCAT-AP's range shapes check for."""
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.label, Literal("Licence Ouverte / Open Licence 2.0", lang="fr")))
    g.add((home, RDF.type, FOAF.Document))
    for language in languages:
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    g.add((EU_ACCESS_RIGHT.PUBLIC, RDF.type, DCTERMS.RightsStatement))
    g.add((EU_FREQUENCY.IRREG, RDF.type, DCTERMS.Frequency))
    g.add((EU_COUNTRY.FRA, RDF.type, DCTERMS.Location))
    g.add((EU_DATA_THEME.GOVE, RDF.type, SKOS.Concept))
    # The labels of the EU data-theme table, which DCAT-AP requires on every skos:Concept.
    g.add((EU_DATA_THEME.GOVE, SKOS.prefLabel, Literal("Government and public sector", lang="en")))
    g.add(
        (EU_DATA_THEME.GOVE, SKOS.prefLabel, Literal("Gouvernement et secteur public", lang="fr"))
    )
    # DCAT-AP 3.0.0 checks URLs with sh:class rdfs:Resource; harvesters validate without
    # RDFS inference, so the catalog states it.
    for predicate in (DCAT.accessURL, DCAT.downloadURL, DCAT.endpointURL, DCAT.endpointDescription):
        for url in set(g.objects(None, predicate)):
            g.add((url, RDF.type, RDFS.Resource))
    g.add((URIRef(str(AICT).rstrip("#")), RDF.type, DCTERMS.Standard))
    g.add((URIRef(SPARQL_PROTOCOL), RDF.type, DCTERMS.Standard))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    for spec in DUMPS:
        g.add((EU_FILE_TYPE[spec.file_type], RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((IANA_MEDIA_TYPE[spec.media_type], RDF.type, DCTERMS.MediaType))
    g.add((IANA_MEDIA_TYPE["application/gzip"], RDF.type, DCTERMS.MediaType))


def _texts(g: Graph, subject: URIRef, predicate: URIRef, key: str) -> None:
    for lang, text in _TEXT[key].items():
        g.add((subject, predicate, Literal(text, lang=lang)))


_COUNTS = """
SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
WHERE { ?s ?p ?o }
"""
_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?entities)
WHERE { ?s a ?class }
GROUP BY ?class ORDER BY ?class
"""
_EXAMPLES = """
SELECT ?class (MIN(STR(?s)) AS ?example)
WHERE { ?s a ?class . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "%s")) }
GROUP BY ?class ORDER BY DESC(COUNT(?s)) ?class LIMIT 5
"""


_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def void_figures(store: Store) -> VoidFigures:
    """The VoID figures that need a pass over the data (run once, by the build step)."""
    counts = store.select(_COUNTS)[0]
    return VoidFigures(
        subjects=int(counts["subjects"]),
        properties=int(counts["properties"]),
        classes=[(str(row["class"]), int(row["entities"])) for row in store.select(_CLASSES)],
        examples=[str(row["example"]) for row in store.select(_EXAMPLES % ID_BASE)],
        graphs=sorted(str(row["g"]) for row in store.select(_GRAPHS)),
    )


def build_void(store: Store, settings: Settings, figures: VoidFigures) -> Graph:
    """VoID: size, classes, SPARQL endpoint, dumps and example resources of the dataset."""
    g = Graph(bind_namespaces="core")
    bind_prefixes(g)
    g.bind("sd", SD)
    doc, dataset = URIRef(VOID_DOC_IRI), URIRef(DATASET_IRI)
    g.add((doc, RDF.type, VOID.DatasetDescription))
    _texts(g, doc, DCTERMS.title, "void_title")
    g.add((doc, FOAF.primaryTopic, dataset))

    g.add((dataset, RDF.type, VOID.Dataset))
    _texts(g, dataset, DCTERMS.title, "dataset_title")
    g.add((dataset, DCTERMS.license, URIRef(LICENCE_OUVERTE_2)))
    g.add((dataset, FOAF.homepage, URIRef(settings.base_iri)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(SPARQL_ENDPOINT)))
    g.add((dataset, VOID.uriSpace, Literal(ID_BASE)))
    g.add((dataset, VOID.vocabulary, URIRef(str(AICT))))
    for spec in DUMPS if store.publishes_dumps else ():
        g.add((dataset, VOID.dataDump, URIRef(DUMPS_BASE + spec.name)))

    g.add((dataset, VOID.triples, Literal(store.triple_count(), datatype=XSD.integer)))
    g.add((dataset, VOID.distinctSubjects, Literal(figures.subjects, datatype=XSD.integer)))
    g.add((dataset, VOID.properties, Literal(figures.properties, datatype=XSD.integer)))
    g.add((dataset, VOID.classes, Literal(len(figures.classes), datatype=XSD.integer)))
    for index, (klass, entities) in enumerate(figures.classes):
        partition = URIRef(f"{VOID_DOC_IRI}#class-{index + 1}")
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(klass)))
        g.add((partition, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for example in figures.examples:
        g.add((dataset, VOID.exampleResource, URIRef(example)))
    return g
