"""Shared fixtures. Area-specific fixtures live in each folder's conftest.py."""

from collections.abc import Callable
from pathlib import Path

import pytest

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


def _link_tree(source: Path, target: Path, replaced: tuple[str, ...]) -> None:
    target.mkdir()
    for entry in source.iterdir():
        if entry.name != replaced[0]:
            (target / entry.name).symlink_to(entry)
        elif len(replaced) > 1:
            _link_tree(entry, target / entry.name, replaced[1:])
