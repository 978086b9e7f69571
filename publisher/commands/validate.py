"""`aict validate PATH...`: check contributed RDF against our shapes, with the published data
as reference. Exit 0 conforms, 1 violations (or warnings with --fail-on warning), 2 unreadable
input or bad usage, 3 internal error."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import (
    EXIT_NONCONFORMING,
    EXIT_OK,
    ConfigOption,
    LangOption,
    app,
    command_settings,
    guarded,
)
from publisher.errors import InputError
from publisher.validation.inputs import InputErrors
from publisher.validation.report import Severity


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    gitlab = "gitlab"
    sarif = "sarif"
    turtle = "turtle"


class Engine(StrEnum):
    pyshacl = "pyshacl"
    shacl_rust = "shacl-rust"


class FailOn(StrEnum):
    violation = "violation"
    warning = "warning"
    info = "info"


@app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path], typer.Argument(help="RDF files or folders to validate.", show_default=False)
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format; github, gitlab and sarif are for CI, which shows each finding "
            "on its file and line.",
        ),
    ] = OutputFormat.text,
    lang: LangOption = None,
    shapes: Annotated[
        list[Path] | None,
        typer.Option("--shapes", help="Extra SHACL shapes file or folder (repeatable)."),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            help="Format of the inputs, instead of guessing from the extension: turtle, "
            "ntriples, nquads, trig, jsonld, rdfxml."
        ),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option(help="Lowest severity that makes the run fail (exit 1).")
    ] = FailOn.violation,
    engine: Annotated[
        Engine, typer.Option(help="SHACL engine; shacl-rust needs the 'fast' extra.")
    ] = Engine.pyshacl,
    together: Annotated[
        bool,
        typer.Option(
            "--together/--each",
            help="Validate all the files as one graph (default: a file may describe what "
            "another points at), or each file apart (each must stand on its own).",
        ),
    ] = True,
    config: ConfigOption = None,
) -> None:
    """Validate RDF files or filled spreadsheets against the AICT shapes.

    The ontology, vocabularies and published dataset are the reference data.
    Several files are one graph unless --each. Every finding names the file
    and line where it is written (a spreadsheet's sheet, row and column)."""
    # The help shows these lines as they are: each fits an 80-column terminal.
    # Imported when used: `aict serve` and the other commands do not load the shapes engine.
    from publisher.validation.core import validate
    from publisher.validation.render import RenderOptions, render, render_errors

    settings = command_settings(config, lang=lang.value if lang else None)
    options = RenderOptions(
        lang=settings.lang,
        fail_on=Severity(fail_on.value),
        color=output_format is OutputFormat.text and _colour_wanted(),
    )

    def run() -> int:
        try:
            report = validate(
                paths,
                settings=settings,
                shapes=shapes or (),
                engine=engine.value,
                input_format=input_format,
                together=together,
            )
        except InputError as exc:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            if output_format is not OutputFormat.text:
                typer.echo(render_errors(errors, output_format.value, options), nl=False)
            raise
        typer.echo(render(report, output_format.value, options), nl=False)
        return EXIT_NONCONFORMING if report.fails(options.fail_on) else EXIT_OK

    raise typer.Exit(guarded(run, lang=settings.lang))


def _colour_wanted() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ
