"""Hypothesis profiles of the fuzzing suite.

`ci` (the default) is derandomized, so every run of CI tries the same inputs, and small, so
the suite stays within about a minute and a half on two cores; `long` draws fresh inputs and
fifty times as many, for a local hunt: `HYPOTHESIS_PROFILE=long pytest tests/fuzz` (or
`pytest tests/fuzz --hypothesis-profile long`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_UNHURRIED = dict(
    deadline=None,  # a first validation loads the reference data: seconds, not a bug
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "ci", max_examples=20, derandomize=True, database=None, print_blob=True, **_UNHURRIED
)
settings.register_profile("long", max_examples=1000, print_blob=True, **_UNHURRIED)


def pytest_configure(config) -> None:
    # Called when this conftest is imported, before the tests below are collected (and
    # decorated with their share of the profile's budget).
    chosen = config.getoption("hypothesis_profile", None)
    settings.load_profile(chosen or os.environ.get("HYPOTHESIS_PROFILE", "ci"))
