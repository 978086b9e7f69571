"""Turning a graph into the bytes of one RDF format (HTML is rendered by publisher.web.html).

JSON-LD is compacted with ontology/context.jsonld when that file exists. Only inline contexts
are used: a string (a remote context IRI) anywhere in it is refused, so serialising never
fetches anything. The context's IRIs are rebased like the graph's, so compaction still applies
when the data is served under another host.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from publisher.config import ONTOLOGY_DIR
from publisher.errors import StoreError
from publisher.formats import DOCUMENT_FORMATS, JSONLD, NTRIPLES, RDFXML, Format
from publisher.negotiation import NotAcceptable
from publisher.store import to_oxigraph
from publisher.web.rebase import rebase_iri

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"


def serialize_graph(graph: Graph, fmt: Format, *, canonical: str, public: str) -> bytes:
    """The bytes of `graph` in `fmt`; the same triples always give the same bytes.

    Strong ETags need that, and neither the store's answer order (memory or disk) nor
    rdflib's (hash-seeded sets) is stable, so triples are written sorted, by Oxigraph's
    serialisers; JSON-LD, which rdflib compacts, is put in a canonical order afterwards.
    """
    if not isinstance(fmt.engine, ox.RdfFormat):
        raise StoreError(f"{fmt.key} is not an RDF format")
    if fmt is JSONLD:
        context = jsonld_context(CONTEXT_FILE, canonical, public)
        if context is not None:
            text = graph.serialize(format="json-ld", context=context, auto_compact=True)
        else:
            text = graph.serialize(format="json-ld")
        return _canonical_json(text)
    if fmt is RDFXML:
        _check_xml_names(graph, fmt)
    triples = sorted(graph, key=lambda triple: tuple(term.n3() for term in triple))
    try:
        return ox.serialize(
            (ox.Triple(*(to_oxigraph(term) for term in triple)) for triple in triples),
            format=fmt.engine,
            prefixes=_used_prefixes(graph) if fmt is not NTRIPLES else None,
        )
    except (ValueError, OSError) as exc:
        raise StoreError(f"cannot write {fmt.media_type}: {exc}") from None


# An XML name (NCName) ending the IRI: a letter or "_", then letters, digits, "_", "-", ".".
_XML_LOCAL_NAME = re.compile(r"[^\W\d][\w.-]*$")


def _check_xml_names(graph: Graph, fmt: Format) -> None:
    """RDF/XML needs every predicate to split into a namespace and an XML name."""
    for predicate in set(graph.predicates()):
        if not _XML_LOCAL_NAME.search(str(predicate)):
            available = [f.media_type for f in DOCUMENT_FORMATS if f is not fmt]
            reason = f"this description has a predicate IRI that {fmt.media_type} cannot write"
            raise NotAcceptable(available, reason=reason) from None


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """The graph's prefix bindings that some IRI of it uses (keeps Turtle headers short)."""
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    return {
        prefix: str(namespace)
        for prefix, namespace in sorted(graph.namespaces())
        if prefix and any(iri.startswith(str(namespace)) for iri in iris)
    }


def _canonical_json(text: str) -> bytes:
    """JSON-LD with keys and sets in order (the context declares no @list container)."""
    return (
        json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=2) + "\n"
    ).encode()


def _sorted_json(value, *, ordered: bool = False):
    """Sort keys and the items of sets; an @list keeps its order (it is an RDF list)."""
    if isinstance(value, dict):
        return {
            key: _sorted_json(item, ordered=key == "@list") for key, item in sorted(value.items())
        }
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return items if ordered else sorted(items, key=lambda i: json.dumps(i, sort_keys=True))
    return value


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
