"""Media types of SPARQL results and graphs, and the Accept negotiation between them.

SELECT/ASK answers and CONSTRUCT/DESCRIBE answers have disjoint format tables; the query
form decides which table an Accept header is matched against.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Shape(Enum):
    """What a query returns: variable bindings / a boolean, or a graph."""

    SOLUTIONS = "solutions"
    GRAPH = "graph"


@dataclass(frozen=True)
class ResultFormat:
    key: str  # short name used by the `format` parameter and the worker
    media_type: str  # the canonical type sent in Content-Type
    aliases: tuple[str, ...]  # other types a client may ask for, answered under that name
    extension: str
    label: str

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/xml", "/n-triples")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


# Order matters: the first entry is the answer when the client sends no Accept header
# (SPARQL 1.1 Protocol lets the server choose; JSON and Turtle are what clients expect).
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", ("application/json",), "srj", "JSON"),
    ResultFormat(
        "xml", "application/sparql-results+xml", ("application/xml", "text/xml"), "srx", "XML"
    ),
    ResultFormat("csv", "text/csv", (), "csv", "CSV"),
    ResultFormat("tsv", "text/tab-separated-values", (), "tsv", "TSV"),
)
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("turtle", "text/turtle", ("application/x-turtle",), "ttl", "Turtle"),
    ResultFormat("ntriples", "application/n-triples", (), "nt", "N-Triples"),
    ResultFormat("jsonld", "application/ld+json", ("application/json",), "jsonld", "JSON-LD"),
    ResultFormat(
        "rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), "rdf", "RDF/XML"
    ),
)
FORMATS_BY_SHAPE = {Shape.SOLUTIONS: SOLUTION_FORMATS, Shape.GRAPH: GRAPH_FORMATS}
FORMAT_KEYS = {f.key: f for f in SOLUTION_FORMATS + GRAPH_FORMATS}
# Short names a person types in `format=` (download links): each names one format per shape.
FORMAT_SYNONYMS: dict[str, dict[Shape, str]] = {
    "json": {Shape.SOLUTIONS: "json", Shape.GRAPH: "jsonld"},
    "jsonld": {Shape.SOLUTIONS: "json", Shape.GRAPH: "jsonld"},
    "xml": {Shape.SOLUTIONS: "xml", Shape.GRAPH: "rdfxml"},
    "rdfxml": {Shape.SOLUTIONS: "xml", Shape.GRAPH: "rdfxml"},
    "csv": {Shape.SOLUTIONS: "csv"},
    "tsv": {Shape.SOLUTIONS: "tsv"},
    "turtle": {Shape.GRAPH: "turtle"},
    "ttl": {Shape.GRAPH: "turtle"},
    "ntriples": {Shape.GRAPH: "ntriples"},
    "nt": {Shape.GRAPH: "ntriples"},
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        return self.type == main and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges of an Accept header, malformed parts skipped (RFC 9110 §12.5.1)."""
    ranges: list[MediaRange] = []
    for order, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        main, slash, sub = fields[0].lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q, order))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q a client gives a media type: that of the most specific range matching it."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best else 0.0


def _explicit(ranges: list[MediaRange], media_type: str) -> bool:
    return any(r.specificity == 2 and r.matches(media_type) for r in ranges)


def _alias_quality(ranges: list[MediaRange], media_type: str, canonical: bool) -> float:
    # Wildcards reach our canonical types only: `text/*` means CSV, not XML as text/xml.
    if canonical:
        return quality(ranges, media_type)
    return quality(ranges, media_type) if _explicit(ranges, media_type) else 0.0


# Clients send the same few Accept headers again and again; odd long ones are not kept.
_CACHED_ACCEPT_CHARS = 512


def negotiate(
    accept: str | None, candidates: tuple[ResultFormat, ...]
) -> tuple[ResultFormat, str] | None:
    """The format and the exact media type to answer with, or None (406).

    No or empty Accept picks the first candidate. Among equal q values the client's
    explicitly named type wins over one reached through a wildcard, then our order.
    """
    if accept is None or len(accept) <= _CACHED_ACCEPT_CHARS:
        return _negotiate_cached(accept, candidates)
    return _negotiate(accept, candidates)


@lru_cache(maxsize=256)
def _negotiate_cached(
    accept: str | None, candidates: tuple[ResultFormat, ...]
) -> tuple[ResultFormat, str] | None:
    return _negotiate(accept, candidates)


def _negotiate(
    accept: str | None, candidates: tuple[ResultFormat, ...]
) -> tuple[ResultFormat, str] | None:
    ranges = parse_accept(accept)
    if not ranges:
        return candidates[0], candidates[0].media_type
    best: tuple[float, int, int] | None = None
    chosen: tuple[ResultFormat, str] | None = None
    for rank, fmt in enumerate(candidates):
        for media_type in (fmt.media_type, *fmt.aliases):
            q = _alias_quality(ranges, media_type, media_type == fmt.media_type)
            if q <= 0:
                continue
            score = (q, int(_explicit(ranges, media_type)), -rank)
            if best is None or score > best:
                best, chosen = score, (fmt, media_type)
    return chosen


def prefers_html(accept: str | None, rdf_types: tuple[ResultFormat, ...]) -> bool:
    """True when the client names text/html and ranks it at least as high as any RDF type."""
    ranges = parse_accept(accept)
    if not _explicit(ranges, "text/html"):
        return False
    html_q = quality(ranges, "text/html")
    if html_q <= 0:
        return False
    best_rdf = max(
        _alias_quality(ranges, media_type, media_type == fmt.media_type)
        for fmt in rdf_types
        for media_type in (fmt.media_type, *fmt.aliases)
    )
    return html_q >= best_rdf


def content_type_for(fmt: ResultFormat, media_type: str) -> str:
    """Content-Type for the type the client matched (an alias answers under its own name)."""
    if media_type == fmt.media_type:
        return fmt.content_type
    return f"{media_type}; charset=utf-8"
