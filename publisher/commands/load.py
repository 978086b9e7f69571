"""`aict load`: load RDF files into an on-disk store and build what derives from them, once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import app, guarded
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
) -> None:
    """Load the files into a store directory with its dumps, catalog and VoID figures."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from publisher.build import load as load_store

    built = guarded(lambda: load_store(list(paths or []), store))
    typer.echo(f"store ready in {store} (dataset version {built.version[:12]})", err=True)
