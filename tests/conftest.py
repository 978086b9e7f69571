"""Shared fixtures. Area-specific fixtures live in each folder's conftest.py.

`client` is one application for all in-process HTTP tests (tests/http, tests/fuzz), on the
small fixture dataset: the app runs its real lifespan in one event loop kept for the session,
and requests go through httpx.AsyncClient over ASGITransport, so every middleware is
exercised.
"""

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import SOURCES_DIR, Settings
from publisher.spreadsheet.columns import COLUMNS

TESTS_DIR = Path(__file__).resolve().parent
TEST_DATA = TESTS_DIR / "data"
FIXTURE_DATA = TEST_DATA / "publisher"
PUBLIC = "http://testserver/"

# A filled actions template, for the spreadsheet tests of the command and of POST /validate.
TEMPLATE_HEADER = ",".join(c.name for c in COLUMNS)


def template_row(**cells: str) -> str:
    return ",".join(cells.get(c.name, "") for c in COLUMNS)


# Conforms but for one violation: the start comes after the end (row 3, start_date, column R).
START_AFTER_END = "\n".join(
    [
        TEMPLATE_HEADER,
        template_row(
            action_type="Jumelage", title_fr="Bon", lead_authority="Dijon", country_1="DEU"
        ),
        template_row(
            action_type="Jumelage",
            title_fr="Mauvais",
            lead_authority="Dijon",
            country_1="DEU",
            start_date="2025-01-01",
            end_date="2024-01-01",
        ),
    ]
)


@pytest.fixture(scope="session")
def test_data() -> Path:
    return TEST_DATA


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

    def run(self, awaitable):
        """Await in the session's loop (to call the ASGI app with a hand-made scope)."""
        return self._loop.run_until_complete(awaitable)

    def forget_cookies(self) -> None:
        """Drop cookies earlier tests left (the language switch's), for tests that need none."""
        self._client.cookies.clear()


@pytest.fixture(scope="session")
def fixture_settings() -> Settings:
    return Settings(data_paths=[FIXTURE_DATA], page_size=2)


@pytest.fixture(scope="session")
def client(fixture_settings: Settings) -> Iterator[Client]:
    from publisher.web.app import create_app  # only sessions that test HTTP build the app

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


@pytest.fixture
def sources_with(tmp_path: Path) -> Callable[[str, str], Path]:
    """A copy of data/sources (symlinks) in which the file at `relative` (e.g.
    "curated/moved_iris.csv") holds `text` instead; returns the path of that file."""

    def make(relative: str, text: str) -> Path:
        sources = tmp_path / "sources"
        _link_tree(SOURCES_DIR, sources, Path(relative).parts)
        replaced = sources / relative
        replaced.write_text(text, encoding="utf-8")
        return replaced

    return make


@pytest.fixture
def refused_import(tmp_path: Path) -> Callable[[], str]:
    """Runs `aict import` on the sources `sources_with` made, checks it is refused as bad
    input (exit 2, no traceback, nothing written) and returns its output."""

    def run() -> str:
        dataset, reports = tmp_path / "dataset", tmp_path / "reports"
        args = ["import", "--sources", str(tmp_path / "sources"), "--dataset", str(dataset)]
        result = CliRunner().invoke(app, [*args, "--reports", str(reports)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert not dataset.exists() and not reports.exists()
        return result.output

    return run


def _link_tree(source: Path, target: Path, replaced: tuple[str, ...]) -> None:
    target.mkdir()
    for entry in source.iterdir():
        if entry.name != replaced[0]:
            (target / entry.name).symlink_to(entry)
        elif len(replaced) > 1:
            _link_tree(entry, target / entry.name, replaced[1:])
