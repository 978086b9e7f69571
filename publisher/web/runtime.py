"""How `aict serve` runs: the store opened, then one server process or a supervised group.

The command only parses options and maps errors to exit codes; the choice of mode, the
forking and the uvicorn wiring live here.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from publisher.config import Settings
from publisher.errors import ConfigError

if TYPE_CHECKING:  # the web stack is imported only by the commands that serve
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Seconds a retiring serving process keeps answering on the connections it holds, each answer
# closing its connection. Exiting at once closed them idle, and a keep-alive client whose next
# request crossed that close got no answer at all (http.client, httpx: RemoteDisconnected).
RETIRING_SECONDS = 1.0


def serve(settings: Settings, announce: Callable[[str], None]) -> int:
    """Open the data, then serve until stopped; the exit code. `announce` gets the start line.

    The data is opened (loaded, built) before the server starts, so that a bad file gives its
    name and line (an InputError for the caller) rather than a failed application startup.
    The port is taken first: a busy one is said at once, not after seconds of building.
    """
    sock = listen(settings.host, settings.port)
    try:
        return _serve_on(sock, settings, announce)
    finally:
        sock.close()


def _serve_on(sock: socket.socket, settings: Settings, announce: Callable[[str], None]) -> int:
    # Imported here so that other commands do not pay for the web stack.
    import uvicorn

    from publisher.build import open_built, with_bundled_cache
    from publisher.web.app import create_app

    settings, cache_note = with_bundled_cache(settings)
    store, derived = open_built(settings)
    mode = serving_mode(settings, cache_note)
    address = f"http://{settings.host}:{settings.port}/"
    options = {
        "log_level": "info",
        "access_log": settings.access_log,
        "proxy_headers": False,
        "server_header": False,
    }
    if mode.processes == 1:
        web_app = create_app(settings, opener=lambda: (store, derived))
        announce(f"serving on {address} ({mode.why})")
        try:
            uvicorn.Server(uvicorn.Config(web_app, **options)).run(sockets=[sock])
        except KeyboardInterrupt:  # Ctrl-C, re-raised by uvicorn once it has shut down
            pass
        return 0

    from publisher.catalog import Publication
    from publisher.web.app import warm
    from publisher.web.processes import Supervisor

    if mode.shared_store:
        # Each serving process opens the directory read-only after the fork: nothing of the
        # store is held here, and a forked RocksDB handle is never used.
        store.close()
        web_app = create_app(settings, opener=lambda: open_built(settings, read_only=True))
    else:
        web_app = create_app(settings, opener=lambda: (store, derived))
        # Built once, before the fork: every serving process (replacements too) inherits the
        # catalog and the dumps instead of spending seconds of CPU on its own copy.
        web_app.state.publication = Publication(store, settings, derived)
        warm(web_app.state.publication)

    # Made and loaded before the fork, each serving process getting its own copy: the event
    # loop, HTTP parser and lifespan modules uvicorn picks are imported once here and shared,
    # where each process used to import its own copy after its start.
    closing = ClosingWhenRetired(web_app)
    config = uvicorn.Config(
        closing, timeout_graceful_shutdown=int(settings.query_timeout) + 5, **options
    )
    config.load()
    config.get_loop_factory()

    def serve_child(sock: socket.socket, notify: Callable[[], None]) -> None:
        server = uvicorn.Server(config)

        def retire() -> None:  # a query thread cannot be stopped: hand over, drain, exit
            notify()
            for listener in server.servers:  # now, not at uvicorn's next tick: no new client
                listener.close()
            closing.retired = True
            threading.Timer(RETIRING_SECONDS, lambda: setattr(server, "should_exit", True)).start()

        web_app.state.retire = retire
        server.run(sockets=[sock])

    announce(f"serving on {address} ({mode.why})")
    supervisor = Supervisor(sock, mode.processes, serve_child, grace=settings.query_timeout + 10)
    return supervisor.run()


@dataclass(frozen=True)
class Mode:
    processes: int
    shared_store: bool  # each process opens the on-disk store read-only
    why: str  # for the start-up line


def serving_mode(settings: Settings, cache_note: str | None = None) -> Mode:
    """How many serving processes, over which store, and why (said at start-up).
    `cache_note`: how the bundled data's cached store was chosen or not."""
    # Several processes can share only data that does not change: an update in one would not
    # reach the others. A remote store is served by one process that queries it. Those run
    # as one process whose queries go to killable worker processes.
    if settings.update_token is not None:
        return Mode(1, False, "one process: SPARQL Update is enabled")
    if settings.store_endpoint is not None:
        return Mode(1, False, "one process: remote store")
    if not hasattr(os, "fork"):
        return Mode(1, False, "one process: this system cannot fork")
    count = settings.processes
    processes = f"{count} processes" if count > 1 else "one process"
    if settings.store_dir is not None:
        where = cache_note or f"the store in {settings.store_dir}"
        return Mode(
            count,
            True,
            f"{processes} sharing {where} read-only, built once: later starts open it at once",
        )
    why = f" ({cache_note})" if cache_note else ""
    return Mode(
        count,
        False,
        f"{processes} over one copy of the data in memory, loaded at each start{why}; "
        "--store DIR builds it once for instant starts",
    )


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, or a ConfigError saying why it cannot be had."""
    from publisher.web.processes import bind

    try:
        return bind(host, port)
    except OSError as exc:
        busy = exc.errno in (errno.EADDRINUSE, errno.EACCES)
        hint = "choose another port with --port" if busy else "check --host"
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} ({hint})"
        ) from None


class ClosingWhenRetired:
    """ASGI wrapper: once `retired`, every response says `Connection: close`, so that clients
    move to the other serving processes after this answer instead of on a dropped request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.retired = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and self.retired:
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing_send)
