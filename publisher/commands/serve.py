"""`aict serve`: publish the bundled dataset (or the given RDF files) over HTTP."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from publisher.cli import app, guarded
from publisher.config import Settings, load_settings
from publisher.errors import ConfigError


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
    processes: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Serving processes (read-only in-memory store); default: one per CPU, at most 4.",
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
            config,
            host=host,
            port=port,
            store_dir=store,
            processes=processes,
            data_paths=list(paths) if paths else None,
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
    options = {
        "log_level": "info",
        "access_log": settings.access_log,
        "proxy_headers": False,
        "server_header": False,
    }
    single = _single_process_reason(settings)
    if single is not None:
        typer.echo(f"serving on http://{settings.host}:{settings.port}/ ({single})", err=True)
        guarded(lambda: uvicorn.run(web_app, host=settings.host, port=settings.port, **options))
        return

    from publisher.catalog import Publication
    from publisher.web.app import warm
    from publisher.web.processes import Supervisor

    sock = guarded(lambda: _listen(settings.host, settings.port))
    # Built once, before the fork: every serving process (replacements too) inherits the
    # catalog and the dumps instead of spending seconds of CPU on its own copy.
    web_app.state.publication = Publication(opened, settings)
    warm(web_app.state.publication)

    def serve_child(sock: socket.socket, notify: Callable[[], None]) -> None:
        server = uvicorn.Server(
            uvicorn.Config(
                web_app, timeout_graceful_shutdown=int(settings.query_timeout) + 5, **options
            )
        )

        def retire() -> None:  # a query thread cannot be stopped: hand over, drain, exit
            notify()
            for listener in server.servers:  # now, not at uvicorn's next tick: no new client
                listener.close()
            server.should_exit = True

        web_app.state.retire = retire
        server.run(sockets=[sock])

    typer.echo(
        f"serving on http://{settings.host}:{settings.port}/ ({settings.processes} processes)",
        err=True,
    )
    supervisor = Supervisor(
        sock, settings.processes, serve_child, grace=settings.query_timeout + 10
    )
    raise typer.Exit(supervisor.run())


def _single_process_reason(settings: Settings) -> str | None:
    """Why the server must run as one process (None: it can run several)."""
    # Several processes each hold a copy-on-write view of one loaded in-memory store: an
    # update in one would not reach the others, and an on-disk or remote store is not ours
    # to fork. Those run as one process whose queries go to killable worker processes.
    if settings.update_token is not None:
        return "one process: SPARQL Update is enabled"
    if settings.store_dir is not None:
        return "one process: on-disk store"
    if settings.store_endpoint is not None:
        return "one process: remote store"
    if not hasattr(os, "fork"):
        return "one process: this system cannot fork"
    return None


def _listen(host: str, port: int) -> socket.socket:
    from publisher.web.processes import bind

    try:
        return bind(host, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
