"""`aict import`: build the dataset from the bundled sources, or import one twinnings CSV or
one release of the GCoM signatories workbook.

Exit 0 built, 2 an input file cannot be read (nothing is written then), 3 internal error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import (
    EXIT_NONCONFORMING,
    ConfigOption,
    LangOption,
    app,
    command_settings,
    guarded,
)
from publisher.config import DATASET_DIR, PROJECT_ROOT, REPORTS_DIR, SOURCES_DIR
from publisher.errors import InputError
from publisher.validation.report import Severity

import_app = typer.Typer(
    help="Build the dataset from data/sources (no subcommand), or import a twinnings CSV or a "
    "GCoM signatories workbook.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(import_app, name="import")


@import_app.callback()
def import_bundled(
    context: typer.Context,
    sources: Annotated[
        Path, typer.Option(help="Folder of the source copies (sources.toml, CSV, découpage).")
    ] = SOURCES_DIR,
    dataset: Annotated[Path, typer.Option(help="Folder receiving the Turtle files.")] = DATASET_DIR,
    reports: Annotated[
        Path, typer.Option(help="Folder receiving rejects.csv, matches.csv, summary.json.")
    ] = REPORTS_DIR,
    update_readme: Annotated[
        bool,
        typer.Option("--update-readme", help="Rewrite the figures block of README.md."),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Rebuild the bundled dataset (data/dataset) and its reports (data/reports)."""
    if context.invoked_subcommand is not None:
        return
    settings = command_settings(config, context)
    from publisher.importer import build_dataset  # imported when used: other commands skip it

    result = guarded(lambda: build_dataset(sources, dataset, reports, settings.max_input_bytes))
    _report(result.summary, dataset, reports)
    if update_readme:
        guarded(lambda: _update_readme(result.summary))


# The output folder of the imports that write a dataset and its reports in one place.
OutFolder = Annotated[
    Path, typer.Option("--out", "-o", help="Folder receiving the Turtle files and reports.")
]


@import_app.command("twinnings")
def import_twinnings_command(
    context: typer.Context,
    csv_file: Annotated[
        Path,
        typer.Argument(
            help="CSV with columns city1,country1,lat1,lng1,city2,country2,lat2,lng2.",
            show_default=False,
        ),
    ],
    out: OutFolder,
    sources: Annotated[
        Path, typer.Option(help="Folder of the reference data (découpage, alias tables).")
    ] = SOURCES_DIR,
    twinning_places: Annotated[
        Path | None,
        typer.Option(
            help="Reviewed table settling shared French names pair by pair (e.g. "
            "data/sources/curated/twinning_places.csv); not applied unless given."
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Import one twinnings CSV into OUT (Turtle files, rejects.csv, matches.csv, summary.json)."""
    from publisher.importer import import_twinnings  # imported when used: other commands skip it

    settings = command_settings(config, context)
    result = guarded(
        lambda: import_twinnings(csv_file, out, sources, settings.max_input_bytes, twinning_places)
    )
    _report(result.summary, out, out)


@import_app.command("actions")
def import_actions_command(
    context: typer.Context,
    spreadsheet: Annotated[
        Path,
        typer.Argument(
            help="A filled actions template: .csv (UTF-8) or .xlsx (see data/templates/).",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder receiving <name>.ttl.")],
    lang: LangOption = None,
    config: ConfigOption = None,
) -> None:
    """Turn a filled actions template into Turtle that passes the shapes. Cells that cannot
    be read (exit 2) or data that breaks the shapes (exit 1) are reported at their sheet, row
    and column, and nothing is written."""
    settings = command_settings(config, context, lang=lang.value if lang else None)
    from publisher.importer.actions import import_actions  # imported when used
    from publisher.validation.render import RenderOptions, render

    result = guarded(lambda: import_actions(spreadsheet, out, settings), lang=settings.lang)
    options = RenderOptions(lang=settings.lang)
    words = _ACTIONS_WORDS[settings.lang]
    if result.written is None:
        typer.echo(render(result.report, "text", options), nl=False, err=True)
        typer.secho(words["refused"], fg="red", err=True)
        raise typer.Exit(EXIT_NONCONFORMING)
    warnings = result.report.count(Severity.WARNING)
    if warnings:
        typer.echo(render(result.report, "text", options), nl=False, err=True)
    typer.echo(
        words["written"].format(actions=result.actions, triples=result.triples)
        + (words["warnings"].format(warnings=warnings) if warnings else "")
        + f": {result.written}"
    )


# What `aict import actions` says, in the language of its report (--lang).
_ACTIONS_WORDS = {
    "en": {
        "refused": "error: nothing written: correct the cells above",
        "written": "{actions} action(s), {triples} triples, conform to the shapes",
        "warnings": " ({warnings} warning(s))",
    },
    "fr": {
        "refused": "erreur: rien n'a été écrit ; corrigez les cellules ci-dessus",
        "written": "{actions} action(s), {triples} triplets, conformes aux formes SHACL",
        "warnings": " ({warnings} avertissement(s))",
    },
}


@import_app.command("gcom")
def import_gcom_command(
    context: typer.Context,
    workbook: Annotated[
        Path,
        typer.Argument(
            help="A release of the JRC's GCoM–MyCovenant signatories workbook (df1, .xlsx).",
            show_default=False,
        ),
    ],
    out: OutFolder,
    sources: Annotated[
        Path,
        typer.Option(help="Folder of the reference data (découpage, twinnings, reviewed table)."),
    ] = SOURCES_DIR,
    config: ConfigOption = None,
) -> None:
    """Import the French signatories of a GCoM workbook into OUT (gcom.ttl, authorities.ttl,
    provenance.ttl, gcom_rejects.csv, gcom_matches.csv, summary.json)."""
    from publisher.importer.build import import_gcom  # imported when used: other commands skip it

    settings = command_settings(config, context)
    result = guarded(lambda: import_gcom(workbook, out, sources, settings.max_input_bytes))
    gcom = result.summary["gcom"]
    typer.echo(
        f"{gcom['rows_read']} rows read, {gcom['french_rows']} French, "
        f"{gcom['resolved_rows']} resolved ({gcom['rate']:.2%}), "
        f"{gcom['memberships']} memberships, {gcom['rejected_rows']} rejected"
    )
    typer.echo(f"dataset and reports: {out}")


def _report(summary: dict, dataset: Path, reports: Path) -> None:
    res = summary["resolution"]
    typer.echo(
        f"{summary['rows_read']} rows read, {summary['french_rows']} French, "
        f"{summary['imported_rows']} imported as {summary['partnerships']} partnerships "
        f"({summary['merged_duplicates']} duplicates merged), {summary['rejected_rows']} rejected; "
        f"French sides resolved {res['rate']:.2%}; "
        f"rows resolved to a commune {summary['rows_to_commune']['rate']:.2%}"
    )
    unused = summary["twinning_places"]["unused_table_lines"]
    if unused:
        typer.echo(
            "warning: twinning places table lines matching no CSV row: "
            + ", ".join(str(line) for line in unused),
            err=True,
        )
    typer.echo(f"dataset: {dataset}")
    typer.echo(f"reports: {reports}")


def _update_readme(summary: dict) -> None:
    readme = PROJECT_ROOT / "README.md"
    from publisher.importer.summary import render_figures, replace_figures

    updated = replace_figures(readme.read_text(encoding="utf-8"), render_figures(summary))
    if updated is None:
        raise InputError("README.md has no dataset figures block", file=str(readme))
    readme.write_text(updated, encoding="utf-8")
    typer.echo(f"figures updated in {readme}")
