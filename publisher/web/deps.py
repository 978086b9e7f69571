"""The collaborators routes receive, as typed FastAPI dependencies (`Annotated[...]`).

The application's lifespan puts them on `app.state`; this module is the only reader of it, so a
route names what it needs (`settings: SettingsDep`, `store: StoreDep`, `sparql: SparqlDep`)
and a test can override any of them with `app.dependency_overrides`. The /sparql fast path,
which skips FastAPI's routing, reads the same state with `settings_of`, `store_of`, `sparql_of`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Depends, Request

from publisher.catalog import Publication
from publisher.config import Settings
from publisher.sparql.service import SparqlService
from publisher.store import Store

# The getters are coroutines although they do no I/O: FastAPI runs a plain function
# dependency on its thread pool, and those hops were a third of the time of a cached page.


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def store_of(request: Request) -> Store:
    return request.app.state.store


def sparql_of(request: Request) -> SparqlService:
    return request.app.state.sparql


async def get_settings(request: Request) -> Settings:
    return settings_of(request)


async def get_store(request: Request) -> Store:
    return store_of(request)


async def get_sparql(request: Request) -> SparqlService:
    return sparql_of(request)


async def get_publication(request: Request) -> Publication:
    return request.app.state.publication


def settings_if_started(request: Request) -> Settings | None:
    """The settings, or None for an error raised before the application was set up."""
    return getattr(request.app.state, "settings", None)


def store_if_open(request: Request) -> Store | None:
    """The store, or None before the lifespan opened it (an early error page)."""
    return getattr(request.app.state, "store", None)


def answer_cache_if_set(request: Request):
    """The serving process's cache of finished answers (publisher.web.answer_cache), if any."""
    return getattr(request.app.state, "answers", None)


_state_lock = threading.Lock()


async def get_page_cache(request: Request) -> OrderedDict:
    """The application's small cache of computed page parts (publisher.web.routes.pages)."""
    return _app_owned(request, "page_cache", OrderedDict)


async def get_validation_executor(request: Request) -> ThreadPoolExecutor:
    """The application's one validation thread: validations run one at a time."""
    return _app_owned(
        request,
        "validation_executor",
        lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="aict-validate"),
    )


async def get_validation_worker(request: Request):
    """The application's validation worker process (started at its first validation)."""
    from publisher.validation.worker import ValidationWorker

    return _app_owned(request, "validation_worker", ValidationWorker)


def _app_owned(request: Request, name: str, make):
    with _state_lock:
        value = getattr(request.app.state, name, None)
        if value is None:
            value = make()
            setattr(request.app.state, name, value)
        return value


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
SparqlDep = Annotated[SparqlService, Depends(get_sparql)]
PublicationDep = Annotated[Publication, Depends(get_publication)]
PageCacheDep = Annotated[OrderedDict, Depends(get_page_cache)]
ValidationExecutorDep = Annotated[ThreadPoolExecutor, Depends(get_validation_executor)]
ValidationWorkerDep = Annotated[object, Depends(get_validation_worker)]


def public_base(request: Request, settings: Settings) -> str:
    """The base our canonical IRIs are rewritten to: Settings.public_base, else the request's.

    Taking it from the request (Host header) is meant for local and staging use; a public
    deployment sets public_base so that what clients and caches see never depends on a header.
    """
    base = settings.public_base or str(request.base_url)
    return base if base.endswith("/") else base + "/"


def canonical_base(settings: Settings) -> str:
    base = settings.base_iri
    return base if base.endswith("/") else base + "/"
