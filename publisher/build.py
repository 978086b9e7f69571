"""Build once: what is derived from the data is computed when the data is loaded and kept
with the store, so that a later start reads it instead of computing it again.

`build(store, directory)` writes into the store's directory:
- `dumps/<name>`: every dump file as published, and `dumps/gzip/<name>` its gzip encoding;
- `aict-build.json`: the dataset version it was built for, each dump's size and checksum,
  the VoID figures (the parts of the catalog and VoID that take a pass over the data), and
  the home page's figures and chart counts in each language (publisher.stats.Overview);
- `aict-labels.json`: the search box's label index (publisher.web.label_search).

`read_build(directory, version)` gives it back, or None when there is none for that version
(the data changed, or an older package wrote it). It reads a small JSON file: nothing
proportional to the data happens at start.

The build asks the data only through the Store interface, so the same step can run once
against a remote SPARQL engine and keep its result in a local directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from publisher.catalog import (
    DUMPS,
    DumpFile,
    DumpRecord,
    VoidFigures,
    dump_bytes,
    dump_spec,
    gzip_encoded,
    void_figures,
)
from publisher.config import Settings, package_version
from publisher.errors import (
    AictError,
    InputError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)
from publisher.stats import Overview, overview
from publisher.store import Store, content_version, open_store, resolve_sources
from publisher.store.embedded import is_loaded, open_on_disk, open_read_only
from publisher.web.i18n import LANGUAGES
from publisher.web.label_search import build_label_index

log = logging.getLogger("aict.build")

BUILD_FILE = "aict-build.json"
_LABELS_FILE = "aict-labels.json"
_DUMPS_DIR = "dumps"
_GZIP_DIR = "gzip"
# Written into the file: a build by another package version is not trusted (the dumps or
# figures may be computed differently), and is made again.
_FORMAT = 3


@dataclass(frozen=True)
class Build:
    """What the build step stored for one dataset version (publisher.catalog.Derived)."""

    directory: Path
    version: str
    dumps: dict[str, DumpRecord]
    void: VoidFigures
    overviews: dict[str, Overview]  # by language

    def overview(self, lang: str) -> Overview | None:
        return self.overviews.get(lang)

    def label_entries(self) -> tuple[tuple[str, str, str], ...] | None:
        # Read when the search box is first used, not at start: it can be large.
        try:
            rows = json.loads((self.directory / _LABELS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("cannot read the built label index (%s); rebuilding it", exc)
            return None
        return tuple((folded, iri, label) for folded, iri, label in rows)

    def dump_record(self, name: str) -> DumpRecord:
        return self.dumps[dump_spec(name).name]

    def dump_bytes(self, name: str) -> bytes:
        return self._read(self.directory / _DUMPS_DIR / dump_spec(name).name)

    def dump_gzipped(self, name: str) -> bytes:
        return self._read(self.directory / _DUMPS_DIR / _GZIP_DIR / dump_spec(name).name)

    @staticmethod
    def _read(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read the built file {path}: {exc}") from None


def build(store: Store, directory: Path) -> Build:
    """Compute and write everything derived from the store's data (seconds, once)."""
    dumps_dir = directory / _DUMPS_DIR
    records: dict[str, DumpRecord] = {}
    # Said before, not only after: on a first start this is seconds of silence otherwise.
    log.info("building the dumps, catalog and VoID figures of %s into %s", store.version, directory)
    try:
        (dumps_dir / _GZIP_DIR).mkdir(parents=True, exist_ok=True)
        for spec in DUMPS if store.publishes_dumps else ():
            data = dump_bytes(store, spec)
            _write(dumps_dir / spec.name, data)
            _write(dumps_dir / _GZIP_DIR / spec.name, gzip_encoded(data))
            records[spec.name] = DumpFile(spec, data).record
        overviews = {lang: overview(store, store.triple_count(), lang) for lang in LANGUAGES}
        built = Build(directory, store.version, records, void_figures(store), overviews)
        labels = build_label_index(store).entries
        _write(directory / _LABELS_FILE, json.dumps(labels, ensure_ascii=False).encode())
        _write(directory / BUILD_FILE, _to_json(built).encode())
    except OSError as exc:
        raise StoreError(f"cannot write the build into {directory}: {exc}") from None
    log.info("built the dumps, catalog and VoID figures of %s into %s", store.version, directory)
    return built


def read_build(directory: Path, version: str) -> Build | None:
    """The build stored in `directory` for `version`, or None if there is none."""
    path = directory / BUILD_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring the unreadable build %s (%s)", path, exc)
        return None
    if (
        document.get("format") != _FORMAT
        or document.get("package") != package_version()
        or document.get("version") != version
    ):
        return None
    try:
        void = document["void"]
        return Build(
            directory,
            version,
            {name: DumpRecord(**record) for name, record in document["dumps"].items()},
            VoidFigures(
                subjects=void["subjects"],
                properties=void["properties"],
                classes=[(iri, count) for iri, count in void["classes"]],
                examples=void["examples"],
                graphs=void["graphs"],
            ),
            {lang: Overview.from_json(o) for lang, o in document["overviews"].items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("ignoring the unreadable build %s (%s)", path, exc)
        return None


def ensure_build(store: Store, directory: Path) -> Build:
    """The build of the store's version: read if it is there, else made now."""
    return read_build(directory, store.version) or build(store, directory)


def _to_json(built: Build) -> str:
    return json.dumps(
        {
            "format": _FORMAT,
            "package": package_version(),
            "version": built.version,
            "dumps": {name: asdict(record) for name, record in built.dumps.items()},
            "void": asdict(built.void),
            "overviews": {lang: o.to_json() for lang, o in built.overviews.items()},
        },
        indent=2,
    )


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def open_built(settings: Settings, *, read_only: bool = False) -> tuple[Store, Build | None]:
    """The store the settings ask for and, for a store in a directory, its build.

    A directory already loaded and built is opened read-only (unless SPARQL Update is on), so
    any number of processes, or of `aict serve` instances, can serve it at once; else it is
    loaded and built now. `read_only`: only open what is there (each serving process).
    """
    directory = settings.store_dir
    if directory is not None and (read_only or settings.update_token is None):
        if read_only or is_loaded(directory):
            store = open_read_only(directory, None if read_only else settings.data_paths)
            built = read_build(directory, store.version)
            if built is not None:
                return store, built
            store.close()
            if read_only:
                raise InputError(
                    "the store has no build of its data (run `aict load FILES --store DIR`)",
                    file=str(directory),
                    field="store_dir",
                )
    if settings.store_endpoint is not None:
        return open_remote(settings, wait=False)
    store = open_store(settings)
    if directory is None:
        return store, None
    return store, ensure_build(store, directory)


def remote_build_dir(settings: Settings) -> Path | None:
    """Where the build of a remote engine is kept: `store_dir`, else a folder of the cache
    named after the endpoint (None without either: figures computed at each start)."""
    if settings.store_dir is not None:
        return settings.store_dir
    if settings.cache_dir is None or settings.store_endpoint is None:
        return None
    name = hashlib.sha256(settings.store_endpoint.encode()).hexdigest()[:16]
    return settings.cache_dir / f"remote-{name}"


def open_remote(
    settings: Settings, *, rebuild: bool = False, wait: bool = True
) -> tuple[Store, Build | None]:
    """The remote engine's store and its build: its figures, catalog and VoID figures are
    computed once by aggregate queries (`rebuild`: again, after the engine was reloaded).

    Without `wait`, a missing build is made in a background thread for the next starts, and
    None is returned: over a large engine it takes minutes, and this start answers at once
    (what a page needs meanwhile is computed when first asked, as without a build folder).
    """
    from publisher.store.remote import SparqlEndpointStore

    directory = remote_build_dir(settings)
    store = SparqlEndpointStore.open(settings, directory, rebuild=rebuild)
    if directory is None:
        return store, None
    try:
        built = None if rebuild else read_build(directory, store.version)
        if built is None and wait:
            builder = store.for_build()
            try:
                built = build(builder, directory)
            finally:
                builder.close()
        if built is not None:
            return store, built
    except BaseException:
        store.close()
        raise
    threading.Thread(
        target=_build_quietly, args=(store.for_build(), directory), name="remote-build", daemon=True
    ).start()
    return store, None


def _build_quietly(builder: Store, directory: Path) -> None:
    try:
        build(builder, directory)
    except AictError as exc:  # the engine went away, or the folder is read-only: next start
        log.warning("the build of the remote engine's figures was not kept: %s", exc)
    finally:
        builder.close()


def with_bundled_cache(settings: Settings) -> tuple[Settings, str | None]:
    """Settings serving the bundled data from a store built once in `cache_dir`, and why.

    Only for the bundled data served read-only (no files, store or endpoint named, no SPARQL
    Update): the store is built on the first start into `<cache_dir>/bundled-<version>`, which
    later starts (and other instances) open at once. Without a usable cache folder the data
    is loaded into memory as before, and the reason says so.
    """
    if (
        settings.data_paths
        or settings.store_dir is not None
        or settings.store_endpoint is not None
        or settings.update_token is not None
        or settings.cache_dir is None
    ):
        return settings, None
    version = content_version(resolve_sources([]))
    target = settings.cache_dir / f"bundled-{version}"
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        if not is_loaded(target):
            log.info(
                "first start: building the store of the bundled data in %s (seconds, once: "
                "later starts open it at once)",
                target,
            )
            _build_elsewhere_then_move(target)
    except OSError as exc:
        log.warning("cannot build the bundled store in %s (%s)", settings.cache_dir, exc)
        return settings, f"no usable cache folder {settings.cache_dir}"
    return settings.model_copy(update={"store_dir": target}), f"bundled data, cached in {target}"


def _build_elsewhere_then_move(target: Path) -> None:
    """Load and build into a fresh folder, then rename it into place: a start running at the
    same time never sees half a store, and the first to finish wins."""
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        load([], partial)
        try:
            partial.rename(target)
        except OSError:
            if not is_loaded(target):  # not another start that finished first
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def load_remote(endpoint: str, store_dir: Path) -> Build:
    """`aict load --endpoint URL --store DIR`: ask a SPARQL engine its figures, catalog, VoID
    and label index (aggregate queries, once) and keep them in `store_dir`, which every
    `aict serve` over that engine with that `store_dir` then reads instead of asking again."""
    from publisher.config import load_settings

    settings = load_settings(store_endpoint=endpoint, store_dir=store_dir)
    try:
        store, built = open_remote(settings, rebuild=True)
    except (StoreUnavailable, QueryTimeout) as exc:  # a wrong URL, an engine down or too slow
        raise InputError(str(exc), field="endpoint") from None
    store.close()
    if built is None:  # a store_dir is given: never None, but say so if it were
        raise StoreError(f"no build was written into {store_dir}")
    return built


def load(paths: Sequence[Path], store_dir: Path) -> Build:
    """`aict load`: load the files into a new store in `store_dir` and build what derives
    from them. A directory holding other data is refused, not overwritten: serving processes
    may have it open; load into a new directory and restart them on it."""
    if is_loaded(store_dir):
        wanted = content_version(resolve_sources(paths))
        existing = open_read_only(store_dir)
        try:
            if existing.version != wanted:
                raise InputError(
                    "this directory already holds a store of other data; load into a new "
                    "directory (and point `aict serve --store` at it)",
                    file=str(store_dir),
                    field="store_dir",
                )
        finally:
            existing.close()
    store = open_on_disk(store_dir, paths)
    try:
        return ensure_build(store, store_dir)
    finally:
        store.close()
