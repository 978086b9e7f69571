"""`aict load`: load RDF files into an on-disk store and build what derives from them, once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import EXIT_BAD_INPUT, app, guarded
from publisher.commands.serve import DataPaths


@app.command()
def load(
    paths: DataPaths = None,
    store: Annotated[
        Path,
        typer.Option(
            "--store",
            help="Directory of the store to create; `aict serve --store DIR` then starts at "
            "once, with as many processes as wanted sharing it.",
        ),
    ] = ...,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            help="Instead of files: the query URL of a SPARQL engine holding the data. Its "
            "figures, catalog, VoID and search index are asked of it once and kept in "
            "--store DIR, which every `aict serve` over that engine with that store_dir reads.",
        ),
    ] = None,
) -> None:
    """Load the files into a store directory with its dumps, catalog and VoID figures."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from publisher.build import load as load_store
    from publisher.build import load_remote

    if endpoint is not None and paths:
        typer.secho("error: give files or --endpoint, not both", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if endpoint is not None:
        built = guarded(lambda: load_remote(endpoint, store))
    else:
        built = guarded(lambda: load_store(list(paths or []), store))
    typer.echo(f"store ready in {store} (dataset version {built.version[:12]})", err=True)
