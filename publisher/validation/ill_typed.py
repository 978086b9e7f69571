"""One violation per ill-typed literal, and no other rule tripping over it.

The engines are never shown an ill-typed literal: pySHACL raises TypeError when sh:lessThan
compares one, and each rule that reads it (datatype, range, order, sh:or of datatypes) would
report it again in its own words. Each one is replaced, for the engine run, by a stand-in of
a private datatype, which fails every sh:datatype and is less or greater than nothing (as
SPARQL treats an ill-typed value); what the engines say about a stand-in then becomes one
result, "`x` is not a valid xsd:date", at the line where the value is written, under the rule
that failed on it first (its sh:datatype, else e.g. the sh:or of datatypes around it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from publisher.namespaces import SH, SHAPES
from publisher.validation.literals import literal_is_ill_typed
from publisher.validation.messages import component_parameter
from publisher.validation.paths import predicate_of
from publisher.validation.raw_result import RawResult
from publisher.validation.terms import compact_iri

# The validator's own check, named like a shape so reports say where a finding comes from.
WELL_TYPED_SHAPE = SHAPES.WellTypedLiteral
DATATYPE_COMPONENT = str(SH.DatatypeConstraintComponent)
_PAIRS = {
    str(SH.LessThanConstraintComponent),
    str(SH.LessThanOrEqualsConstraintComponent),
    str(SH.EqualsConstraintComponent),
    str(SH.DisjointConstraintComponent),
}
_NESTING = {
    str(SH.NodeConstraintComponent),
    str(SH.NotConstraintComponent),
    str(SH.AndConstraintComponent),
    str(SH.OrConstraintComponent),
    str(SH.XoneConstraintComponent),
    str(SH.QualifiedMinCountConstraintComponent),
    str(SH.QualifiedMaxCountConstraintComponent),
}


_STAND_IN_DATATYPE = "urn:aict:ill-typed:"


class _StandIn(Literal):
    """Compares with nothing: an engine comparing it reports "not comparable", never raises."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__


@dataclass
class IllTyped:
    """The ill-typed literals of a graph and the stand-ins the engines see instead."""

    # (subject, predicate, ill-typed literal as written, its stand-in)
    triples: list[tuple[Node, Node, Literal, Literal]] = field(default_factory=list)
    originals: dict[Literal, Literal] = field(default_factory=dict)  # stand-in -> original
    # filled while results are sorted out: per stand-in, the (component, shape) of each rule
    # that failed on it
    failed: dict[Literal, set[tuple[str, Node]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.triples)

    def is_stand_in(self, node: Node | None) -> bool:
        return node in self.originals

    def has_stand_in(self, graph: Graph, focus: Node, predicate: Node | None) -> bool:
        return predicate is not None and any(
            self.is_stand_in(o) for o in graph.objects(focus, predicate)
        )

    def about_ill_typed(self, raw: RawResult, shapes: Graph, data: Graph) -> bool:
        """True for a result that only says the value is ill-typed (dropped: the one result
        per value replaces it) or comes from comparing with an ill-typed value (skipped)."""
        if self.is_stand_in(raw.value):
            self.failed.setdefault(raw.value, set()).add((raw.component, raw.shape))
            return True
        if raw.component in _PAIRS:
            other = shapes.value(raw.shape, component_parameter(raw.component))
            return self.has_stand_in(data, raw.focus, other) or self.has_stand_in(
                data, raw.focus, predicate_of(raw.path)
            )
        return False


def stand_in_ill_typed(graph: Graph, among: Graph) -> IllTyped:
    """Replace in `graph`, for the engines, each ill-typed literal of the triples of `among`."""
    found = IllTyped()
    for triple in list(among):
        subject, predicate, obj = triple
        if not literal_is_ill_typed(obj):
            continue
        stand_in = _StandIn(
            str(obj), datatype=URIRef(f"{_STAND_IN_DATATYPE}{len(found.triples) + 1}")
        )
        found.triples.append((subject, predicate, obj, stand_in))
        found.originals[stand_in] = obj
        graph.remove(triple)
        graph.add((subject, predicate, stand_in))
    return found


def failed_rule(failures: set[tuple[str, Node]]) -> tuple[str, Node]:
    """The one rule an ill-typed value is reported under: its sh:datatype rule when it has
    one, else the rule around it (sh:or of datatypes …), else the validator's own."""
    if not failures:
        return DATATYPE_COMPONENT, WELL_TYPED_SHAPE
    return min(failures, key=lambda f: (f[0] != DATATYPE_COMPONENT, f[0], str(f[1])))


def is_nesting(component: str) -> bool:
    """Components whose failure is explained by the results of a nested shape."""
    return component in _NESTING


def ill_typed_messages(value: Literal) -> tuple[str, str]:
    """(French, English): what is wrong, in the words of the datatype."""
    datatype = compact_iri(str(value.datatype))
    return (
        f"« {value} » n'est pas une valeur valide du type {datatype}",
        f"`{value}` is not a valid {datatype}",
    )
