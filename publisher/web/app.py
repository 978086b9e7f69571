"""The web application: `create_app(settings)`; nothing is built or opened at import time.

The lifespan opens the store (and loads the files unless an on-disk store has them, reading
what the build step derived from them), and closes it on shutdown. Middleware, outermost
first: CORS (queries from any origin, never with credentials: the data is public), gzip for text
bodies the routes did not compress themselves, and a limit on request bodies.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.build import Build, open_built
from publisher.catalog import Publication
from publisher.config import Settings, package_version
from publisher.errors import AictError, RequestRefused
from publisher.sparql.service import SparqlService
from publisher.store import Store
from publisher.web.answer_cache import AnswerCache
from publisher.web.caching import GZIP_MIN_BYTES
from publisher.web.compression import GZipWithHonestETags
from publisher.web.errors import error_answer, install_error_handlers
from publisher.web.label_search import label_index
from publisher.web.routes import (
    api,
    api_docs,
    catalog,
    fragments,
    meta,
    pages,
    resources,
    sparql,
    templates,
    validate,
)

log = logging.getLogger("aict.web")

# Opens the data an application serves: the store, and what the build step derived from it.
Opener = Callable[[], tuple[Store, Build | None]]

# Headers a cross-origin script may read (besides the CORS-safelisted ones).
_EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Content-Location",
    "Last-Modified",
    "Vary",
    "AICT-Result-Truncated",
    "AICT-Result-Limit",
    validate.CONFORMS_HEADER,
    validate.PASSES_HEADER,
]


def create_app(settings: Settings, opener: Opener | None = None) -> FastAPI:
    """The application. Its lifespan opens the data with `opener` (default: the store the
    settings name, with its build when it lives in a directory)."""
    app = FastAPI(
        title="AICT linked open data",
        version=package_version(),
        lifespan=_lifespan,
        docs_url=None,  # our own page (routes/api_docs.py): FastAPI's loads from a CDN
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        openapi_url=api_docs.OPENAPI_PATH,
    )
    app.state.settings = settings
    app.state.answers = AnswerCache(settings.answer_cache_bytes)
    app.state.opener = opener or (lambda: open_built(settings))
    install_error_handlers(app)

    app.include_router(sparql.router)  # first: the busiest route is matched first
    app.include_router(meta.router)
    app.include_router(catalog.router)
    app.include_router(resources.router)
    app.include_router(pages.router)
    app.include_router(fragments.router)
    app.include_router(api.build_router())
    app.include_router(validate.router)
    app.include_router(api_docs.router)
    app.include_router(templates.router)

    app.add_middleware(sparql.SparqlDirect)  # innermost: /sparql skips the router
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        GZipWithHonestETags,
        minimum_size=GZIP_MIN_BYTES,
        exclude_content_types=("application/gzip", "text/event-stream"),
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST"],  # POST: SPARQL queries from other sites
        # Authorization: a SPARQL Update from a page on another site (YASGUI given the
        # token). Safe to allow from anywhere: the page must hold the token, the browser
        # adds none of its own (no credentials).
        allow_headers=["Content-Type", "Accept", "Authorization"],
        allow_credentials=False,
        expose_headers=_EXPOSED_HEADERS,
        max_age=3600,
    )
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    store, derived = app.state.opener()
    app.state.store = store
    if getattr(app.state, "publication", None) is None:  # else built before the fork
        app.state.publication = Publication(store, settings, derived)
        # Dumps and catalog take seconds on the full dataset: build them now, off the
        # request path, so the first harvester does not wait (requests meanwhile wait on
        # the same lock).
        threading.Thread(target=warm, args=(app.state.publication,), daemon=True).start()
    # Set by publisher.web.processes in each serving process it supervises.
    retire = getattr(app.state, "retire", None)
    publication = app.state.publication
    app.state.sparql = await SparqlService.start(
        settings,
        store,
        retire,
        names=lambda: label_index(publication.derived, store).labels_folded_as,
    )
    try:
        yield
    finally:
        await app.state.sparql.close()
        worker = getattr(app.state, "validation_worker", None)
        if worker is not None:
            worker.close()
        store.close()


def warm(publication: Publication) -> None:
    """Build the catalog, VoID and dumps now (they are cached by the publication)."""
    try:
        publication.catalog()
        publication.void()
    except AictError:  # the request that needs them will report the error
        log.exception("building the catalog in advance failed")


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.requests import Request

        message = f"the request body is larger than {self.max_bytes} bytes"
        response = error_answer(Request(scope, receive), RequestRefused(message, 413))
        await response(scope, receive, send)


class _TooLarge(Exception):
    """Raised inside the app's receive() when the streamed body passes the limit."""
