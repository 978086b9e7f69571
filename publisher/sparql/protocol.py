"""Read a SPARQL 1.1 Protocol request (§2.1 query, §2.2 update) into one Operation.

Three ways in: GET with `query` in the URL; POST form-encoded (`query` or `update`, decoded
once here); POST with the text as the body (`application/sparql-query` /
`application/sparql-update`), dataset parameters then in the URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from publisher.sparql.errors import ProtocolError

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


@dataclass
class Operation:
    kind: str | None  # "query", "update", or None (a GET without a query)
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    timeout: float | None = None  # what the client asks; the service caps it
    format: str | None = None  # `format=` override (download links)


def _one(params: Sequence[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(f"the '{name}' parameter must be given at most once")
    return values[0] if values else None


def _format(params: Sequence[tuple[str, str]]) -> str | None:
    # Not part of the protocol: a convenience for download links. Clients such as
    # SPARQLWrapper send it (even twice) beside Accept, so the first value counts.
    values = [v for k, v in params if k == "format" and v]
    return values[0] if values else None


def _timeout(params: Sequence[tuple[str, str]]) -> float | None:
    raw = _one(params, "timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ProtocolError(f"timeout must be a number of seconds, not {raw!r}") from None
    if not value > 0:
        raise ProtocolError("timeout must be a positive number of seconds")
    return value


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the {what} is not valid UTF-8 (byte {exc.start})") from None


ALLOW = {"Allow": "GET, HEAD, POST, OPTIONS"}


def parse_operation(
    method: str, url_params: Sequence[tuple[str, str]], content_type: str | None, body: bytes
) -> Operation:
    """The operation a request carries; ProtocolError for anything the protocol forbids."""
    if method in ("GET", "HEAD"):
        if _one(url_params, "update") is not None:
            raise ProtocolError("SPARQL Update must be sent with POST", 405, ALLOW)
        return _from_params("query", url_params, url_params)
    if method != "POST":
        raise ProtocolError(f"method {method} is not allowed on /sparql", 405, ALLOW)
    media_type = _media_type(content_type)
    if media_type == FORM:
        form = parse_qsl(_decode(body, "form body"), keep_blank_values=True)
        if _one(url_params, "query") is not None or _one(url_params, "update") is not None:
            raise ProtocolError("with a form body, the query goes in the body, not the URL")
        has_query, has_update = _one(form, "query") is not None, _one(form, "update") is not None
        if has_query and has_update:
            raise ProtocolError("a request carries either 'query' or 'update', not both")
        if not has_query and not has_update:
            raise ProtocolError("the form body has neither a 'query' nor an 'update' parameter")
        # Dataset and option parameters may come in the URL as well as in the form.
        return _from_params("update" if has_update else "query", [*url_params, *form], form)
    if media_type in (QUERY_BODY, UPDATE_BODY):
        kind = "query" if media_type == QUERY_BODY else "update"
        if _one(url_params, "query") is not None or _one(url_params, "update") is not None:
            raise ProtocolError(f"with {media_type}, the text goes in the body, not the URL")
        operation = _from_params(kind, url_params, [(kind, _decode(body, kind))])
        return operation
    raise ProtocolError(
        f"unsupported Content-Type {media_type or '(none)'}: use {FORM}, {QUERY_BODY} "
        f"or {UPDATE_BODY}",
        status=415,
    )


def _from_params(
    kind: str, params: Sequence[tuple[str, str]], text_params: Sequence[tuple[str, str]]
) -> Operation:
    text = _one(text_params, kind)
    if text is None:
        return Operation(kind=None, format=_format(params))
    if not text.strip():
        raise ProtocolError(f"the '{kind}' parameter is empty")
    if kind == "query":
        defaults, named = "default-graph-uri", "named-graph-uri"
    else:
        defaults, named = "using-graph-uri", "using-named-graph-uri"
    return Operation(
        kind=kind,
        text=text,
        default_graphs=[v for k, v in params if k == defaults],
        named_graphs=[v for k, v in params if k == named],
        timeout=_timeout(params),
        format=_format(params),
    )
