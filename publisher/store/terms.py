"""Conversions between pyoxigraph terms (the engines') and rdflib terms (the web layer's)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from publisher.errors import StoreError


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as an rdflib term (plain literals keep no xsd:string datatype)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)
    raise StoreError(f"unsupported term from the store: {term!r}")


def to_oxigraph(term: Node | str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (or an IRI string) as a pyoxigraph term, for query bindings."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and term.datatype != RDF.langString:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, str):
        try:
            return ox.NamedNode(term)
        except ValueError as exc:
            raise StoreError(f"not an IRI: {term!r} ({exc})") from None
    raise StoreError(f"unsupported term for a query: {term!r}")
