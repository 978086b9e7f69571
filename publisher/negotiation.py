"""Content negotiation (RFC 9110 §12.5), the one implementation every route uses.

`negotiate(accept, formats)` chooses among a tuple of publisher.formats in server preference
order. Every media range has a weight (q, default 1, three decimals at most); a media type
takes the weight of the most specific range that matches it (type and subtype over `type/*`
over `*/*`, and a range with parameters over one without); q=0 means "not acceptable".
Wildcards reach a format's canonical type only (`text/*` means CSV, not XML sent as text/xml);
an alias reaches its format when named. Among the best weighted, a type the client named
beats one reached through a wildcard, then the table order decides.

Malformed elements (a q-value outside the grammar, `q=1.5` or `q=abc`, a range that is not
`type/subtype`) are ignored, and a header with none left counts as absent (the first format).
Parameters other than q must be what we send (charset=utf-8, a JSON-LD profile we produce);
a range asking for any other parameter (`text/html;level=1`) matches nothing. The same
grammar reads Accept-Language and Accept-Encoding (`parse_weighted`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from publisher.errors import AictError
from publisher.formats import HTML, Format


class NotAcceptable(AictError):
    """No format we serve is acceptable; carries the media types that are available."""

    def __init__(self, available: list[str], *, reason: str | None = None) -> None:
        listed = ", ".join(available)
        if reason:
            super().__init__(f"{reason}; available: {listed}")
        else:
            super().__init__(
                f"none of the available media types is acceptable: {listed}",
                message_fr=f"aucun des formats disponibles n'est accepté : {listed}",
            )
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


@dataclass(frozen=True)
class Choice:
    """The format to answer in and the media type the client named it by."""

    format: Format
    media_type: str

    @property
    def content_type(self) -> str:
        """An alias is answered under the name the client asked for."""
        if self.media_type == self.format.media_type:
            return self.format.content_type
        return f"{self.media_type}; charset=utf-8" if self.format.charset else self.media_type


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_RANGE = re.compile(rf"^\s*({_TOKEN})/({_TOKEN})\s*$")
_WEIGHTED = re.compile(rf"^\s*({_TOKEN})\s*$")
_PARAM = re.compile(rf'^\s*({_TOKEN})\s*=\s*({_TOKEN}|"(?:[^"\\]|\\.)*")\s*$')
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
# Clients send the same few headers again and again; odd long ones are not kept.
_CACHED_CHARS = 512


def parse_accept(header: str | None) -> list[MediaRange]:
    """The valid media ranges of an Accept header, in the order given (malformed ones dropped)."""
    ranges: list[MediaRange] = []
    for head, params, q in _elements(header or ""):
        match = _RANGE.match(head)
        if not match:
            continue
        mtype, subtype = match.group(1).lower(), match.group(2).lower()
        if mtype == "*" and subtype != "*":
            continue
        ranges.append(MediaRange(mtype, subtype, params, q))
    return ranges


def parse_weighted(header: str | None) -> list[tuple[str, float]]:
    """(token, q) of an Accept-Language or Accept-Encoding header, lowercased, in order.

    Same grammar and same treatment of malformed elements as Accept."""
    items: list[tuple[str, float]] = []
    for head, _params, q in _elements(header or ""):
        match = _WEIGHTED.match(head)
        if match:
            items.append((match.group(1).lower(), q))
    return items


def _elements(header: str) -> list[tuple[str, tuple[tuple[str, str], ...], float]]:
    """Each well-formed comma-separated element: its head, its parameters before q, its q."""
    elements = []
    for element in _split_outside_quotes(header, ","):
        if not element.strip():
            continue
        head, *raw_params = _split_outside_quotes(element, ";")
        params: list[tuple[str, str]] = []
        q = 1.0
        valid = True
        for raw in raw_params:
            param = _PARAM.match(raw)
            if not param:
                valid = False
                break
            name, value = param.group(1).lower(), param.group(2)
            if name == "q":  # never quoted (RFC 9110 §12.4.2)
                valid = bool(_QVALUE.match(value))
                q = float(value) if valid else 0.0
                break  # what follows q are accept-ext parameters, ignored
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            params.append((name, value))
        if valid:
            elements.append((head, tuple(params), q))
    return elements


def negotiate(accept: str | None, formats: tuple[Format, ...]) -> Choice:
    """The format to answer with, or NotAcceptable listing the media types available."""
    if accept is None or len(accept) <= _CACHED_CHARS:
        return _negotiate_cached(accept, formats)
    return _negotiate(accept, formats)


def negotiate_data(accept: str | None, formats: tuple[Format, ...]) -> Choice:
    """As `negotiate`, for data that has no HTML page (/api, /fragments): a client that asks
    for HTML alone, as a browser following one of our links does, gets the first format
    rather than a 406 (Datasette, too, serves its JSON to a browser). Any other type that
    is not served is still a 406."""
    try:
        return negotiate(accept, formats)
    except NotAcceptable:
        if not acceptable(accept, (HTML,)):
            raise
        return Choice(formats[0], formats[0].media_type)


def choose(accept: str | None, formats: tuple[Format, ...]) -> Format:
    return negotiate(accept, formats).format


def acceptable(accept: str | None, formats: tuple[Format, ...]) -> bool:
    try:
        negotiate(accept, formats)
    except NotAcceptable:
        return False
    return True


@lru_cache(maxsize=512)
def _negotiate_cached(accept: str | None, formats: tuple[Format, ...]) -> Choice:
    return _negotiate(accept, formats)


def _negotiate(accept: str | None, formats: tuple[Format, ...]) -> Choice:
    ranges = parse_accept(accept)
    if not ranges:
        return Choice(formats[0], formats[0].media_type)
    best: tuple[float, int, int] | None = None
    chosen: Choice | None = None
    for rank, fmt in enumerate(formats):
        for name in fmt.names:
            found = _best_range(fmt, name, ranges)
            if found is None or found.q <= 0:
                continue
            score = (found.q, int(found.specificity[0] == 2), -rank)
            if best is None or score > best:
                best, chosen = score, Choice(fmt, name)
    if chosen is None:
        raise NotAcceptable([f.media_type for f in formats])
    return chosen


def _best_range(fmt: Format, name: str, ranges: list[MediaRange]) -> MediaRange | None:
    """The most specific range that matches `fmt` under `name`, if any."""
    best: MediaRange | None = None
    for media_range in ranges:
        if _matches(fmt, name, media_range) and (
            best is None or media_range.specificity > best.specificity
        ):
            best = media_range
    return best


def _matches(fmt: Format, name: str, media_range: MediaRange) -> bool:
    mtype, _, subtype = name.partition("/")
    if media_range.subtype == "*":
        if name != fmt.media_type or media_range.type not in ("*", mtype):
            return False
    elif (media_range.type, media_range.subtype) != (mtype, subtype):
        return False
    for param, value in media_range.params:
        if param == "charset":
            # JSON is always UTF-8 (RFC 8259), so JSON formats satisfy charset=utf-8 too.
            if value.lower() not in ("utf-8", "utf8"):
                return False
        elif param == "profile":
            if not set(value.split()) <= set(fmt.profiles):
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
