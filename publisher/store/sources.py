"""Which files to load, into which named graph, and how: the one way files enter a store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from publisher.config import (
    DATASET_DIR,
    EXTERNAL_DIR,
    ONTOLOGY_DIR,
    VOCABULARIES_DIR,
    package_version,
)
from publisher.errors import InputError
from publisher.formats import LOADABLE_SUFFIXES
from publisher.uris import mint_graph

# File suffix -> format. Triples of TriG/N-Quads outside any GRAPH go to the file's own graph.
# JSON-LD is not loaded (publisher.formats.LOADABLE_SUFFIXES says why).
RDF_FORMATS: dict[str, ox.RdfFormat] = {s: f.engine for s, f in LOADABLE_SUFFIXES.items()}


@dataclass(frozen=True)
class Source:
    """One file to load and the named graph its triples go into."""

    path: Path
    graph: str

    @property
    def format(self) -> ox.RdfFormat:
        return RDF_FORMATS[self.path.suffix.lower()]


def load_sources(store: ox.Store, sources: Sequence[Source]) -> None:
    """Add every file's quads to `store`; a file that does not parse is an InputError."""
    for number, source in enumerate(sources):
        try:
            store.extend(_labelled_quads(source, f"f{number}b"))
        except SyntaxError as exc:
            raise InputError(
                str(exc.msg), file=str(source.path), line=exc.lineno, column=exc.offset
            ) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot load: {exc}", file=str(source.path)) from None


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
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in RDF_FORMATS and not _reference_only(p, within=path)
            )
            if not files:
                raise InputError(
                    "no RDF file (.ttl .nt .rdf .owl .trig .nq) in folder", file=str(path)
                )
            sources.extend(Source(f, graph_for(f)) for f in files)
        elif path.is_file():
            if path.suffix.lower() not in RDF_FORMATS:
                raise InputError(
                    f"unknown RDF format {path.suffix!r}; use one of {', '.join(RDF_FORMATS)}",
                    file=str(path),
                )
            sources.append(Source(path, graph_for(path)))
        else:
            raise InputError("no such file or folder", file=str(path))
    return sources


def _reference_only(file: Path, within: Path) -> bool:
    """A file of ontology/external/ reached by walking a folder above it (`aict serve
    ontology/`): a copy kept for the tests, not ours to publish. Named itself, it loads."""
    external = EXTERNAL_DIR.resolve()
    return file.resolve().is_relative_to(external) and not within.resolve().is_relative_to(external)


def _bundled_sources() -> list[Source]:
    """ontology/*, ontology/vocabularies/* and data/dataset/* (never data/examples)."""
    files: list[Path] = []
    for folder in (ONTOLOGY_DIR, VOCABULARIES_DIR, DATASET_DIR):
        if folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix.lower() in RDF_FORMATS))
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
