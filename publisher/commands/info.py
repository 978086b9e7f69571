"""`aict info`: what this installation holds and where."""

from __future__ import annotations

import typer

from publisher.cli import app
from publisher.config import (
    DATASET_DIR,
    ONTOLOGY_DIR,
    PROJECT_ROOT,
    SHAPES_DIR,
    package_version,
)


@app.command()
def info() -> None:
    """Print the version and the folders of the ontology, shapes and bundled dataset."""
    typer.echo(f"aict {package_version()}")
    for label, path in (
        ("project", PROJECT_ROOT),
        ("ontology", ONTOLOGY_DIR),
        ("shapes", SHAPES_DIR),
        ("dataset", DATASET_DIR),
    ):
        typer.echo(f"{label:9} {path}")
