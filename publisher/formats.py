"""Every format we read or write, declared once: key, media types, file suffixes, label, and
the engines that read and write it.

Each use (a resource page, a SELECT answer, a validation report, a file to load) is a tuple of
these formats in server preference order; publisher.negotiation chooses among one such tuple.
The module imports pyoxigraph only (for its format constants), so a query worker can use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

JSONLD_COMPACTED = "http://www.w3.org/ns/json-ld#compacted"


@dataclass(frozen=True)
class Format:
    key: str  # our name for it: `format=`, `--input-format`, renderer and worker keys
    label: str
    media_type: str  # the canonical type, sent in Content-Type
    aliases: tuple[str, ...] = ()  # other types a client may name to get it
    suffixes: tuple[str, ...] = ()  # file suffixes; the first is the one our URLs use
    engine: ox.RdfFormat | ox.QueryResultsFormat | None = field(default=None, compare=False)
    rdflib: str | None = None  # rdflib's serializer name
    charset: bool = True  # send "; charset=utf-8" (JSON has no charset parameter)
    profiles: tuple[str, ...] = ()  # JSON-LD profiles our output satisfies
    w3c: str | None = None  # local name under http://www.w3.org/ns/formats/

    @property
    def extension(self) -> str:
        return self.suffixes[0].lstrip(".") if self.suffixes else self.key

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    @property
    def names(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


TURTLE = Format(
    "turtle",
    "Turtle",
    "text/turtle",
    ("application/x-turtle",),
    (".ttl", ".turtle"),
    ox.RdfFormat.TURTLE,
    "turtle",
    w3c="Turtle",
)
JSONLD = Format(
    "jsonld",
    "JSON-LD",
    "application/ld+json",
    ("application/json",),
    (".jsonld", ".json-ld"),
    ox.RdfFormat.JSON_LD,
    "json-ld",
    charset=False,
    profiles=(JSONLD_COMPACTED,),
    w3c="JSON-LD",
)
# text/plain: what N-Triples was served as before it had a media type of its own.
NTRIPLES = Format(
    "ntriples",
    "N-Triples",
    "application/n-triples",
    ("text/plain",),
    (".nt",),
    ox.RdfFormat.N_TRIPLES,
    "nt",
    w3c="N-Triples",
)
RDFXML = Format(
    "rdfxml",
    "RDF/XML",
    "application/rdf+xml",
    ("application/xml", "text/xml"),
    (".rdf", ".owl", ".xml"),
    ox.RdfFormat.RDF_XML,
    "xml",
    w3c="RDF_XML",
)
NQUADS = Format(
    "nquads", "N-Quads", "application/n-quads", (), (".nq",), ox.RdfFormat.N_QUADS, "nquads"
)
TRIG = Format("trig", "TriG", "application/trig", (), (".trig",), ox.RdfFormat.TRIG, "trig")
HTML = Format("html", "HTML", "text/html", ("application/xhtml+xml",), (".html",))

SPARQL_JSON = Format(
    "sparql-json",
    "JSON",
    "application/sparql-results+json",
    ("application/json",),
    (".srj",),
    ox.QueryResultsFormat.JSON,
    w3c="SPARQL_Results_JSON",
)
SPARQL_XML = Format(
    "sparql-xml",
    "XML",
    "application/sparql-results+xml",
    ("application/xml", "text/xml"),
    (".srx",),
    ox.QueryResultsFormat.XML,
    w3c="SPARQL_Results_XML",
)
CSV = Format(
    "csv", "CSV", "text/csv", (), (".csv",), ox.QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV"
)
TSV = Format(
    "tsv",
    "TSV",
    "text/tab-separated-values",
    (),
    (".tsv",),
    ox.QueryResultsFormat.TSV,
    w3c="SPARQL_Results_TSV",
)

# Validation reports (the renderers of publisher.validation.render share these keys).
JSON = Format("json", "JSON", "application/json", (), (".json",), charset=False)
TEXT = Format("text", "text", "text/plain", (), (".txt",))
JUNIT = Format("junit", "JUnit XML", "application/xml", ("text/xml",), (".xml",))

# Filled actions templates, which the validator reads as well as RDF
# (publisher/validation/tabular.py); .xlsm only to refuse it with a message that says how
# to save the workbook.
SHEET_CSV = Format("csv", "CSV", "text/csv", (), (".csv",))
SHEET_XLSX = Format(
    "xlsx",
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (),
    (".xlsx",),
    charset=False,
)
SHEET_XLSM = Format(
    "xlsm",
    "XLSM",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    (),
    (".xlsm",),
    charset=False,
)

# --- the tuples each use chooses from, in server preference order --------------------------

# Our documents (/id, /vocab, /graph, /ontology, /catalog, VoID): RDF first, so `*/*` clients
# such as curl get RDF, while browsers name text/html.
RDF_DOCUMENT_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
DOCUMENT_FORMATS = (*RDF_DOCUMENT_FORMATS, HTML)
# SPARQL answers: JSON and Turtle are what clients expect when they do not say.
SOLUTION_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML)
# Triple Pattern Fragments: TriG first, which keeps data and metadata in separate graphs.
FRAGMENT_FORMATS = (TRIG, TURTLE, NQUADS, NTRIPLES, JSONLD)
API_FORMATS = (SPARQL_JSON, CSV)
REPORT_FORMATS = (JSON, TURTLE, TEXT, JUNIT)
# Files we read: the validator takes all of them; the store does not load JSON-LD (a
# document may name a remote context).
INPUT_FORMATS = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)
# Spreadsheets the validator reads when they are named (a folder's CSV files are not
# assumed to be contributions).
TEMPLATE_FORMATS = (SHEET_CSV, SHEET_XLSX, SHEET_XLSM)
DUMP_FORMATS = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD)

ALL_FORMATS = (
    *INPUT_FORMATS,
    HTML,
    *SOLUTION_FORMATS,
    *(f for f in REPORT_FORMATS if f is not TURTLE),
)
BY_KEY = {f.key: f for f in ALL_FORMATS}


def by_extension(formats: tuple[Format, ...]) -> dict[str, Format]:
    """Extension used in our URLs ('ttl') -> format, for `<IRI>.<ext>` and dump names."""
    return {f.extension: f for f in formats}


def by_suffix(formats: tuple[Format, ...], *, skip: tuple[str, ...] = ()) -> dict[str, Format]:
    """File suffix ('.ttl', '.turtle') -> format."""
    return {s: f for f in formats for s in f.suffixes if s not in skip}


def by_media_type(formats: tuple[Format, ...]) -> dict[str, Format]:
    """Media type, canonical or alias -> format (for a request's Content-Type)."""
    return {name: f for f in formats for name in f.names}


# What the store loads from a folder. JSON-LD is not loaded: a document may name a remote
# context, and ontology/context.jsonld sits beside the ontology. A folder's .xml files are
# not assumed to be RDF (naming one to the validator still works).
LOADABLE_SUFFIXES = by_suffix(tuple(f for f in INPUT_FORMATS if f is not JSONLD), skip=(".xml",))
