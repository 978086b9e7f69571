"""Content negotiation: one table of the formats we serve, and RFC 9110 Accept parsing.

`choose(accept)` follows RFC 9110 §12.5.1: every media range has a weight (q, default 1, three
decimals at most); a format takes the weight of the most specific range that matches it (type
and subtype over `type/*` over `*/*`, and a range with parameters over one without); q=0 means
"not acceptable"; among the best weighted formats the table order decides (Turtle first, so
`*/*` clients such as curl get RDF, while browsers ask for text/html by name). Malformed ranges
are ignored, and a header with none left counts as absent. Parameters other than q must match
what the format is served with (charset=utf-8, JSON-LD's compacted profile).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publisher.errors import AictError


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    media_type: str
    aliases: tuple[str, ...]
    rdflib_format: str | None  # None: rendered as HTML
    charset: bool  # send "; charset=utf-8"
    profiles: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


JSONLD_COMPACTED = "http://www.w3.org/ns/json-ld#compacted"

# Server preference order: RDF first, then HTML (browsers name text/html explicitly).
FORMATS: tuple[Format, ...] = (
    Format("ttl", "ttl", "text/turtle", ("application/x-turtle",), "turtle", True),
    Format(
        "jsonld",
        "jsonld",
        "application/ld+json",
        ("application/json",),
        "json-ld",
        False,
        (JSONLD_COMPACTED,),
    ),
    Format("nt", "nt", "application/n-triples", ("text/plain",), "nt", True),
    Format("rdf", "rdf", "application/rdf+xml", ("application/xml", "text/xml"), "xml", True),
    Format("html", "html", "text/html", ("application/xhtml+xml",), None, True),
)
BY_KEY = {f.key: f for f in FORMATS}
BY_EXTENSION = {f.extension: f for f in FORMATS}
RDF_FORMATS = tuple(f for f in FORMATS if f.rdflib_format is not None)


class NotAcceptable(AictError):
    """No format we serve is acceptable; carries the media types that are available."""

    def __init__(self, available: list[str], *, reason: str | None = None) -> None:
        listed = ", ".join(available)
        if reason:
            super().__init__(f"{reason}; available: {listed}")
        else:
            super().__init__(f"none of the available media types is acceptable: {listed}")
        self.available = available


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    @property
    def specificity(self) -> tuple[int, int]:
        wild = 0 if self.type == "*" else 1 if self.subtype == "*" else 2
        return (wild, len(self.params))


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_RANGE = re.compile(rf"^\s*({_TOKEN})/({_TOKEN})\s*$")
_PARAM = re.compile(rf'^\s*({_TOKEN})\s*=\s*({_TOKEN}|"(?:[^"\\]|\\.)*")\s*$')
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


def parse_accept(header: str) -> list[MediaRange]:
    """The valid media ranges of an Accept header, in the order given (malformed ones dropped)."""
    ranges: list[MediaRange] = []
    for element in _split_outside_quotes(header, ","):
        if not element.strip():
            continue
        parts = _split_outside_quotes(element, ";")
        match = _RANGE.match(parts[0])
        if not match:
            continue
        mtype, subtype = match.group(1).lower(), match.group(2).lower()
        if mtype == "*" and subtype != "*":
            continue
        params: list[tuple[str, str]] = []
        q = 1.0
        valid = True
        for raw in parts[1:]:
            param = _PARAM.match(raw)
            if not param:
                valid = False
                break
            name, value = param.group(1).lower(), param.group(2)
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            if name == "q":
                valid = bool(_QVALUE.match(value))
                q = float(value) if valid else 0.0
                break  # what follows q are accept-ext parameters, ignored
            params.append((name, value))
        if not valid:
            continue
        ranges.append(MediaRange(mtype, subtype, tuple(params), q))
    return ranges


def weight(fmt: Format, ranges: list[MediaRange]) -> float:
    """The weight the client gives `fmt`: that of the most specific matching range, else 0."""
    best: MediaRange | None = None
    for media_range in ranges:
        if _matches(fmt, media_range) and (
            best is None or media_range.specificity > best.specificity
        ):
            best = media_range
    return best.q if best is not None else 0.0


def choose(accept: str | None, formats: tuple[Format, ...] = FORMATS) -> Format:
    """The format to answer with, or NotAcceptable listing the media types available."""
    ranges = parse_accept(accept) if accept else []
    if not ranges:
        return formats[0]
    weights = [(weight(f, ranges), -i, f) for i, f in enumerate(formats)]
    best_q, _, best = max(weights, key=lambda item: (item[0], item[1]))
    if best_q <= 0:
        raise NotAcceptable([f.media_type for f in formats])
    return best


def _matches(fmt: Format, media_range: MediaRange) -> bool:
    if media_range.type == "*":
        type_ok = True
    else:
        names = [fmt.media_type, *fmt.aliases]
        type_ok = any(
            media_range.type == name.split("/")[0]
            and media_range.subtype in ("*", name.split("/")[1])
            for name in names
        )
    if not type_ok:
        return False
    for name, value in media_range.params:
        if name == "charset":
            # JSON is always UTF-8 (RFC 8259), so JSON-LD satisfies charset=utf-8 too.
            if value.lower() not in ("utf-8", "utf8"):
                return False
        elif name == "profile":
            wanted = set(value.split())
            if not wanted <= set(fmt.profiles):
                return False
        else:
            return False
    return True


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
