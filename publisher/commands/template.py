"""`aict template`: write the actions template (CSV, Table Schema, XLSX with drop-down lists)
generated from the vocabularies, or a workbook filled with the rows of a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import ConfigOption, app, command_settings, guarded
from publisher.config import TEMPLATES_DIR
from publisher.errors import InputError
from publisher.validation.inputs import read_source


@app.command("template")
def template_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder receiving the template files.")
    ] = TEMPLATES_DIR,
    rows: Annotated[
        Path | None,
        typer.Option(
            help="A filled CSV template: write OUT/<name>.xlsx, the workbook holding its rows "
            "(how data/examples/actions.xlsx is made from actions.csv)."
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write actions.csv, actions.schema.json and actions.xlsx (default: data/templates/)."""
    # Imported when used: the other commands (aict serve) do not load the importer.
    from publisher.importer.output import write_folders
    from publisher.spreadsheet.template import rows_of_csv, workbook_bytes, write_template
    from publisher.validation.reference import load_reference

    settings = command_settings(config)

    def run() -> list[Path]:
        reference = load_reference()
        if rows is None:
            return write_template(out, reference)
        source = read_source(rows, max_bytes=settings.max_input_bytes)
        if source.format != "csv":
            raise InputError("--rows takes a .csv file", file=str(rows))
        filled = workbook_bytes(reference, rows_of_csv(source.data.decode("utf-8-sig")))
        target = out / f"{rows.stem}.xlsx"
        write_folders({out: {target.name: filled}})
        return [target]

    for path in guarded(run):
        typer.echo(str(path))
