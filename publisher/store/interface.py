"""What the web layer may ask of a store, whichever engine holds the data.

Content is immutable once loaded: `version` (for ETags) and `last_modified` are fixed when the
data is loaded and kept beside an on-disk store, so a restart on the same store gives the
same values.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from publisher.describe import Description, build_description
from publisher.formats import DUMP_FORMATS as DUMPS
from publisher.formats import by_extension

# Dump format key -> pyoxigraph format (the union graph for triple formats, every quad for
# QUAD_DUMPS).
DUMP_FORMATS: dict[str, ox.RdfFormat] = {k: f.engine for k, f in by_extension(DUMPS).items()}
QUAD_DUMPS = frozenset({"nq", "trig"})


@dataclass(frozen=True)
class StoreInfo:
    """What was loaded, kept beside an on-disk store so a restart knows it."""

    version: str
    last_modified: int  # Unix seconds: see data_last_modified
    triples: int
    sources: list[str]
    # [path, size, mtime in ns] of each loaded file: a restart tells unchanged files by their
    # stat, without reading them.
    files: list[list] = field(default_factory=list)


class Store(ABC):
    """The store interface. Queries see the union of all named graphs as default graph."""

    path: Path | None
    info: StoreInfo
    # Whether /dumps serves this store's data as files (a remote engine's is not copied).
    publishes_dumps = True

    @property
    def version(self) -> str:
        """Stable hash of the loaded content and the package version (the base of ETags)."""
        return self.info.version

    @property
    def last_modified(self) -> datetime:
        return datetime.fromtimestamp(self.info.last_modified, UTC)

    def triple_count(self) -> int:
        return self.info.triples

    @abstractmethod
    def select(self, query: str, **bindings: Node) -> list[dict[str, Node]]:
        """Rows of a SELECT query.

        Keyword arguments bind variables without building query strings. They join with the
        result like a trailing VALUES clause: they restrict it, but do not flow into BIND,
        sub-selects or OPTIONAL filters, and a bound variable must be projected.
        """

    @abstractmethod
    def construct(self, query: str, **bindings: Node) -> Graph:
        """The graph of a CONSTRUCT query."""

    @abstractmethod
    def ask(self, query: str, **bindings: Node) -> bool:
        """The answer of an ASK query."""

    @abstractmethod
    def dump(self, fmt: str) -> bytes:
        """The whole dataset in one of DUMP_FORMATS (triple formats hold the union graph)."""

    @abstractmethod
    def snapshot_nquads(self, path: Path) -> Path:
        """Write every quad to `path` as N-Quads (for SPARQL workers of an in-memory store)."""

    @abstractmethod
    def close(self) -> None:
        """Release the store; further calls fail."""

    def describe(self, iri: str, *, page: int = 1, page_size: int = 100) -> Description:
        """A resource's description: see publisher.describe."""
        return build_description(self, iri, page=page, page_size=page_size)


_MODIFIED = "SELECT (MAX(STR(?d)) AS ?m) WHERE { ?x <http://purl.org/dc/terms/modified> ?d }"


def data_last_modified(store: Store) -> int | None:
    """When the data says it last changed: its newest dct:modified (Unix seconds), else None.

    Taken from the data, not from file times, so identical data gives identical
    Last-Modified and catalog dates on every deployment.
    """
    rows = store.select(_MODIFIED)
    if not rows or "m" not in rows[0]:
        return None
    try:
        moment = datetime.fromisoformat(str(rows[0]["m"]))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def unknown_dump_format(fmt: str) -> str:
    """The message for a dump format no store knows."""
    return f"unknown dump format {fmt!r}; known: {', '.join(DUMP_FORMATS)}"
