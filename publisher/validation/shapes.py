"""The shapes graph: ours (shapes/*.ttl) plus any a project adds, and what it implies for
validation: how far from a contributed node the shapes look into the reference data."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from publisher.config import SHAPES_DIR
from publisher.errors import InputError
from publisher.namespaces import SH
from publisher.validation.inputs import expand_paths, read_source
from publisher.validation.parsing import parse_source

# Unbounded paths (sh:zeroOrMorePath …) and cycles between shapes are cut at this depth.
MAX_REACH = 6
# Shape keys whose value nodes must be described for the check to run.
_NODE_READING = (SH["class"], SH.closed, SH.sparql, SH.property, SH.hasValue)
_NESTED_SHAPES = (SH.node, SH.qualifiedValueShape, SH["not"])
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


def project_shape_files(shapes_dir: Path = SHAPES_DIR) -> list[Path]:
    """Our own shapes: every Turtle file of shapes/ (none yet is not an error)."""
    return sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []


def load_shapes(
    extra: Sequence[Path], *, max_bytes: int, project_shapes: bool = True
) -> tuple[Graph, list[str]]:
    """The merged shapes graph and the names of the files it came from."""
    files = project_shape_files() if project_shapes else []
    if extra:
        files = files + expand_paths(extra)
    if not files:
        raise InputError("no shapes to validate against (shapes/ is empty and no --shapes given)")
    key = tuple((path.resolve(), path.stat().st_mtime_ns) for path in files)
    return _merged_shapes(key, max_bytes), [str(path) for path in files]


@lru_cache(maxsize=8)
def _merged_shapes(files: tuple[tuple[Path, int], ...], max_bytes: int) -> Graph:
    """One graph per set of unchanged files, shared by every run: callers never modify it
    (each run copies what it changes), and what is derived from it is cached with it."""
    graph = Graph()
    for index, (path, mtime) in enumerate(files):
        graph += _parsed_shapes(path, mtime, max_bytes, index)
    return graph


@lru_cache(maxsize=32)
def _parsed_shapes(path: Path, _mtime: int, max_bytes: int, index: int) -> Graph:
    source = read_source(path, max_bytes=max_bytes)
    return parse_source(source, 1000 + index)


@lru_cache(maxsize=8)
def reach_depth(shapes: Graph) -> int:
    """How many links away from a focus node the shapes read data: the path lengths plus
    what nested shapes (sh:node, sh:qualifiedValueShape, logical ones) read in turn, at least
    1 (the focus node's own description), at most MAX_REACH."""
    memo: dict[Node, int] = {}
    roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.property, None))
    roots |= set(shapes.subjects(SH.path, None))
    depth = max((_shape_need(shapes, root, memo, frozenset()) for root in roots), default=1)
    return max(1, min(MAX_REACH, depth))


def _shape_need(shapes: Graph, shape: Node, memo: dict[Node, int], stack: frozenset) -> int:
    """Levels of description needed below a node validated against `shape`."""
    if shape in memo:
        return memo[shape]
    if shape in stack or len(stack) > MAX_REACH:
        return MAX_REACH
    stack = stack | {shape}
    need = 1 if any(shapes.value(shape, key) is not None for key in _NODE_READING) else 0
    need = max(need, _nested_need(shapes, shape, memo, stack))
    for prop in shapes.objects(shape, SH.property):
        need = max(need, _property_need(shapes, prop, memo, stack))
    path = shapes.value(shape, SH.path)
    if path is not None:  # a property shape reached directly (e.g. through sh:node)
        need = max(need, _path_length(shapes, path) + _values_need(shapes, shape, memo, stack))
    memo[shape] = min(need, MAX_REACH)
    return memo[shape]


def _property_need(shapes: Graph, prop: Node, memo: dict[Node, int], stack: frozenset) -> int:
    path = shapes.value(prop, SH.path)
    length = _path_length(shapes, path) if path is not None else 1
    return length + _values_need(shapes, prop, memo, stack)


def _values_need(shapes: Graph, prop: Node, memo: dict[Node, int], stack: frozenset) -> int:
    """What the constraints of a property shape read below its value nodes."""
    need = 1 if shapes.value(prop, SH["class"]) is not None else 0
    return max(need, _nested_need(shapes, prop, memo, stack))


def _nested_need(shapes: Graph, shape: Node, memo: dict[Node, int], stack: frozenset) -> int:
    """The most that the shapes nested in `shape` (sh:node, sh:not, sh:and lists …) read."""
    nested = [n for key in _NESTED_SHAPES for n in shapes.objects(shape, key)]
    nested += [
        m for key in _SHAPE_LISTS for head in shapes.objects(shape, key) for m in shapes.items(head)
    ]
    return max((_shape_need(shapes, n, memo, stack) for n in nested), default=0)


def _path_length(shapes: Graph, path: Node, depth: int = 0) -> int:
    if isinstance(path, URIRef) or depth > MAX_REACH:
        return 1
    if shapes.value(path, RDF.first) is not None:
        return sum(_path_length(shapes, item, depth + 1) for item in shapes.items(path))
    alternative = shapes.value(path, SH.alternativePath)
    if alternative is not None:
        return max(
            (_path_length(shapes, i, depth + 1) for i in shapes.items(alternative)), default=1
        )
    if shapes.value(path, SH.zeroOrMorePath) is not None or shapes.value(path, SH.oneOrMorePath):
        return MAX_REACH
    for key in (SH.inversePath, SH.zeroOrOnePath):
        inner = shapes.value(path, key)
        if inner is not None:
            return _path_length(shapes, inner, depth + 1)
    return 1


# Shape parameters that name a predicate of the focus node's own description.
_PREDICATE_PARAMETERS = (
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
)


@lru_cache(maxsize=8)
def read_predicates(shapes: Graph) -> frozenset[str] | None:
    """The predicates the shapes read (paths, comparison parameters, rdf:type), or None when
    they may read anything (closed shapes, SPARQL constraints)."""
    if (None, SH.closed, None) in shapes or (None, SH.sparql, None) in shapes:
        return None
    predicates = {str(RDF.type)}
    for path in shapes.objects(None, SH.path):
        predicates |= _path_predicates(shapes, path, 0)
    for parameter in _PREDICATE_PARAMETERS:
        predicates |= {str(p) for p in shapes.objects(None, parameter) if isinstance(p, URIRef)}
    return frozenset(predicates)


def _path_predicates(shapes: Graph, path: Node, depth: int) -> set[str]:
    if isinstance(path, URIRef):
        return {str(path)}
    if depth > 32:
        return set()
    found: set[str] = set()
    if shapes.value(path, RDF.first) is not None:
        for item in shapes.items(path):
            found |= _path_predicates(shapes, item, depth + 1)
    for key in (SH.alternativePath,):
        for head in shapes.objects(path, key):
            for item in shapes.items(head):
                found |= _path_predicates(shapes, item, depth + 1)
    for key in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        for inner in shapes.objects(path, key):
            found |= _path_predicates(shapes, inner, depth + 1)
    return found
