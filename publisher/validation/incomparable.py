"""Order and range rules on values they cannot compare.

SHACL reports a value that sh:lessThan or sh:minInclusive cannot compare (an untyped
`"2024-03-01"` against an xsd:date) with the rule's own message, "the start date is after the
end date", which is false: the problem is the datatype. When another rule already reports
that value (its sh:datatype, or the sh:or of datatypes around it), the comparison result is
dropped so the report names the real problem once; alone, it is kept, as SHACL defines.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from publisher.namespaces import SH
from publisher.validation.messages import component_parameter
from publisher.validation.raw_result import RawResult

_ORDER = {str(SH.LessThanConstraintComponent), str(SH.LessThanOrEqualsConstraintComponent)}
_RANGE = {
    str(SH.MinInclusiveConstraintComponent),
    str(SH.MaxInclusiveConstraintComponent),
    str(SH.MinExclusiveConstraintComponent),
    str(SH.MaxExclusiveConstraintComponent),
}
_NUMERIC = {
    XSD[name]
    for name in (
        "decimal integer long int short byte nonNegativeInteger positiveInteger "
        "unsignedLong unsignedInt unsignedShort unsignedByte nonPositiveInteger "
        "negativeInteger double float"
    ).split()
}


def comparable(a: Node | None, b: Node | None) -> bool:
    """Whether SPARQL's < can compare the two: literals of one datatype (numbers together)."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)):
        return False
    return _family(a) == _family(b)


def _family(literal: Literal) -> str:
    if literal.language:
        return "string"
    datatype = literal.datatype
    if datatype is None or datatype == XSD.string:
        return "string"
    return "number" if datatype in _NUMERIC else str(datatype)


def without_incomparable(raws: list[RawResult], shapes: Graph, data: Graph) -> list[RawResult]:
    """`raws` minus the order and range results on values another result already reports."""
    kept = []
    for raw in raws:
        suspects = _incomparable_values(raw, shapes, data)
        if suspects and any(
            other is not raw
            and other.focus == raw.focus
            and other.value in suspects
            and other.component not in _ORDER
            and other.component not in _RANGE
            for other in raws
        ):
            continue
        kept.append(raw)
    return kept


def _incomparable_values(raw: RawResult, shapes: Graph, data: Graph) -> set[Node]:
    """The values the rule of `raw` could not compare (empty when it compared them)."""
    if raw.component in _RANGE:
        bound = shapes.value(raw.shape, component_parameter(raw.component))
        return set() if comparable(raw.value, bound) else {raw.value}
    if raw.component in _ORDER:
        other = shapes.value(raw.shape, component_parameter(raw.component))
        if other is None:
            return set()
        found: set[Node] = set()
        for value in data.objects(raw.focus, other):
            if not comparable(raw.value, value):
                found |= {raw.value, value}
        return found
    return set()
