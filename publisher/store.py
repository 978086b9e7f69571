"""The RDF store behind the publisher: a small interface and its embedded Oxigraph implementation.

The web layer talks only to `Store`, so a remote SPARQL 1.1 store (Oxigraph server, Fuseki,
Virtuoso, QLever) can take the embedded one's place: such an implementation needs `select`,
`construct`, `ask` and `triple_count` (plain SPARQL over the protocol, with the union of the
named graphs as default graph), `dump` (a CONSTRUCT or the server's own dump), and it answers
`path = None` with `snapshot_nquads` writing a copy for local workers. Everything else
(descriptions, catalog, dumps) is built on those calls; publisher/remote_store.py is that
implementation, chosen by `Settings.store_endpoint`.

Content is immutable once loaded: `version` (for ETags) and `last_modified` are fixed at load
time and kept beside an on-disk store, so a restart on the same store gives the same values.
"""

from __future__ import annotations

import hashlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from publisher.config import (
    DATASET_DIR,
    ONTOLOGY_DIR,
    VOCABULARIES_DIR,
    Settings,
    package_version,
)
from publisher.describe import Description, build_description
from publisher.errors import InputError, QuerySyntaxError, StoreError
from publisher.namespaces import PREFIXES
from publisher.uris import mint_graph

log = logging.getLogger("aict.store")

# File suffix -> format. Triples of TriG/N-Quads outside any GRAPH go to the file's own graph.
# JSON-LD is not loaded: a document may name a remote context, and ontology/context.jsonld
# sits beside the ontology.
_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
}

# Dump format key -> pyoxigraph format (dump() of the union graph, or of the quads).
DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_QUAD_DUMPS = {"nq", "trig"}

_METADATA_FILE = "aict-store.json"
_DATABASE_DIR = "oxigraph"


@dataclass(frozen=True)
class Source:
    """One file to load and the named graph its triples go into."""

    path: Path
    graph: str

    @property
    def format(self) -> ox.RdfFormat:
        return _FORMATS[self.path.suffix.lower()]


@dataclass(frozen=True)
class StoreInfo:
    """What was loaded, kept beside an on-disk store so a restart knows it."""

    version: str
    last_modified: int  # Unix seconds of the newest source file
    triples: int
    sources: list[str]


class Store(ABC):
    """What the web layer may ask of a store. Queries see the union of all named graphs."""

    path: Path | None
    info: StoreInfo

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


class OxigraphStore(Store):
    """The embedded store: pyoxigraph in memory, or on disk under `<store_dir>/oxigraph`."""

    def __init__(self, store: ox.Store, path: Path | None, info: StoreInfo) -> None:
        self._open_store: ox.Store | None = store
        self.path = path
        self.info = info

    def select(self, query: str, **bindings: Node) -> list[dict[str, Node]]:
        solutions = self._query(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("the query is not a SELECT query")
        names = [v.value for v in solutions.variables]
        return [
            {name: to_rdflib(row[name]) for name in names if row[name] is not None}
            for row in solutions
        ]

    def construct(self, query: str, **bindings: Node) -> Graph:
        triples = self._query(query, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise StoreError("the query is not a CONSTRUCT or DESCRIBE query")
        # rdflib binds schema: to https://schema.org/ by default; our data uses http.
        graph = Graph(bind_namespaces="core")
        for triple in triples:
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return graph

    def ask(self, query: str, **bindings: Node) -> bool:
        answer = self._query(query, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise StoreError("the query is not an ASK query")
        return bool(answer)

    def dump(self, fmt: str) -> bytes:
        if fmt not in DUMP_FORMATS:
            raise StoreError(f"unknown dump format {fmt!r}; known: {', '.join(DUMP_FORMATS)}")
        try:
            if fmt in _QUAD_DUMPS:
                return self._store.dump(format=DUMP_FORMATS[fmt], prefixes=_dump_prefixes(fmt))
            triples = self._store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
            return ox.serialize(triples, format=DUMP_FORMATS[fmt], prefixes=_dump_prefixes(fmt))
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot dump the store as {fmt}: {exc}") from None

    def snapshot_nquads(self, path: Path) -> Path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._store.dump(str(path), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            raise StoreError(f"cannot write the N-Quads snapshot {path}: {exc}") from None
        return path

    def update(self, text: str) -> None:
        """Apply a SPARQL Update (the caller has authorised and policy-checked it).

        The version then changes (hash of the previous one and the update), so ETags,
        the catalog and the dumps follow; an on-disk store records it for the next start.
        """
        try:
            self._store.update(text)
            if self.path is not None:
                self._store.flush()
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc.msg), line=exc.lineno, column=exc.offset) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"the store failed to apply the update: {exc}") from None
        digest = hashlib.sha256(f"{self.info.version}\0{text}".encode()).hexdigest()[:32]
        self.info = StoreInfo(
            version=digest,
            last_modified=max(int(datetime.now(UTC).timestamp()), self.info.last_modified),
            triples=_count_triples(self._store),
            sources=self.info.sources,
        )
        if self.path is not None:
            _write_info(self.path.parent / _METADATA_FILE, self.info)

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()
        self._open_store = None

    @property
    def memory_engine(self) -> ox.Store | None:
        """The pyoxigraph store itself when it lives in this process's memory (for query
        threads: publisher.sparql.threads); None on disk."""
        return self._open_store if self.path is None else None

    @property
    def _store(self) -> ox.Store:
        if self._open_store is None:
            raise StoreError("the store is closed")
        return self._open_store

    def _query(self, query: str, bindings: Mapping[str, Node]):
        substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
        try:
            return self._store.query(
                query, use_default_graph_as_union=True, substitutions=substitutions or None
            )
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc.msg), line=exc.lineno, column=exc.offset) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"the store failed to answer: {exc}") from None


def open_store(settings: Settings) -> Store:
    """Open the store the settings ask for, loading the files unless an on-disk store has them.

    With `store_endpoint`, a remote SPARQL store is used instead and no file is loaded.

    In memory (no `store_dir`): the files are loaded on every start. On disk: the first start
    loads them; later starts open the existing store as is and only warn if the files changed.
    """
    if settings.store_endpoint is not None:
        # Imported here: remote_store builds on this module's interface.
        from publisher.remote_store import SparqlEndpointStore

        return SparqlEndpointStore.open(settings)
    if settings.store_dir is None:
        sources = resolve_sources(settings.data_paths)
        store = ox.Store()
        info = _load(store, sources)
        log.info("loaded %d triples from %d files into memory", info.triples, len(sources))
        return OxigraphStore(store, None, info)
    return _open_on_disk(settings.store_dir, settings.data_paths)


def _open_on_disk(store_dir: Path, paths: Sequence[Path]) -> OxigraphStore:
    database = store_dir / _DATABASE_DIR
    metadata = store_dir / _METADATA_FILE
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(database))
    except OSError as exc:
        # A directory the user named that cannot be used (missing rights, locked by another
        # process): bad input, not an internal failure.
        raise InputError(
            f"cannot open the store: {exc}", file=str(store_dir), field="store_dir"
        ) from None
    info = _read_info(metadata)
    if info is not None and len(store) > 0:
        _warn_if_files_changed(store_dir, paths, info)
        log.info(
            "opened the existing store in %s (%d triples); files not reloaded",
            store_dir,
            info.triples,
        )
        return OxigraphStore(store, database, info)
    # An empty store, or one left half-loaded by an interrupted first start.
    sources = resolve_sources(paths)
    store.clear()
    info = _load(store, sources)
    store.flush()
    _write_info(metadata, info)
    log.info("loaded %d triples from %d files into %s", info.triples, len(sources), store_dir)
    return OxigraphStore(store, database, info)


def _warn_if_files_changed(store_dir: Path, paths: Sequence[Path], info: StoreInfo) -> None:
    """The existing store is served as it is; only say so when the files no longer match."""
    try:
        current = content_version(resolve_sources(paths))
    except InputError as exc:
        log.warning("cannot compare the store in %s with the files (%s)", store_dir, exc)
        return
    if current != info.version:
        log.warning(
            "the files changed since the store in %s was built; delete it to reload them",
            store_dir,
        )


def _write_info(metadata: Path, info: StoreInfo) -> None:
    try:
        metadata.write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write {metadata}: {exc}") from None


def _count_triples(store: ox.Store) -> int:
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        use_default_graph_as_union=True,
    )
    return int(next(iter(rows))["n"].value)


def _read_info(metadata: Path) -> StoreInfo | None:
    if not metadata.is_file():
        return None
    try:
        return StoreInfo(**json.loads(metadata.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise StoreError(f"unreadable store metadata {metadata}: {exc}") from None


def _load(store: ox.Store, sources: Sequence[Source]) -> StoreInfo:
    for number, source in enumerate(sources):
        try:
            store.extend(_labelled_quads(source, f"f{number}b"))
        except SyntaxError as exc:
            raise InputError(
                str(exc.msg), file=str(source.path), line=exc.lineno, column=exc.offset
            ) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot load: {exc}", file=str(source.path)) from None
    return StoreInfo(
        version=content_version(sources),
        last_modified=max((int(s.path.stat().st_mtime) for s in sources), default=0),
        triples=_count_triples(store),
        sources=[str(s.path) for s in sources],
    )


def _labelled_quads(source: Source, prefix: str) -> Iterable[ox.Quad]:
    """The file's quads in its graph, blank nodes renamed by order of first appearance.

    The parser names anonymous blank nodes at random; numbering them instead makes a reload of
    the same files give the same store, hence the same dumps, checksums and ETags.
    """
    names: dict[str, ox.BlankNode] = {}
    default_graph = ox.NamedNode(source.graph)

    def label(term):
        if isinstance(term, ox.BlankNode):
            named = names.get(term.value)
            if named is None:
                named = names[term.value] = ox.BlankNode(f"{prefix}{len(names)}")
            return named
        return term

    for quad in ox.parse(path=str(source.path), format=source.format):
        graph = quad.graph_name
        if isinstance(graph, ox.DefaultGraph):
            graph = default_graph
        yield ox.Quad(label(quad.subject), quad.predicate, label(quad.object), label(graph))


def content_version(sources: Iterable[Source]) -> str:
    """A hash of the files' bytes, their graphs and the package version (not of paths or dates)."""
    digest = hashlib.sha256(package_version().encode())
    for source in sources:
        digest.update(f"\0{source.graph}\0{source.path.name}\0".encode())
        try:
            digest.update(hashlib.sha256(source.path.read_bytes()).digest())
        except OSError as exc:
            raise InputError(f"cannot read: {exc}", file=str(source.path)) from None
    return digest.hexdigest()[:32]


def resolve_sources(paths: Sequence[Path]) -> list[Source]:
    """The files to load: the given files and folders, or the bundled data when none is given."""
    if not paths:
        return _bundled_sources()
    sources: list[Source] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _FORMATS)
            if not files:
                raise InputError(
                    "no RDF file (.ttl .nt .rdf .owl .trig .nq) in folder", file=str(path)
                )
            sources.extend(Source(f, graph_for(f)) for f in files)
        elif path.is_file():
            if path.suffix.lower() not in _FORMATS:
                raise InputError(
                    f"unknown RDF format {path.suffix!r}; use one of {', '.join(_FORMATS)}",
                    file=str(path),
                )
            sources.append(Source(path, graph_for(path)))
        else:
            raise InputError("no such file or folder", file=str(path))
    return sources


def _bundled_sources() -> list[Source]:
    """ontology/*, ontology/vocabularies/* and data/dataset/* (never data/examples)."""
    files: list[Path] = []
    for folder in (ONTOLOGY_DIR, VOCABULARIES_DIR, DATASET_DIR):
        if folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix.lower() in _FORMATS))
    if not files:
        raise InputError(
            "the bundled dataset is empty (no ontology/aict.ttl, ontology/vocabularies/ or "
            "data/dataset/ file); run `aict import` or give the files to publish",
            file=str(DATASET_DIR),
        )
    return [Source(f, graph_for(f)) for f in files]


def graph_for(path: Path) -> str:
    """The named graph of a file: ontology, vocab-<scheme> or the file's stem."""
    resolved = path.resolve()
    if resolved == (ONTOLOGY_DIR / "aict.ttl").resolve():
        return str(mint_graph("ontology"))
    if resolved.parent.name == VOCABULARIES_DIR.name:
        return str(mint_graph(f"vocab-{path.stem}"))
    return str(mint_graph(path.stem))


def _dump_prefixes(fmt: str) -> dict[str, str] | None:
    return dict(PREFIXES) if fmt in {"ttl", "trig"} else None


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as an rdflib term (plain literals keep no xsd:string datatype)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)
    raise StoreError(f"unsupported term from the store: {term!r}")


def to_oxigraph(term: Node | str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (or an IRI string) as a pyoxigraph term, for query bindings."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and term.datatype != RDF.langString:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, str):
        try:
            return ox.NamedNode(term)
        except ValueError as exc:
            raise StoreError(f"not an IRI: {term!r} ({exc})") from None
    raise StoreError(f"unsupported term for a query: {term!r}")
