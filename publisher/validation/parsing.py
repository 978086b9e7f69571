"""Parsing one Source into rdflib triples with pyoxigraph, whose errors carry line and column.

Blank nodes get a per-file prefix so that `_:x` in two files stays two nodes, while the label
written in the file can still be recovered for line mapping."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.errors import InputError
from publisher.formats import BY_KEY
from publisher.validation.guards import guard_jsonld, guard_rdfxml
from publisher.validation.inputs import Source

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_POSITION = re.compile(r"^Parser error (?:at line \d+ )?(?:between|at) [^:]*: ")


def base_iri_of(source: Source) -> str:
    """Relative IRIs resolve against the file's own location, as rdflib does."""
    return Path(source.name).absolute().as_uri()


def bnode_prefix(index: int) -> str:
    return f"f{index}x"


def parse_source(source: Source, index: int, labels: dict[str, str] | None = None) -> Graph:
    """The triples of one document (named graphs merged), or InputError with the position.

    Blank nodes are numbered in order of first appearance (`f<index>b<n>`), so reports are
    the same from run to run; `labels`, when given, receives each new id with the label the
    document wrote (pyoxigraph's random one for `[ ]`), which the line mapping needs."""
    if source.format == "rdfxml":
        guard_rdfxml(source)
    elif source.format == "jsonld":
        source = guard_jsonld(source)
    graph = Graph()
    prefix = bnode_prefix(index)
    # The same IRIs come back on every line; converting each once halves the parse time.
    terms: dict[object, Node] = {}

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            if isinstance(value, ox.BlankNode):
                found = BNode(f"{prefix}b{len(terms)}")
                if labels is not None:
                    labels[str(found)] = value.value
            else:
                found = to_rdflib(value, prefix, source)
            terms[value] = found
        return found

    add = graph.add
    try:
        for quad in ox.parse(
            source.data, format=BY_KEY[source.format].engine, base_iri=base_iri_of(source)
        ):
            add((term(quad.subject), term(quad.predicate), term(quad.object)))
    except SyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except ValueError as exc:  # e.g. an invalid language tag or IRI in lenient positions
        raise InputError(f"invalid RDF: {exc}", file=source.name) from None
    return graph


def to_rdflib(term: object, bnode_prefix: str = "", source: Source | None = None) -> Node:
    """The rdflib term for a pyoxigraph term; RDF-star triple terms are refused."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(bnode_prefix + term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        # Keep the lexical form as written ("1" stays "1", not "true"): SHACL compares it.
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise InputError(
        "RDF-star triple terms are not supported", file=source.name if source else None
    )


def _syntax_error(exc: SyntaxError, source: Source) -> InputError:
    message = _POSITION.sub("", str(exc.msg or exc))
    line = exc.lineno
    column = exc.offset
    if line is None:
        # JSON-LD and RDF/XML errors come without a position; say so rather than guess.
        return InputError(f"syntax error: {message}", file=source.name)
    return InputError(f"syntax error: {message}", file=source.name, line=line, column=column)
