"""Typed literals written in the lexical form the store keeps.

Oxigraph stores numbers as values and writes them back in their XSD 1.1 canonical form
("59.0"^^xsd:decimal is served as "59"), and stores derived integer types as xsd:integer. A
literal written any other way would be published differently from what was built and
validated, so the importer writes the canonical form itself (tests/conformance compares the
built files with the store's dump).
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import XSD


def decimal_literal(value: Decimal) -> Literal:
    """xsd:decimal without trailing zeros, and without a point when the value is whole."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return Literal(text, datatype=XSD.decimal)
