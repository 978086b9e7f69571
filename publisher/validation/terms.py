"""Writing RDF terms for people: full forms in the report, prefixed names on screen."""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from publisher.errors import AictError
from publisher.namespaces import PREFIXES
from publisher.validation.parsing import to_rdflib

_IRI_IN_TEXT = re.compile(r"<([^<>\s]+)>")
# Longest namespace first so that nested namespaces pick the most specific prefix.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_LOCAL_NAME = re.compile(r"^[A-Za-z_][\w\-.]*$")


def node_string(node: Node) -> str:
    """A focus node as text: the IRI itself, `_:label` for a blank node, else N-Triples."""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return term_string(node)


def term_string(node: Node) -> str:
    """A value in N-Triples syntax (`<iri>`, `"text"@fr`, `"5"^^<…#integer>`, `_:b`)."""
    if isinstance(node, Literal):
        if node.ill_typed and node.datatype is not None:
            # rdflib warns ("Serializing weird numerical") on an ill-typed number; the same
            # text, written without it.
            return f"{Literal(str(node)).n3()}^^<{node.datatype}>"
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


def parse_term(text: str) -> Node:
    """The term a report string names (the inverse of `node_string` and `term_string`):
    `_:label`, `<iri>` or a bare IRI, or a literal in Turtle syntax, its lexical form kept as
    written (rdflib's own parser would rewrite `"2011-01-01"^^xsd:dateTime`, and the report
    must name the value the data holds)."""
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if not text.startswith(('"', "'")):
        return URIRef(text)
    try:
        [quad] = ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError):
        raise AictError(f"not an RDF term: {text!r}") from None
    return to_rdflib(quad.object)


def compact_iri(iri: str) -> str:
    """`prefix:local` when one of the project's prefixes fits, else the IRI."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local == "" or _LOCAL_NAME.match(local):
                return f"{prefix}:{local}"
    return iri


BLANK = {"en": "[blank node]", "fr": "[nœud anonyme]"}


def compact_text(text: str, lang: str = "en") -> str:
    """Every `<iri>` inside a term or path string written with a prefix when one fits; a
    blank node label, meaningless to readers, becomes `[blank node]`."""
    if text.startswith("_:"):
        return BLANK[lang]

    def shorten(match: re.Match[str]) -> str:
        short = compact_iri(match.group(1))
        return short if short != match.group(1) else match.group(0)

    return _IRI_IN_TEXT.sub(shorten, text)


def compact_node(text: str, lang: str = "en") -> str:
    """A focus node string (plain IRI or `_:b`) for display."""
    if text.startswith("_:"):
        return BLANK[lang]
    if text.startswith('"'):
        return compact_text(text)
    return compact_iri(text)
