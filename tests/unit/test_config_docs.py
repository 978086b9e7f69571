"""docs/configuration.md documents every setting, and the README's quick start serves the
bundled data."""

from __future__ import annotations

import re

from publisher.config import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
CONFIGURATION = (PROJECT_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
_ROW = re.compile(r"^\| `(?P<name>[a-z_]+)` \| `(?P<env>AICT_[A-Z_]+)` \|", re.MULTILINE)


def configuration_rows() -> dict[str, str]:
    return {m["name"]: m["env"] for m in _ROW.finditer(CONFIGURATION)}


def test_every_setting_is_in_the_configuration_table():
    rows = configuration_rows()
    missing = sorted(set(Settings.model_fields) - set(rows))
    assert not missing, f"settings missing from docs/configuration.md: {missing}"
    stale = sorted(set(rows) - set(Settings.model_fields))
    assert not stale, f"docs/configuration.md documents settings that do not exist: {stale}"
    for name, env in rows.items():
        assert env == f"AICT_{name.upper()}"


def test_first_quick_start_command_serves_the_bundled_data():
    first_block = re.search(r"## Quick start.*?```sh\n(?P<code>.*?)```", README, re.DOTALL)
    assert first_block is not None
    assert first_block["code"].rstrip().endswith(".venv/bin/aict serve")
