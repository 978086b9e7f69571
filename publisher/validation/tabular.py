"""Spreadsheet inputs of the validator: a filled actions template (CSV or XLSX) is converted
to RDF (publisher.spreadsheet) and validated like any RDF file; its results point at the
sheet, row and column of the cell to fix instead of a Turtle line."""

from __future__ import annotations

from rdflib import Graph

from publisher.formats import TEMPLATE_FORMATS
from publisher.spreadsheet.convert import CellIndex, convert
from publisher.spreadsheet.resolve import Resolver
from publisher.spreadsheet.table import Cell, read_table
from publisher.validation.inputs import Source
from publisher.validation.reference import load_reference

# xlsm is read only to be refused with a message that says how to save the workbook.
TABULAR_FORMATS = tuple(f.key for f in TEMPLATE_FORMATS)

__all__ = ["TABULAR_FORMATS", "Cell", "CellIndex", "parse_tabular"]


def parse_tabular(source: Source) -> tuple[Graph, CellIndex]:
    """The RDF of a filled template and the cell of each node, or InputError(s) at cells."""
    table = read_table(source.name, source.data, source.format)
    conversion = convert(table, Resolver(load_reference()))
    return conversion.graph, conversion.cells
