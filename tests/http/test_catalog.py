"""The catalog, VoID and the dumps, in-process."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from publisher.catalog import DUMPS, GCOM_LICENCE
from publisher.namespaces import LICENCE_OUVERTE_2, SPDX, VOID

PUBLIC = "http://testserver/"
GCOM_NODE = URIRef(PUBLIC + "catalog#gcom-members")
CATALOG_PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


def catalog_graph(client) -> Graph:
    response = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle")


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "nt", "rdf"])
def test_catalog_in_every_rdf_format(client, ext):
    response = client.get(f"/catalog.{ext}")
    assert response.status_code == 200
    parsed = Graph().parse(data=response.content, format=CATALOG_PARSERS[ext])
    assert isomorphic(parsed, catalog_graph(client))


def test_catalog_describes_each_dump_with_size_and_checksum(client):
    graph = catalog_graph(client)
    dataset = URIRef(PUBLIC + "catalog#dataset")
    assert (URIRef(PUBLIC + "catalog"), DCAT.dataset, dataset) in graph
    urls = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        url = graph.value(distribution, DCAT.downloadURL)
        if url is not None:
            urls[str(url)] = distribution
        # Our own data is under the Licence Ouverte; what derives from the JRC's table keeps
        # its CC BY 4.0 (test_covenant_distribution_credits_the_jrc).
        expected = GCOM_LICENCE if distribution == GCOM_NODE else URIRef(LICENCE_OUVERTE_2)
        assert graph.value(distribution, URIRef("http://purl.org/dc/terms/license")) == expected
    assert set(urls) == {f"{PUBLIC}dumps/{spec.name}" for spec in DUMPS}
    for url, distribution in urls.items():
        body = client.get(
            url.removeprefix(PUBLIC.rstrip("/")), headers={"Accept-Encoding": "identity"}
        )
        assert body.status_code == 200
        assert int(graph.value(distribution, DCAT.byteSize)) == len(body.content)
        checksum = graph.value(distribution, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert (
            str(graph.value(checksum, SPDX.checksumValue))
            == hashlib.sha256(body.content).hexdigest()
        )
        assert str(graph.value(distribution, URIRef("http://purl.org/dc/terms/format"))).startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )


def test_every_distribution_and_the_void_document_are_titled_in_french_and_english(client):
    """Harvesters such as data.gouv.fr show the French title of each download."""
    void = Graph().parse(data=client.get("/.well-known/void.ttl").content, format="turtle")
    graph = catalog_graph(client)
    titled = [(graph, d) for d in graph.subjects(RDF.type, DCAT.Distribution)]
    titled += [(void, d) for d in void.subjects(RDF.type, VOID.DatasetDescription)]
    assert len(titled) == len(DUMPS) + 2  # the dumps, the SPARQL endpoint, the VoID document
    for source, node in titled:
        titles = {t.language: str(t) for t in source.objects(node, DCTERMS.title)}
        assert set(titles) == {"fr", "en"} and titles["fr"] != titles["en"], (node, titles)


def test_no_covenant_distribution_without_its_graph(client, store):
    """The fixture data holds no gcom graph: its catalog must not offer harvesters the
    Covenant of Mayors distribution (nor credit the JRC's table it does not publish)."""
    graphs = {str(row["g"]) for row in store.select("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")}
    assert "https://w3id.org/aict/graph/twinnings" in graphs  # the query sees the graphs
    assert "https://w3id.org/aict/graph/gcom" not in graphs
    graph = catalog_graph(client)
    assert (None, None, GCOM_NODE) not in graph and (GCOM_NODE, None, None) not in graph
    page = client.get("/catalog", headers={"Accept": "text/html"})
    assert "Joint Research Centre (JRC)" not in page.text


def test_sparql_endpoint_is_a_data_service(client):
    graph = catalog_graph(client)
    services = set(graph.subjects(RDF.type, DCAT.DataService))
    assert len(services) == 1
    assert graph.value(services.pop(), DCAT.endpointURL) == URIRef(PUBLIC + "sparql")


def test_dumps_hold_the_whole_store(client, store):
    expected = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    turtle = client.get("/dumps/aict.ttl")
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    assert isomorphic(Graph().parse(data=turtle.content, format="turtle"), expected)
    zipped = client.get("/dumps/aict.nt.gz", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in zipped.headers  # the file itself is gzip, not re-encoded
    triples = Graph().parse(data=gzip.decompress(zipped.content), format="nt")
    assert isomorphic(triples, expected)
    jsonld = client.get("/dumps/aict.jsonld")
    assert isomorphic(Graph().parse(data=jsonld.content, format="json-ld"), expected)
    quads = Dataset().parse(data=client.get("/dumps/aict.nq").content, format="nquads")
    graphs = {str(g.identifier) for g in quads.graphs() if len(g)}
    assert "https://w3id.org/aict/graph/twinnings" in graphs
    assert "https://w3id.org/aict/graph/vocab-partnership-form" in graphs
    assert "https://w3id.org/aict/graph/ontology" in graphs


def test_dump_caching_and_unknown_dump(client):
    first = client.get("/dumps/aict.ttl")
    assert first.headers["etag"] and first.headers["last-modified"]
    again = client.get("/dumps/aict.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/dumps/aict.xls").status_code == 404


@pytest.mark.parametrize("path", ["/dumps", "/dumps/"])
def test_the_dumps_folder_leads_to_the_catalog_that_lists_them(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/catalog"
    catalog = Graph().parse(data=client.get(response.headers["location"]).text, format="turtle")
    assert {str(url) for url in catalog.objects(None, DCAT.downloadURL)} >= {
        f"http://testserver/dumps/{spec.name}" for spec in DUMPS
    }


def test_void(client, store):
    response = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="nt")
    dataset = URIRef(PUBLIC + "catalog#dataset")
    assert graph.value(dataset, VOID.triples) == Literal(store.triple_count())
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(PUBLIC + "sparql")
    assert set(graph.objects(dataset, VOID.dataDump)) == {
        URIRef(f"{PUBLIC}dumps/{spec.name}") for spec in DUMPS
    }
    assert int(graph.value(dataset, VOID.classes)) >= 3
    examples = set(graph.objects(dataset, VOID.exampleResource))
    assert examples and all(str(e).startswith(PUBLIC + "id/") for e in examples)
    for example in examples:  # every example dereferences
        assert client.get(str(example).removeprefix(PUBLIC.rstrip("/")) + ".ttl").status_code == 200


def test_catalog_refuses_unknown_types(client):
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/catalog.xls").status_code == 404
