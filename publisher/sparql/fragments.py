"""Triple Pattern Fragments (https://linkeddatafragments.org/specification/triple-pattern-fragments/).

A fragment is the set of triples matching one pattern over the union graph, served a page
at a time with its metadata (an estimate of its size) and the Hydra controls a client needs
to ask for any other fragment. In quad formats the data is in the default graph and the
metadata and controls in a graph of their own, as TPF clients such as Comunica expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox

from publisher.formats import Format
from publisher.namespaces import DCTERMS, HYDRA, RDF, VOID
from publisher.sparql.errors import ProtocolError
from publisher.sparql.terms import TermTuple, iri, literal

PAGE_SIZE = 100
FOAF_PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = (str(RDF.subject), str(RDF.predicate), str(RDF.object))
_LITERAL = re.compile(
    r'^"(?P<value>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<?(?P<dt>[^<>]+)>?)?$',
    re.DOTALL,
)


_POSITION_FR = {"subject": "le sujet", "predicate": "le prédicat", "object": "l'objet"}


def parse_pattern_term(value: str | None, position: str) -> TermTuple | None:
    """A pattern term in Hydra's explicit representation; None when unbound (empty or ?var)."""
    if value is None or value == "" or value.startswith("?"):
        return None
    if value.startswith('"'):
        if position != "object":
            raise ProtocolError(
                f"a literal cannot be the {position} of a triple",
                message_fr=f"un littéral ne peut pas être {_POSITION_FR[position]} d'un triplet",
            )
        match = _LITERAL.match(value)
        if not match:
            raise ProtocolError(
                f'{position}: malformed literal {value!r}; use "text", '
                '"text"@lang or "text"^^datatype-IRI',
                message_fr=f'{position} : littéral mal formé {value!r} ; écrire "texte", '
                '"texte"@langue ou "texte"^^IRI-du-type',
            )
        return literal(match["value"], match["dt"], match["lang"])
    if value.startswith("_:"):
        raise ProtocolError(
            f"{position}: blank nodes cannot be selected (they are local names)",
            message_fr=f"{position} : un nœud anonyme ne peut pas être choisi (son nom est local)",
        )
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$", value):
        raise ProtocolError(
            f"{position}: {value!r} is not an absolute IRI",
            message_fr=f"{position} : {value!r} n'est pas une IRI absolue",
        )
    return iri(value)


@dataclass(frozen=True)
class FragmentRequest:
    subject: str | None
    predicate: str | None
    object: str | None
    page: int

    def query_string(self, page: int | None = None) -> str:
        params = [
            (k, v)
            for k, v in (
                ("subject", self.subject),
                ("predicate", self.predicate),
                ("object", self.object),
            )
            if v
        ]
        if page and page > 1:
            params.append(("page", str(page)))
        return urlencode(params)


def fragment_url(base_url: str, request: FragmentRequest, page: int | None = None) -> str:
    query = request.query_string(page)
    return f"{base_url}?{query}" if query else base_url


def build_fragment(
    base_url: str, request: FragmentRequest, total: int, ntriples: bytes
) -> list[ox.Quad]:
    """The page's triples in the default graph, its metadata and controls in another."""
    page_url = fragment_url(base_url, request, request.page)
    fragment = ox.NamedNode(fragment_url(base_url, request))
    page = ox.NamedNode(page_url)
    dataset = ox.NamedNode(f"{base_url}#dataset")
    meta = ox.NamedNode(f"{page_url}#metadata")
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    ]

    def add(s, p, o) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(str(p)), o, meta))

    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    add(meta, FOAF_PRIMARY_TOPIC, page)
    add(dataset, RDF.type, ox.NamedNode(str(VOID.Dataset)))
    add(dataset, RDF.type, ox.NamedNode(str(HYDRA.Collection)))
    add(dataset, VOID.subset, page)
    add(page, RDF.type, ox.NamedNode(str(HYDRA.PartialCollectionView)))
    add(page, DCTERMS.title, ox.Literal("Triple Pattern Fragment", language="en"))
    add(page, VOID.subset, fragment) if page != fragment else None
    for node in {fragment, page}:
        add(node, VOID.triples, ox.Literal(str(total), datatype=integer))
        add(node, HYDRA.totalItems, ox.Literal(str(total), datatype=integer))
    add(page, HYDRA.itemsPerPage, ox.Literal(str(PAGE_SIZE), datatype=integer))
    add(page, HYDRA.first, ox.NamedNode(fragment_url(base_url, request, 1)))
    if request.page > 1:
        add(page, HYDRA.previous, ox.NamedNode(fragment_url(base_url, request, request.page - 1)))
    if request.page * PAGE_SIZE < total:
        add(page, HYDRA.next, ox.NamedNode(fragment_url(base_url, request, request.page + 1)))
    search = ox.BlankNode("search")
    add(dataset, HYDRA.search, search)
    add(search, HYDRA.template, ox.Literal(f"{base_url}{{?subject,predicate,object}}"))
    add(search, HYDRA.variableRepresentation, ox.NamedNode(str(HYDRA.ExplicitRepresentation)))
    for name, prop in (
        ("subject", RDF_SUBJECT),
        ("predicate", RDF_PREDICATE),
        ("object", RDF_OBJECT),
    ):
        mapping = ox.BlankNode(f"mapping-{name}")
        add(search, HYDRA.mapping, mapping)
        add(mapping, HYDRA.variable, ox.Literal(name))
        add(mapping, HYDRA.property, ox.NamedNode(prop))
    return quads


def serialize_fragment(quads: list[ox.Quad], fmt: Format) -> bytes:
    target = fmt.engine
    if target.supports_datasets:
        return ox.serialize(quads, format=target, prefixes=_PREFIXES)
    # Triple formats carry data and metadata together, which TPF allows.
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=target, prefixes=_PREFIXES)


_PREFIXES = {"hydra": str(HYDRA), "void": str(VOID), "dct": str(DCTERMS), "rdf": str(RDF)}
