"""`aict serve`: publish the bundled dataset (or the given RDF files) over HTTP."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import app, guarded
from publisher.config import load_settings


@app.command()
def serve(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files or folders to publish (TriG/N-Quads keep their named graphs); "
            "none: the bundled ontology, vocabularies and dataset.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind to [127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port [8000].")] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Directory of an on-disk store; an existing store is opened without "
            "reloading the files. Default: in memory.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", envvar="AICT_CONFIG", help="TOML file of settings (see README)."),
    ] = None,
) -> None:
    """Serve the linked data, the DCAT catalog, VoID, the dumps and the SPARQL endpoint."""
    settings = guarded(
        lambda: load_settings(
            config, host=host, port=port, store_dir=store, data_paths=list(paths) if paths else None
        )
    )
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    # Imported here so that other commands do not pay for the web stack.
    import uvicorn

    from publisher.store import open_store
    from publisher.web.app import create_app

    # Loaded before the server starts, so that a bad file gives its name and line and exit
    # code 2 rather than a failed application startup.
    opened = guarded(lambda: open_store(settings))
    web_app = create_app(settings, store=opened)
    typer.echo(f"serving on http://{settings.host}:{settings.port}/", err=True)
    guarded(
        lambda: uvicorn.run(
            web_app,
            host=settings.host,
            port=settings.port,
            log_level="info",
            access_log=settings.access_log,
            proxy_headers=False,
            server_header=False,
        )
    )
