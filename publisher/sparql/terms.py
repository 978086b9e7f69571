"""RDF terms as plain tuples, so they cross process boundaries cheaply and safely.

("iri", value) | ("literal", value, datatype, language) | ("bnode", id)
"""

from __future__ import annotations

import pyoxigraph as ox

TermTuple = tuple[str, ...]


def to_oxigraph(term: TermTuple) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    kind = term[0]
    if kind == "iri":
        return ox.NamedNode(term[1])
    if kind == "bnode":
        return ox.BlankNode(term[1])
    _, value, datatype, language = term
    if language:
        return ox.Literal(value, language=language)
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def iri(value: str) -> TermTuple:
    return ("iri", value)


def literal(value: str, datatype: str | None = None, language: str | None = None) -> TermTuple:
    return ("literal", value, datatype or "", language or "")
