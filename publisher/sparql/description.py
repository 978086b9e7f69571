"""The SPARQL 1.1 Service Description of /sparql (answered on a GET without a query)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from publisher.namespaces import SD, VOID, bind_prefixes
from publisher.sparql.functions import CUSTOM_FUNCTIONS

# W3C's IRIs for result and RDF formats (https://www.w3.org/ns/formats/).
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def build_service_description(
    endpoint: str, graphs: set[str], *, update_enabled: bool, triples: int | None = None
) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sd", SD)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if update_enabled:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for function in CUSTOM_FUNCTIONS:
        graph.add((service, SD.extensionFunction, URIRef(function.value)))
        graph.add((URIRef(function.value), RDF.type, SD.Function))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, W3C_FORMATS[name]))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    if triples is not None:
        graph.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for name in sorted(graphs):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph
