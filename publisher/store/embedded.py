"""The embedded store: pyoxigraph in this process's memory, or on disk under `<store_dir>/oxigraph`.

In memory, the files are loaded on every start. On disk, the first start loads them; later
starts open the existing store as is and only warn if the files changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from publisher.errors import InputError, QuerySyntaxError, StoreError
from publisher.namespaces import PREFIXES
from publisher.store.interface import (
    DUMP_FORMATS,
    QUAD_DUMPS,
    Store,
    StoreInfo,
    data_last_modified,
    unknown_dump_format,
)
from publisher.store.sources import Source, content_version, load_sources, resolve_sources
from publisher.store.terms import to_oxigraph, to_rdflib

log = logging.getLogger("aict.store")

_METADATA_FILE = "aict-store.json"
_DATABASE_DIR = "oxigraph"


class OxigraphStore(Store):
    """The embedded store: pyoxigraph in memory, or on disk under `<store_dir>/oxigraph`."""

    def __init__(
        self, store: ox.Store, path: Path | None, info: StoreInfo, *, read_only: bool = False
    ) -> None:
        self._open_store: ox.Store | None = store
        self.path = path
        self.info = info
        self.read_only = read_only

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
            raise StoreError(unknown_dump_format(fmt))
        try:
            if fmt in QUAD_DUMPS:
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

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update (the caller has authorised and policy-checked it); relative
        IRIs in it resolve against `base_iri`.

        The version then changes (hash of the previous one and the update), so ETags,
        the catalog and the dumps follow; an on-disk store records it for the next start.
        """
        try:
            self._store.update(text, base_iri=base_iri)
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
            files=self.info.files,
        )
        if self.path is not None:
            _write_info(self.path.parent / _METADATA_FILE, self.info)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()
        self._open_store = None

    @property
    def thread_engine(self) -> ox.Store | None:
        """The pyoxigraph store when threads of this process may query it while it serves
        (publisher.sparql.threads): in memory, or opened read-only on disk; else None."""
        return self._open_store if self.path is None or self.read_only else None

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


def open_in_memory(paths: Sequence[Path]) -> OxigraphStore:
    """Load the files (or the bundled data) into a store in this process's memory."""
    sources = resolve_sources(paths)
    store = ox.Store()
    log.info("loading %d files into memory", len(sources))
    opened = _load(store, sources, None)
    log.info("loaded %d triples from %d files into memory", opened.triple_count(), len(sources))
    return opened


def open_on_disk(store_dir: Path, paths: Sequence[Path]) -> OxigraphStore:
    """Open the store in `store_dir` for writing, loading the files first if it has none.

    An existing store is opened as it is; reading its metadata is all a restart costs.
    """
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
    # The metadata is written only once the load is flushed: without it, the store is empty
    # or was left half-loaded by an interrupted first start.
    info = _read_info(metadata)
    if info is not None:
        _say_reopened(store_dir, paths, info, "")
        return OxigraphStore(store, database, info)
    sources = resolve_sources(paths)
    store.clear()
    log.info("loading %d files into %s", len(sources), store_dir)
    opened = _load(store, sources, database)
    store.flush()
    _write_info(metadata, opened.info)
    log.info(
        "loaded %d triples from %d files into %s", opened.triple_count(), len(sources), store_dir
    )
    return opened


def open_read_only(store_dir: Path, paths: Sequence[Path] | None = None) -> OxigraphStore:
    """Open a store built earlier in `store_dir` read-only: any number of processes may, at
    once, each answering from the same files (nothing is loaded or copied). With `paths`,
    say whether those files still match it."""
    info = _read_info(store_dir / _METADATA_FILE)
    if info is None:
        raise InputError(
            "no loaded store here (run `aict load FILES --store DIR` first)",
            file=str(store_dir),
            field="store_dir",
        )
    database = store_dir / _DATABASE_DIR
    try:
        store = ox.Store.read_only(str(database))
    except OSError as exc:
        raise InputError(
            f"cannot open the store: {exc}", file=str(store_dir), field="store_dir"
        ) from None
    if paths is not None:
        _say_reopened(store_dir, paths, info, " read-only")
    return OxigraphStore(store, database, info, read_only=True)


def is_loaded(store_dir: Path) -> bool:
    """Whether `store_dir` holds a completely loaded store."""
    return (store_dir / _METADATA_FILE).is_file()


def _say_reopened(store_dir: Path, paths: Sequence[Path], info: StoreInfo, how: str) -> None:
    _warn_if_files_changed(store_dir, paths, info)
    log.info(
        "opened the existing store in %s%s (%d triples); files not reloaded",
        store_dir,
        how,
        info.triples,
    )


def _warn_if_files_changed(store_dir: Path, paths: Sequence[Path], info: StoreInfo) -> None:
    """The existing store is served as it is; only say so when the files no longer match.

    Files whose size and time are those recorded at load are not read again.
    """
    try:
        sources = resolve_sources(paths)
        if _fingerprints(sources) == info.files:
            return
        current = content_version(sources)
    except InputError as exc:
        log.warning("cannot compare the store in %s with the files (%s)", store_dir, exc)
        return
    if current != info.version:
        log.warning(
            "the files changed since the store in %s was built; delete it to reload them",
            store_dir,
        )


def _fingerprints(sources: Sequence[Source]) -> list[list]:
    try:
        stats = [(source.path, source.path.stat()) for source in sources]
    except OSError as exc:
        raise InputError(f"cannot read: {exc}") from None
    return [[str(path), stat.st_size, stat.st_mtime_ns] for path, stat in stats]


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


def _load(store: ox.Store, sources: Sequence[Source], path: Path | None) -> OxigraphStore:
    """Load the files; the store's info (version, date, size) is computed now, once."""
    load_sources(store, sources)
    opened = OxigraphStore(store, path, StoreInfo("", 0, 0, []))
    modified = data_last_modified(opened)
    if modified is None:  # the data states no date: the newest file is the best we know
        modified = max((int(s.path.stat().st_mtime) for s in sources), default=0)
    opened.info = StoreInfo(
        version=content_version(sources),
        last_modified=modified,
        triples=_count_triples(store),
        sources=[str(s.path) for s in sources],
        files=_fingerprints(sources),
    )
    return opened


def _dump_prefixes(fmt: str) -> dict[str, str] | None:
    return dict(PREFIXES) if fmt in {"ttl", "trig"} else None
