"""aict.toml.example names every setting once, with its true default, and loads through the
settings loader every command uses."""

from __future__ import annotations

import os
import re

import pytest
from typer.testing import CliRunner

from publisher.cli import app, command_settings
from publisher.config import PROJECT_ROOT, Settings

EXAMPLE = PROJECT_ROOT / "aict.toml.example"
# `key = value`, or `# key = value` for a key whose default is unset or machine-dependent.
_KEY = re.compile(r"^(?P<commented># )?(?P<key>[a-z_]+) = ", re.MULTILINE)


@pytest.fixture(autouse=True)
def _no_aict_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("AICT_"):
            monkeypatch.delenv(name)


def keys() -> list[re.Match[str]]:
    return list(_KEY.finditer(EXAMPLE.read_text(encoding="utf-8")))


def test_the_example_names_every_setting_once():
    names = [m["key"] for m in keys()]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"named twice: {twice}"
    assert set(names) == set(Settings.model_fields)


def test_every_value_written_is_the_default():
    # The loader of the CLI, as `--config aict.toml.example` calls it.
    assert command_settings(EXAMPLE).model_dump() == command_settings(None).model_dump()


def test_the_commented_examples_are_valid_values(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    uncommented = tmp_path / "aict.toml"
    uncommented.write_text(re.sub(r"^# (?=[a-z_]+ = )", "", text, flags=re.MULTILINE))
    settings = command_settings(uncommented)
    commented = {m["key"] for m in keys() if m["commented"]}
    assert all(getattr(settings, key) is not None for key in commented)
    assert settings.public_base == "https://data.example.org/aict/"


def test_a_command_runs_with_it():
    result = CliRunner().invoke(
        app,
        ["validate", "--config", str(EXAMPLE), "tests/data/validation/contributions/bad-siren.ttl"],
    )
    assert result.exit_code == 1, result.output  # read the file, found the violation
