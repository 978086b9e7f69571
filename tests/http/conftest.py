"""One application for all in-process HTTP tests, on the small fixture dataset.

The app runs its real lifespan in one event loop kept for the session, and requests go
through httpx.AsyncClient over ASGITransport, so every middleware is exercised.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from publisher.config import Settings
from publisher.web.app import create_app

FIXTURE_DATA = Path(__file__).resolve().parent.parent / "data" / "publisher"
PUBLIC = "http://testserver/"


class Client:
    """Synchronous calls into the session's event loop."""

    def __init__(self, app, loop: asyncio.AbstractEventLoop, client: httpx.AsyncClient) -> None:
        self.app = app
        self._loop = loop
        self._client = client

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self._loop.run_until_complete(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def forget_cookies(self) -> None:
        """Drop cookies earlier tests left (the language switch's), for tests that need none."""
        self._client.cookies.clear()


@pytest.fixture(scope="session")
def fixture_settings() -> Settings:
    return Settings(data_paths=[FIXTURE_DATA], page_size=2)


@pytest.fixture(scope="session")
def client(fixture_settings: Settings) -> Iterator[Client]:
    app = create_app(fixture_settings)
    loop = asyncio.new_event_loop()
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async_client = httpx.AsyncClient(transport=transport, base_url=PUBLIC.rstrip("/"))
    try:
        yield Client(app, loop, async_client)
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.run_until_complete(lifespan.__aexit__(None, None, None))
        loop.close()


@pytest.fixture(scope="session")
def store(client: Client):
    """The store the session's app serves (opened by its lifespan)."""
    return client.app.state.store
