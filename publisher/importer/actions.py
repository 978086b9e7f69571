"""`aict import actions`: a filled actions template (CSV or XLSX) -> one Turtle file, written
only when every cell reads and the result passes the shapes (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher.config import Settings
from publisher.errors import InputError
from publisher.importer.output import write_folders
from publisher.importer.turtle import serialize_turtle
from publisher.validation import Report, validate
from publisher.validation.inputs import read_source
from publisher.validation.render import RenderOptions
from publisher.validation.tabular import TABULAR_FORMATS, parse_tabular


@dataclass(frozen=True)
class ActionsImport:
    report: Report
    actions: int
    triples: int
    written: Path | None  # None when the data did not pass the shapes


def import_actions(path: Path, out: Path, settings: Settings) -> ActionsImport:
    """Convert, validate, and write OUT/<name>.ttl when the data conforms (warnings allowed).

    Raises InputError (at the cell) for what cannot be read; nothing is written then, nor
    when the report has violations."""
    source = read_source(path, max_bytes=settings.max_input_bytes)
    if source.format not in TABULAR_FORMATS:
        raise InputError(
            "aict import actions takes a filled template: a .csv or .xlsx file",
            file=source.name,
            message_fr="aict import actions prend un modèle rempli : un fichier .csv ou .xlsx",
        )
    graph, cells = parse_tabular(source)
    report = validate([source], settings=settings)
    actions = len(cells.table.rows)
    if report.fails(RenderOptions().fail_on):
        return ActionsImport(report, actions, len(graph), None)
    header = (
        f"Converted from {path.name} by `aict import actions` (one aict:Action per row).\n"
        "Check it with `aict validate` before publishing."
    )
    target = out / f"{path.stem}.ttl"
    write_folders({out: {target.name: serialize_turtle(graph, header).encode("utf-8")}})
    return ActionsImport(report, actions, len(graph), target)
