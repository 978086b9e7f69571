"""`aict serve`: publish the bundled dataset (or the given RDF files) over HTTP."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import ConfigOption, app, command_settings, guarded

# The files `aict serve` and `aict load` publish.
DataPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="RDF files or folders to publish (TriG/N-Quads keep their named graphs); "
        "none: the bundled ontology, vocabularies and dataset.",
        show_default=False,
    ),
]


@app.command()
def serve(
    paths: DataPaths = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind to [127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port [8000].")] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Directory of an on-disk store (see `aict load`). The first start loads the "
            "files and builds the dumps and catalog there; later starts open it as it is, "
            "at once, and the serving processes share it read-only. Use it for large data "
            "or fast restarts. Default: the data in memory, loaded at each start.",
        ),
    ] = None,
    processes: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Serving processes (read-only data, in memory or --store); default: one per "
            "CPU, at most 4.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the linked data, the DCAT catalog, VoID, the dumps and the SPARQL endpoint."""
    settings = command_settings(
        config,
        host=host,
        port=port,
        store_dir=store,
        processes=processes,
        data_paths=list(paths) if paths else None,
    )
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from publisher.web.runtime import serve as run_server

    raise typer.Exit(guarded(lambda: run_server(settings, announce=_announce)))


def _announce(line: str) -> None:
    typer.echo(line, err=True)
