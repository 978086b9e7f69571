"""Hostile input is refused before any parser runs, quickly and with a position."""

from __future__ import annotations

import json
import time

import pytest

from publisher.errors import InputError
from publisher.namespaces import CONTEXT_IRIS
from publisher.validation.guards import guard_jsonld, guard_rdfxml
from publisher.validation.inputs import Source
from publisher.validation.parsing import parse_source

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_entity_expansion_bomb_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(InputError, match="DOCTYPE/ENTITY declarations are refused") as caught:
        parse_source(Source("bomb.rdf", BILLION_LAUGHS, "rdfxml"), 0)
    assert time.perf_counter() - start < 1.0
    assert (caught.value.file, caught.value.line) == ("bomb.rdf", 2)


def test_external_entity_is_refused():
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>"""
    with pytest.raises(InputError, match="DOCTYPE/ENTITY"):
        guard_rdfxml(Source("xxe.rdf", xxe, "rdfxml"))


def test_xml_syntax_error_has_line_and_column():
    broken = b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a></b>\n</rdf:RDF>'
    with pytest.raises(InputError, match="XML syntax error: mismatched tag") as caught:
        guard_rdfxml(Source("broken.rdf", broken, "rdfxml"))
    assert (caught.value.line, caught.value.column) == (3, 6)


def test_remote_context_is_never_fetched():
    doc = b'{\n  "@context": "https://example.org/context.jsonld",\n  "@id": "http://example.org/a"\n}'
    with pytest.raises(InputError, match="remote JSON-LD @context") as caught:
        guard_jsonld(Source("remote.jsonld", doc, "jsonld"))
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        "remote.jsonld",
        2,
        "@context",
    )


def test_context_import_is_refused():
    doc = json.dumps({"@context": {"@import": "https://example.org/c.jsonld"}}).encode()
    with pytest.raises(InputError, match="@import"):
        guard_jsonld(Source("import.jsonld", doc, "jsonld"))


@pytest.mark.parametrize("iri", CONTEXT_IRIS)
def test_our_context_is_read_from_the_local_copy(iri):
    doc = json.dumps(
        {"@context": iri, "@id": "https://w3id.org/aict/id/action/x", "@type": "aict:Action"}
    ).encode()
    graph = parse_source(Source("ours.jsonld", doc, "jsonld"), 0)
    assert len(graph) == 1
    (_, _, cls) = next(iter(graph))
    assert str(cls) == "https://w3id.org/aict/ontology#Action"


def test_json_syntax_error_has_line_and_column():
    with pytest.raises(InputError, match="JSON syntax error") as caught:
        guard_jsonld(Source("bad.jsonld", b'{\n  "@id": "x",\n  oops\n}', "jsonld"))
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_turtle_syntax_error_has_line_and_column():
    text = b'@prefix ex: <http://example.org/> .\nex:a ex:p ex:b ;\n   ex:q "unterminated .\n'
    with pytest.raises(InputError, match="syntax error") as caught:
        parse_source(Source("bad.ttl", text, "turtle"), 0)
    assert (caught.value.file, caught.value.line, caught.value.column) == ("bad.ttl", 3, 9)
