"""Every command reads the same settings file: `--config FILE` or AICT_CONFIG, with the same
precedence (defaults < file < AICT_* < flags) and the same errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from publisher.cli import app

TWINNINGS = Path("tests/data/importer/bad.csv")
BAD_SIREN = Path("tests/data/validation/contributions/bad-siren.ttl")
# (command line before the options, the arguments it needs after)
COMMANDS = {
    "serve": (["serve"], []),
    "validate": (["validate"], [str(BAD_SIREN)]),
    "import": (["import"], []),
    "import twinnings": (["import", "twinnings"], [str(TWINNINGS), "--out", "{out}"]),
    "template": (["template"], ["--out", "{out}"]),
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aict.toml"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(args: list[str], tmp_path: Path, env: dict[str, str] | None = None):
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    return CliRunner().invoke(app, args, env={"AICT_CONFIG": None, **(env or {})})


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("how", ["--config", "AICT_CONFIG"])
def test_every_command_reads_the_file_and_names_a_bad_setting(tmp_path, name, how):
    config = write(tmp_path, 'max_input_bytes = "lots"\n')
    head, tail = COMMANDS[name]
    if how == "--config":
        result = invoke([*head, *tail, "--config", str(config)], tmp_path)
    else:
        result = invoke([*head, *tail], tmp_path, env={"AICT_CONFIG": str(config)})
    assert result.exit_code == 2, result.output
    assert "max_input_bytes" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_missing_file_is_named(tmp_path, name):
    head, tail = COMMANDS[name]
    result = invoke([*head, *tail, "--config", str(tmp_path / "nowhere.toml")], tmp_path)
    assert result.exit_code == 2 and "nowhere.toml" in result.output


def test_import_takes_its_limit_from_the_file_given_to_the_group_or_the_command(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(TWINNINGS.read_bytes() + b"\n" * 2048)  # past the 1024 bytes we allow
    config = write(tmp_path, "max_input_bytes = 1024\n")
    tail = ["twinnings", str(big), "--out", str(tmp_path / "out")]
    given = str(config)
    for args in (["import", "--config", given, *tail], ["import", *tail, "--config", given]):
        result = invoke(args, tmp_path)
        assert result.exit_code == 2, result.output
        assert "more than the limit of 1024 (max_input_bytes)" in result.output
    assert invoke(["import", *tail], tmp_path).exit_code == 0  # the default limit


def test_validate_takes_the_language_from_the_file_and_a_flag_wins(tmp_path):
    config = write(tmp_path, 'lang = "fr"\n')
    french = invoke(["validate", str(BAD_SIREN), "--config", str(config)], tmp_path)
    english = invoke(
        ["validate", str(BAD_SIREN), "--config", str(config), "--lang", "en"], tmp_path
    )
    assert french.exit_code == english.exit_code == 1
    assert french.output != english.output
    assert "violation" in english.output.lower()
