"""Shared fixtures. Area-specific fixtures live in each folder's conftest.py."""

from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
TEST_DATA = TESTS_DIR / "data"


@pytest.fixture(scope="session")
def test_data() -> Path:
    return TEST_DATA
