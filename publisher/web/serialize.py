"""Turning a graph into the bytes of one RDF format (HTML is rendered by publisher.web.html).

JSON-LD is compacted with ontology/context.jsonld when that file exists. Only inline contexts
are used: a string (a remote context IRI) anywhere in it is refused, so serialising never
fetches anything. The context's IRIs are rebased like the graph's, so compaction still applies
when the data is served under another host.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from publisher.config import ONTOLOGY_DIR
from publisher.errors import StoreError
from publisher.negotiation import FORMATS, Format, NotAcceptable
from publisher.web.rebase import rebase_iri

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"


def serialize_graph(graph: Graph, fmt: Format, *, canonical: str, public: str) -> bytes:
    if fmt.rdflib_format is None:
        raise StoreError(f"{fmt.key} is not an RDF format")
    if fmt.key == "jsonld":
        context = jsonld_context(CONTEXT_FILE, canonical, public)
        if context is not None:
            text = graph.serialize(format="json-ld", context=context, auto_compact=True)
            return text.encode("utf-8")
    try:
        return graph.serialize(format=fmt.rdflib_format, encoding="utf-8")
    except ValueError:
        # RDF/XML needs every predicate to split into an XML name; some IRIs cannot.
        available = [f.media_type for f in FORMATS if f.key != fmt.key]
        reason = f"this description has a predicate IRI that {fmt.media_type} cannot write"
        raise NotAcceptable(available, reason=reason) from None


def jsonld_context(path: Path, canonical: str, public: str) -> dict | None:
    """The inline JSON-LD context of `path`, rebased; None when the file does not exist."""
    mtime = path.stat().st_mtime if path.is_file() else None
    if mtime is None:
        return None
    return _load_context(path, mtime, canonical, public)


@lru_cache(maxsize=8)
def _load_context(path: Path, mtime: float, canonical: str, public: str) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"unreadable JSON-LD context {path}: {exc}") from None
    context = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise StoreError(f"{path}: '@context' must be one inline object (no remote contexts)")
    _refuse_remote(context, path)
    return _rebase_values(context, canonical, public)


def _refuse_remote(value: object, path: Path) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "@import") and not isinstance(item, dict):
                raise StoreError(f"{path}: remote contexts are not allowed ({key})")
            _refuse_remote(item, path)
    elif isinstance(value, list):
        for item in value:
            _refuse_remote(item, path)


def _rebase_values(value, canonical: str, public: str):
    if canonical == public:
        return value
    if isinstance(value, str):
        return rebase_iri(value, canonical, public)
    if isinstance(value, dict):
        return {k: _rebase_values(v, canonical, public) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebase_values(v, canonical, public) for v in value]
    return value
