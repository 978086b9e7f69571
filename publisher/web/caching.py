"""HTTP caching of everything derived from the dataset: strong ETags, Last-Modified, 304s.

ETag choice: one strong validator per representation, `"<dataset version>-<hash of the
bytes sent>"`. The version part changes with the data; the hash part tells apart the formats,
pages, languages and hosts a resource is served in, and the gzip and identity encodings (RFC
9110 §8.8.3: a strong ETag names exact bytes). We compress these responses ourselves, so the
GZip middleware, which would keep an identity ETag on gzipped bytes, passes them through.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from publisher.negotiation import parse_weighted

# Bodies smaller than this are not worth compressing (same threshold as the GZip middleware).
GZIP_MIN_BYTES = 500
_UNCOMPRESSED_TYPES = ("application/gzip",)


def accepts_gzip(request: Request) -> bool:
    return accepts_gzip_header(request.headers.get("accept-encoding", ""))


def accepts_gzip_header(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value allows gzip (RFC 9110 §12.5.3).

    q-values are honoured (`gzip;q=0` is a no) and a named coding overrides `*`; the
    grammar and malformed elements are treated as for Accept (publisher.negotiation).
    """
    weights = dict(parse_weighted(accept_encoding))
    for name in ("gzip", "x-gzip", "*"):
        if name in weights:
            return weights[name] > 0
    return False


def gzip_bytes(body: bytes) -> bytes:
    """Deterministic gzip (no timestamp), so equal bodies keep equal ETags."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def entity_tag(version: str, body: bytes) -> str:
    return f'"{version[:16]}-{hashlib.sha256(body).hexdigest()[:16]}"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def is_fresh(request: Request, etag: str, last_modified: datetime) -> bool:
    """True when the client's copy is current (RFC 9110 §13.1.2 and §13.1.3)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        # Weak comparison for If-None-Match: W/ prefixes are ignored.
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since and request.method in ("GET", "HEAD"):
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


def cached_response(
    request: Request,
    body: bytes,
    *,
    media_type: str,
    version: str,
    last_modified: datetime,
    max_age: int,
    headers: Mapping[str, str] | None = None,
    vary: tuple[str, ...] = (),
    gzipped: Callable[[], bytes] | None = None,
) -> Response:
    """A 200 (gzipped when the client accepts it) or a 304 for a representation of the data.

    `gzipped`, when given, returns the body already compressed (kept by the caller for big,
    often requested bodies such as dumps).
    """
    plain_type = media_type.split(";")[0].strip()
    compress = (
        accepts_gzip(request)
        and len(body) >= GZIP_MIN_BYTES
        and plain_type not in _UNCOMPRESSED_TYPES
    )
    if compress:
        body = gzipped() if gzipped is not None else gzip_bytes(body)
    etag = entity_tag(version, body)
    all_headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": f"public, max-age={max_age}",
        **(headers or {}),
    }
    if plain_type not in _UNCOMPRESSED_TYPES:
        vary = (*vary, "Accept-Encoding")
    if vary:
        all_headers["Vary"] = ", ".join(dict.fromkeys(vary))
    if is_fresh(request, etag, last_modified):
        return Response(status_code=304, headers=all_headers)
    if compress:
        all_headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media_type, headers=all_headers)
