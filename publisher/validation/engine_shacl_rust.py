"""shacl-rust (optional extra `fast`), with its qualified-shape bug worked around."""

from __future__ import annotations

import importlib

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.errors import AictError, InputError
from publisher.namespaces import SH
from publisher.validation.engine_pyshacl import run_pyshacl
from publisher.validation.focus import TARGET_PREDICATES
from publisher.validation.paths import PathSyntaxError, normalise_path, path_to_string
from publisher.validation.raw_result import RawResult
from publisher.validation.terms import parse_term


class EngineUnavailable(InputError):
    """The requested engine is not installed."""


def run_shacl_rust(data: Graph, shapes: Graph) -> list[RawResult]:
    try:
        shacl_rust = importlib.import_module("shacl_rust")
    except ImportError:
        raise EngineUnavailable(
            "the shacl-rust engine is not installed: pip install 'aict-publisher[fast]'",
            field="--engine",
        ) from None
    # shacl-rust 0.2.12 finds no conforming literal in a sh:qualifiedValueShape (so every
    # "needs a French label" check would fail). "At least one value conforms to Q" is
    # rewritten as sh:not [ sh:path p ; sh:not Q ], which it evaluates right; the other
    # qualified constraints are handed to pySHACL.
    qualified = set(shapes.subjects(SH.qualifiedValueShape, None))
    rewritten, proxies = _rewrite_qualified(shapes, qualified)
    # N-Triples keeps blank-node labels, so results name the nodes of our graphs.
    try:
        outcome = shacl_rust.validate(
            data.serialize(format="nt"),
            rewritten.serialize(format="nt"),
            data_format="nt",
            shapes_format="nt",
        )
    except ValueError as exc:
        raise InputError(f"shacl-rust refused the input: {exc}", field="--engine") from None
    results = [
        _proxy_result(item, shapes, proxies[shape])
        if shape in proxies
        else _rust_result(item, shapes)
        for item in outcome["results"]
        for shape in [_term(item["sourceShape"])]
    ]
    delegate = qualified - set(proxies.values())
    if not delegate:
        return results
    kept = [r for r in results if not (r.shape in delegate and r.component in _QUALIFIED)]
    delegated = run_pyshacl(data, _only_qualified(shapes, delegate))
    return kept + [r for r in delegated if r.component in _QUALIFIED]


def _rewrite_qualified(shapes: Graph, qualified: set[Node]) -> tuple[Graph, dict[Node, Node]]:
    """The shapes with each simple qualified constraint (qualifiedMinCount 1, one qualified
    shape, no disjointness, no max) replaced by a proxy node shape with the owner's targets;
    and proxy -> original property shape."""
    rewritten = Graph()
    rewritten += shapes
    proxies: dict[Node, Node] = {}
    for prop in sorted(qualified, key=str):
        value_shapes = list(shapes.objects(prop, SH.qualifiedValueShape))
        minimum = shapes.value(prop, SH.qualifiedMinCount)
        path = shapes.value(prop, SH.path)
        if (
            len(value_shapes) != 1
            or path is None
            or not (isinstance(minimum, Literal) and minimum.toPython() == 1)
            or shapes.value(prop, SH.qualifiedMaxCount) is not None
            or shapes.value(prop, SH.qualifiedValueShapesDisjoint) is not None
        ):
            continue
        owners = list(shapes.subjects(SH.property, prop))
        rewritten.remove((prop, SH.qualifiedValueShape, None))
        rewritten.remove((prop, SH.qualifiedMinCount, None))
        for index, owner in enumerate(owners):
            proxy = URIRef(f"urn:aict:qualified:{len(proxies)}:{index}")
            proxies[proxy] = prop
            values = BNode()
            rewritten.add((proxy, RDF.type, SH.NodeShape))
            rewritten.add((proxy, SH["not"], values))
            rewritten.add((values, SH.path, path))
            rewritten.add((values, SH["not"], value_shapes[0]))
            for target in TARGET_PREDICATES:
                for value in shapes.objects(owner, target):
                    rewritten.add((proxy, target, value))
            if (owner, RDF.type, RDFS.Class) in shapes or (owner, RDF.type, OWL.Class) in shapes:
                rewritten.add((proxy, SH.targetClass, owner))
    return rewritten, proxies


def _proxy_result(item: dict, shapes: Graph, prop: Node) -> RawResult:
    """A result of a rewritten constraint, told as the qualified constraint it stands for."""
    path = shapes.value(prop, SH.path)
    severity = shapes.value(prop, SH.severity) or SH.Violation
    return RawResult(
        focus=_term(item["focusNode"]),
        path=path_to_string(shapes, path),
        value=None,
        component=str(SH.QualifiedMinCountConstraintComponent),
        shape=prop,
        severity=str(severity),
        messages=tuple(m for m in shapes.objects(prop, SH.message) if isinstance(m, Literal)),
    )


_QUALIFIED = {
    str(SH.QualifiedMinCountConstraintComponent),
    str(SH.QualifiedMaxCountConstraintComponent),
}


def _only_qualified(shapes: Graph, qualified: set[Node]) -> Graph:
    """The shapes with every target removed but those of the shapes owning a qualified
    property, copied onto one new node shape per owner that holds only that property."""
    targets = TARGET_PREDICATES
    reduced = Graph()
    for triple in shapes:
        if triple[1] not in targets and not (
            triple[1] == RDF.type and triple[2] in (RDFS.Class, OWL.Class)
        ):
            reduced.add(triple)
    for prop in qualified:
        for owner in shapes.subjects(SH.property, prop):
            proxy = BNode()
            reduced.add((proxy, RDF.type, SH.NodeShape))
            reduced.add((proxy, SH.property, prop))
            for target in targets:
                for value in shapes.objects(owner, target):
                    reduced.add((proxy, target, value))
            if (owner, RDF.type, RDFS.Class) in shapes or (owner, RDF.type, OWL.Class) in shapes:
                reduced.add((proxy, SH.targetClass, owner))
    return reduced


def _rust_result(item: dict, shapes: Graph) -> RawResult:
    shape = _term(item["sourceShape"])
    messages = tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))
    if not messages:
        # shacl-rust lists its own wording first, then the sh:message texts without language.
        messages = tuple(Literal(m) for m in item.get("messages", [])[:1])
    path = item.get("resultPath")
    try:
        canonical = normalise_path(path) if path else None
    except PathSyntaxError as exc:
        raise AictError(f"shacl-rust returned a path we cannot read: {exc}") from None
    value = item.get("value")
    return RawResult(
        focus=_term(item["focusNode"]),
        path=canonical,
        value=_term(value) if value is not None else None,
        component=item["sourceConstraintComponent"].strip("<>"),
        shape=shape,
        severity=item["severity"].strip("<>"),
        messages=messages,
    )


def _term(text: str) -> Node:
    term = parse_term(text)
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term
