"""The RDF store behind the publisher: one interface, two implementations, one factory.

- `interface`: `Store` (what the web layer may ask: select, construct, ask, describe, dump,
  version, last_modified…) and `StoreInfo`.
- `embedded`: pyoxigraph in memory or on disk (`OxigraphStore`).
- `remote`: a SPARQL 1.1 Protocol endpoint (`SparqlEndpointStore`, `Settings.store_endpoint`).
- `sources`: which files are loaded into which named graph.
- `factory`: `open_store(settings)`, the one place that picks among them.

The implementations depend on the interface, never on each other.
"""

from typing import TYPE_CHECKING

from publisher.lazy import lazy_exports

if TYPE_CHECKING:
    from publisher.store.factory import open_store
    from publisher.store.interface import DUMP_FORMATS, Store, StoreInfo
    from publisher.store.sources import Source, content_version, graph_for, resolve_sources
    from publisher.store.terms import to_oxigraph, to_rdflib

__getattr__ = lazy_exports(
    __name__,
    {
        "DUMP_FORMATS": "publisher.store.interface",
        "Source": "publisher.store.sources",
        "Store": "publisher.store.interface",
        "StoreInfo": "publisher.store.interface",
        "content_version": "publisher.store.sources",
        "graph_for": "publisher.store.sources",
        "open_store": "publisher.store.factory",
        "resolve_sources": "publisher.store.sources",
        "to_oxigraph": "publisher.store.terms",
        "to_rdflib": "publisher.store.terms",
    },
)

__all__ = [
    "DUMP_FORMATS",
    "Source",
    "Store",
    "StoreInfo",
    "content_version",
    "graph_for",
    "open_store",
    "resolve_sources",
    "to_oxigraph",
    "to_rdflib",
]
