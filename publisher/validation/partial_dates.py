"""Give xsd:gYear and xsd:gYearMonth literals a comparable Python value in rdflib.

rdflib 7 leaves them without one, and pySHACL 0.40.1 then raises TypeError on
sh:lessThan / sh:lessThanOrEquals when a period's start year is after its end year, instead of
reporting the violation. Their lexical forms (YYYY, YYYY-MM, four-digit years) order like the
dates they denote, so the checked lexical form is the value; owlrl registers the same
conversion, which is why the failure only showed in a fresh process.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib.namespace import XSD
from rdflib.term import bind

_GYEAR = re.compile(r"^\d{4}(Z|[+-]\d{2}:\d{2})?$")
_GYEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?$")


def _checked(pattern: re.Pattern[str]):
    def convert(lexical: str) -> str:
        if not pattern.match(lexical):
            # rdflib treats the exception as "ill-typed literal": no value, as before.
            raise ValueError(f"not a valid lexical form: {lexical!r}")
        return lexical

    return convert


@cache
def register_partial_dates() -> None:
    """Register the conversions once per process, before any literal is built."""
    bind(XSD.gYear, str, constructor=_checked(_GYEAR), datatype_specific=True)
    bind(XSD.gYearMonth, str, constructor=_checked(_GYEAR_MONTH), datatype_specific=True)
