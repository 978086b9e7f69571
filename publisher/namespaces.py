"""Every namespace and IRI base the project mints or uses, defined once.

No IRI literal should appear anywhere else in the package: import it from here (the
namespaces with a prefix are spelled out in publisher.prefixes, which needs no rdflib).
"""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401

from publisher.prefixes import BASE, FUNCTIONS_NAMESPACE, PREFIXES

# What we mint. The canonical base is rewritten to the serving host by the web layer
# (see uris.py); everything in data/ and ontology/ is written against these.
AICT = Namespace(PREFIXES["aict"])
ONTOLOGY_IRI = BASE + "ontology"
VOCAB_BASE = BASE + "vocab/"
ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"
# Our SHACL shapes (shapes/*.ttl): shape IRIs end in "#<Class>Shape".
SHAPES = Namespace(PREFIXES["aictsh"])
FUNCTIONS = Namespace(FUNCTIONS_NAMESPACE)
# Our JSON-LD context; the validator maps these IRIs to ontology/context.jsonld, never fetching.
CONTEXT_IRIS: tuple[str, ...] = (BASE + "context.jsonld", BASE + "ontology/context.jsonld")

# What the publisher describes about the publication itself (catalog.py). The dataset and its
# distributions are hash IRIs of the catalog document, so they dereference with it.
CATALOG_IRI = BASE + "catalog"
DATASET_IRI = CATALOG_IRI + "#dataset"
SPARQL_SERVICE_IRI = CATALOG_IRI + "#sparql"
PUBLISHER_IRI = CATALOG_IRI + "#publisher"
VOID_DOC_IRI = BASE + ".well-known/void"
DUMPS_BASE = BASE + "dumps/"
SPARQL_ENDPOINT = BASE + "sparql"
NAMED_QUERIES_BASE = BASE + "api/"

# Reused vocabularies (DOMAIN.md, section 1).
ORG = Namespace(PREFIXES["org"])
SCHEMA = Namespace(PREFIXES["schema"])
GEO = Namespace(PREFIXES["geo"])
ADMS = Namespace(PREFIXES["adms"])
CV = Namespace(PREFIXES["cv"])
LOCN = Namespace(PREFIXES["locn"])
TIME = Namespace(PREFIXES["time"])
VOID = Namespace(PREFIXES["void"])
SH = Namespace(PREFIXES["sh"])
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SDG = Namespace(PREFIXES["sdg"])
SDGO = Namespace(PREFIXES["sdgo"])
EU_COUNTRY = Namespace(PREFIXES["country"])
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
IANA_MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
# Alignment targets of the SKOS vocabularies (ontology/vocabularies/). IATI publishes no RDF:
# its code lists are identified as <IATI_CODELIST><CodeList>/<code>, e.g. OrganisationRole/1,
# and the OECD DAC 3-digit sectors as IATI's SectorCategory list.
IATI_CODELIST = Namespace("http://reference.iatistandard.org/codelists/")
DAC_SECTOR_CATEGORY = Namespace(str(IATI_CODELIST) + "SectorCategory/")
IGEO = Namespace("http://rdf.insee.fr/def/geo#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
VANN = Namespace(PREFIXES["vann"])
EU_DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
SPARQL_PROTOCOL = "http://www.w3.org/TR/sparql11-protocol/"

# Licence Ouverte / Open Licence 2.0 (Etalab), the IRI data.gouv.fr expects.
LICENCE_OUVERTE_2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# Licences of source files and libraries (importer provenance), and where a PyPI release lives.
SPDX_LICENSE = Namespace("http://spdx.org/licenses/")
PYPI_PROJECT = "https://pypi.org/project/"
# The Covenant of Mayors – Europe site (dct:source of the Covenant organisation) and the
# JRC Data Catalogue that publishes the GCoM–MyCovenant tables (catalog entry).
COVENANT_OF_MAYORS_SITE = "https://eu-mayors.ec.europa.eu/"
JRC_DATA_CATALOGUE = "https://data.jrc.ec.europa.eu/"


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph so serialisations stay readable."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
