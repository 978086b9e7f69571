"""How `aict serve` runs: the store opened, then one server process or a supervised group.

The command only parses options and maps errors to exit codes; the choice of mode, the
forking and the uvicorn wiring live here.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

from publisher.config import Settings
from publisher.errors import ConfigError


def serve(settings: Settings, announce: Callable[[str], None]) -> int:
    """Open the store, then serve until stopped; the exit code. `announce` gets the start line.

    The store is opened before the server starts, so that a bad file gives its name and line
    (an InputError for the caller) rather than a failed application startup.
    """
    # Imported here so that other commands do not pay for the web stack.
    import uvicorn

    from publisher.store import open_store
    from publisher.web.app import create_app

    opened = open_store(settings)
    web_app = create_app(settings, store=opened)
    options = {
        "log_level": "info",
        "access_log": settings.access_log,
        "proxy_headers": False,
        "server_header": False,
    }
    single = single_process_reason(settings)
    if single is not None:
        announce(f"serving on http://{settings.host}:{settings.port}/ ({single})")
        uvicorn.run(web_app, host=settings.host, port=settings.port, **options)
        return 0

    from publisher.catalog import Publication
    from publisher.web.app import warm
    from publisher.web.processes import Supervisor

    sock = listen(settings.host, settings.port)
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

    announce(f"serving on http://{settings.host}:{settings.port}/ ({settings.processes} processes)")
    supervisor = Supervisor(
        sock, settings.processes, serve_child, grace=settings.query_timeout + 10
    )
    return supervisor.run()


def single_process_reason(settings: Settings) -> str | None:
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


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, or a ConfigError saying why it cannot be had."""
    from publisher.web.processes import bind

    try:
        return bind(host, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
