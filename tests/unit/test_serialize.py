"""Writing graphs: JSON-LD compaction with a local context only, RDF/XML limits."""

import json

import pytest
from rdflib import Graph, Literal, URIRef

from publisher.errors import StoreError
from publisher.formats import RDF_DOCUMENT_FORMATS, by_extension
from publisher.negotiation import NotAcceptable
from publisher.web.serialize import jsonld_context, serialize_graph

BY_KEY = by_extension(RDF_DOCUMENT_FORMATS)

CANONICAL = "https://w3id.org/aict/"


def test_rdfxml_refuses_predicates_without_an_xml_name():
    graph = Graph()
    graph.add((URIRef(CANONICAL + "id/x"), URIRef("http://example.org/terms/123"), Literal("a")))
    with pytest.raises(NotAcceptable) as info:
        serialize_graph(graph, BY_KEY["rdf"], canonical=CANONICAL, public=CANONICAL)
    assert "application/rdf+xml" not in info.value.available
    assert "text/turtle" in info.value.available
    assert serialize_graph(graph, BY_KEY["ttl"], canonical=CANONICAL, public=CANONICAL)


def test_remote_contexts_are_refused(tmp_path):
    context = tmp_path / "context.jsonld"
    context.write_text(json.dumps({"@context": {"@import": "https://example.org/ctx.jsonld"}}))
    with pytest.raises(StoreError, match="remote"):
        jsonld_context(context, CANONICAL, "http://localhost/")
    context.write_text(json.dumps({"@context": "https://example.org/ctx.jsonld"}))
    with pytest.raises(StoreError, match="inline"):
        jsonld_context(context, CANONICAL, "http://localhost/")


def test_context_iris_are_rebased_and_absent_file_is_none(tmp_path):
    context = tmp_path / "context.jsonld"
    assert jsonld_context(context, CANONICAL, "http://localhost/") is None
    context.write_text(
        json.dumps(
            {"@context": {"aict": CANONICAL + "ontology#", "id": CANONICAL + "id/", "label": "x"}}
        )
    )
    rebased = jsonld_context(context, CANONICAL, "http://localhost/")
    # Our resources move to the host; the ontology's terms keep their IRIs (web/rebase.py).
    assert rebased == {"aict": CANONICAL + "ontology#", "id": "http://localhost/id/", "label": "x"}


def test_same_triples_give_the_same_bytes_whatever_the_order(test_data):
    source = Graph().parse(test_data / "publisher" / "twinnings.trig", format="trig")
    triples = sorted(source, key=lambda t: tuple(term.n3() for term in t))
    forward, backward = Graph(), Graph()
    for triple in triples:
        forward.add(triple)
    for triple in reversed(triples):
        backward.add(triple)
    for key in ("ttl", "nt", "rdf", "jsonld"):
        first = serialize_graph(forward, BY_KEY[key], canonical=CANONICAL, public=CANONICAL)
        second = serialize_graph(backward, BY_KEY[key], canonical=CANONICAL, public=CANONICAL)
        assert first == second, key
