"""Which formats a SPARQL answer may take: the query form decides (publisher.formats holds
the formats, publisher.negotiation chooses among them)."""

from __future__ import annotations

from enum import Enum

from publisher.formats import (
    CSV,
    GRAPH_FORMATS,
    JSONLD,
    NTRIPLES,
    RDFXML,
    SOLUTION_FORMATS,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    Format,
)


class Shape(Enum):
    """What a query returns: variable bindings / a boolean, or a graph."""

    SOLUTIONS = "solutions"
    GRAPH = "graph"


FORMATS_BY_SHAPE = {Shape.SOLUTIONS: SOLUTION_FORMATS, Shape.GRAPH: GRAPH_FORMATS}
# Short names a person types in `format=` (download links): each names one format per shape.
FORMAT_SYNONYMS: dict[str, dict[Shape, Format]] = {
    "json": {Shape.SOLUTIONS: SPARQL_JSON, Shape.GRAPH: JSONLD},
    "jsonld": {Shape.SOLUTIONS: SPARQL_JSON, Shape.GRAPH: JSONLD},
    "xml": {Shape.SOLUTIONS: SPARQL_XML, Shape.GRAPH: RDFXML},
    "rdfxml": {Shape.SOLUTIONS: SPARQL_XML, Shape.GRAPH: RDFXML},
    "csv": {Shape.SOLUTIONS: CSV},
    "tsv": {Shape.SOLUTIONS: TSV},
    "turtle": {Shape.GRAPH: TURTLE},
    "ttl": {Shape.GRAPH: TURTLE},
    "ntriples": {Shape.GRAPH: NTRIPLES},
    "nt": {Shape.GRAPH: NTRIPLES},
}
# The download links of the query page: a `format=` name, and the format it gives.
DOWNLOADS: tuple[tuple[str, Format], ...] = (
    ("json", SPARQL_JSON),
    ("xml", SPARQL_XML),
    ("csv", CSV),
    ("tsv", TSV),
    ("turtle", TURTLE),
    ("ntriples", NTRIPLES),
    ("jsonld", JSONLD),
)
