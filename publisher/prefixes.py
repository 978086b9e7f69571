"""The namespaces a query worker needs, as plain strings: the prefixes our serialisations
abbreviate, and our SPARQL functions' namespace.

publisher.namespaces builds its rdflib Namespace objects from these; they are kept here,
without rdflib, so that a query worker (which writes Turtle with these prefixes and evaluates
our functions) stays light.
"""

BASE = "https://w3id.org/aict/"
# Our SPARQL extension functions (sparql/functions.py), prefix aictfn: in queries.
FUNCTIONS_NAMESPACE = BASE + "function#"

PREFIXES: dict[str, str] = {
    "aict": BASE + "ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "adms": "http://www.w3.org/ns/adms#",
    "cv": "http://data.europa.eu/m8g/",
    "locn": "http://www.w3.org/ns/locn#",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "aictsh": BASE + "shapes#",
    "sdg": "http://metadata.un.org/sdg/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "vann": "http://purl.org/vocab/vann/",
}
