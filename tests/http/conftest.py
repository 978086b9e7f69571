"""Fixtures of the in-process HTTP tests; the session's `client` (the app on the small fixture
dataset) is in tests/conftest.py, shared with the fuzzing suite."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def store(client):
    """The store the session's app serves (opened by its lifespan)."""
    return client.app.state.store
