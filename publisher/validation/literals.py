"""Ill-typed literals: a lexical form outside its XSD datatype (`"not-a-date"^^xsd:date`).

RDF keeps such literals but they denote nothing, so SHACL's sh:datatype fails on them and
every comparison with them is an error. The check is elementpath's XSD lexical rules (the
ones XML Schema validators use) plus the value-space ones (no 30 February, no 0 as
xsd:positiveInteger); rdflib alone accepts `1_000` as an integer and `NaN` as a decimal.
Datatypes outside XSD are not checked: nothing says what their lexical space is.
"""

from __future__ import annotations

import logging
import warnings
from functools import cache

from elementpath.datatypes import AbstractDateTime, Duration, builtin_atomic_types
from rdflib import Literal
from rdflib.namespace import XSD

_XSD = str(XSD)
# Types whose lexical space is every string: nothing to check.
_ANY_STRING = {"string", "anySimpleType", "anyAtomicType", "untypedAtomic"}


def is_ill_typed(lexical: str, datatype: str) -> bool:
    """True when `lexical` is not a valid lexical form of the XSD `datatype` (full IRI)."""
    if not datatype.startswith(_XSD):
        return False
    name = datatype[len(_XSD) :]
    kind = builtin_atomic_types.get(f"xs:{name}")
    if kind is None or name in _ANY_STRING:
        return False
    if not kind.is_valid(lexical):
        return True
    try:
        if issubclass(kind, (AbstractDateTime, Duration)):
            kind.fromstring(lexical)
        else:
            kind(lexical)
    except (ValueError, ArithmeticError, TypeError):
        return True
    return False


def literal_is_ill_typed(term: object) -> bool:
    return (
        isinstance(term, Literal)
        and term.datatype is not None
        and is_ill_typed(str(term), str(term.datatype))
    )


class _IllTypedNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


def quiet_rdflib_about_ill_typed() -> None:
    """rdflib logs a traceback whenever it builds an ill-typed literal, and warns about an
    ill-typed boolean; the validator reports those literals itself, as violations, so the
    same news on stderr is noise (and alarming: it looks like a crash)."""
    _filter_rdflib_log()
    # Re-added on each call (filterwarnings drops an identical filter first): test runners
    # reset the warning filters between tests.
    warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)


@cache
def _filter_rdflib_log() -> None:
    logging.getLogger("rdflib.term").addFilter(_IllTypedNoise())
