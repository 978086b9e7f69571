"""Shared fixtures. Area-specific fixtures live in each folder's conftest.py."""

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import SOURCES_DIR

TESTS_DIR = Path(__file__).resolve().parent
TEST_DATA = TESTS_DIR / "data"


@pytest.fixture(scope="session")
def test_data() -> Path:
    return TEST_DATA


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
