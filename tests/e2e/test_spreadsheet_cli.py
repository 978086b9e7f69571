"""`aict import actions` and `aict validate` on filled templates, through the command line:
exit codes, what is written (all or nothing) and where each problem points."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import EXAMPLES_DIR, PROJECT_ROOT
from tests.conftest import START_AFTER_END, TEMPLATE_HEADER, template_row

HEADER = TEMPLATE_HEADER
row = template_row


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return result


def test_import_writes_turtle_that_validates(runner, tmp_path):
    out = tmp_path / "out"
    result = invoke(
        runner, "import", "actions", str(EXAMPLES_DIR / "actions.xlsx"), "--out", str(out)
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert "10 action(s)" in result.stdout
    written = out / "actions.ttl"
    graph = Graph().parse(written, format="turtle")
    again = invoke(runner, "validate", str(written))
    assert again.exit_code == 0, again.stdout
    from_csv = tmp_path / "csv"
    invoke(runner, "import", "actions", str(EXAMPLES_DIR / "actions.csv"), "--out", str(from_csv))
    assert isomorphic(graph, Graph().parse(from_csv / "actions.ttl", format="turtle"))


def test_import_writes_nothing_for_unreadable_cells_or_violations(runner, tmp_path):
    bad_cell = tmp_path / "cells.csv"
    bad_cell.write_text(
        HEADER + "\n" + row(action_type="Jumelage", title_fr="x", start_date="03/2024") + "\n",
        encoding="utf-8",
    )
    result = invoke(runner, "import", "actions", str(bad_cell), "--out", str(tmp_path / "a"))
    assert result.exit_code == 2
    assert "cells.csv:2:18 [start_date]:" in result.stderr
    assert not (tmp_path / "a").exists()
    violation = tmp_path / "violation.csv"
    violation.write_text(START_AFTER_END + "\n", encoding="utf-8")
    result = invoke(runner, "import", "actions", str(violation), "--out", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert "violation.csv:3:18 [start_date]: violation:" in result.stderr
    assert "nothing written" in result.stderr
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    "name, words",
    [("missing.csv", "cannot read"), ("data/examples/twinning.ttl", "takes a filled template")],
)
def test_import_refuses_what_is_not_a_template(name, words, runner, tmp_path):
    result = invoke(
        runner, "import", "actions", str(PROJECT_ROOT / name), "--out", str(tmp_path / "o")
    )
    assert result.exit_code == 2
    assert words in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit", "gitlab", "sarif"])
def test_validate_points_at_the_cell_in_every_format(fmt, runner, tmp_path):
    source = tmp_path / "actions.csv"
    source.write_text(START_AFTER_END + "\n", encoding="utf-8")
    result = invoke(runner, "validate", str(source), "--format", fmt, "--lang", "en")
    assert result.exit_code == 1
    out = result.stdout
    if fmt == "text":
        assert f"{source}:3:18 [start_date]: violation: The start date" in out
    elif fmt == "json":
        [violation] = [r for r in json.loads(out)["results"] if r["severity"] == "violation"]
        assert (violation["line"], violation["column"], violation["field"]) == (
            3,
            18,
            "start_date",
        )
    elif fmt == "github":
        assert f"::error file={source},line=3,col=18," in out
    elif fmt == "gitlab":  # the file is outside the working directory: its path as given
        [issue] = [i for i in json.loads(out) if i["severity"] == "critical"]
        assert issue["location"] == {"path": str(source), "lines": {"begin": 3}}
        assert "[start_date]" in issue["description"]
    elif fmt == "sarif":
        [result] = [r for r in json.loads(out)["runs"][0]["results"] if r["level"] == "error"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": source.as_uri()}
        assert location["region"] == {"startLine": 3, "startColumn": 18}
    else:
        [failure] = ET.fromstring(out).iter("failure")
        assert f"{source}:3:18 [start_date]" in failure.text


def test_validate_refuses_a_bad_workbook_cell_with_exit_2(runner, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(EXAMPLES_DIR / "actions.xlsx")
    book["Actions"]["U3"] = "Plomberie"  # theme_1 of the second example
    path = tmp_path / "actions.xlsx"
    book.save(path)
    result = invoke(runner, "validate", str(path), "--format", "json")
    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["errors"]
    assert (error["line"], error["column"], error["field"]) == (3, 21, "Actions!U3 theme_1")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "erreur: {}:2:18 [start_date]: '03/2024' n'est pas une date au format attendu"),
        ("en", "error: {}:2:18 [start_date]: '03/2024' is not a date in the expected format"),
    ],
)
def test_cell_errors_follow_lang_in_validate_and_import(lang, expected, runner, tmp_path):
    source = tmp_path / "cells.csv"
    source.write_text(
        HEADER + "\n" + row(action_type="Jumelage", title_fr="x", start_date="03/2024") + "\n",
        encoding="utf-8",
    )
    checked = invoke(runner, "validate", str(source), "--lang", lang)
    assert checked.exit_code == 2
    assert expected.format(source) in checked.stderr
    github = invoke(runner, "validate", str(source), "--lang", lang, "--format", "github")
    assert expected.split(": ", 2)[2] in github.stdout
    out = tmp_path / "out"
    imported = invoke(runner, "import", "actions", str(source), "--out", str(out), "--lang", lang)
    assert imported.exit_code == 2
    assert expected.format(source) in imported.stderr
    assert not out.exists()


def test_import_actions_speaks_french_when_asked(runner, tmp_path):
    example = str(EXAMPLES_DIR / "actions.csv")
    done = invoke(
        runner, "import", "actions", example, "--out", str(tmp_path / "a"), "--lang", "fr"
    )
    assert done.exit_code == 0
    assert "10 action(s)" in done.stdout and "conformes aux formes SHACL" in done.stdout
    violation = tmp_path / "violation.csv"
    violation.write_text(START_AFTER_END + "\n", encoding="utf-8")
    refused = invoke(
        runner, "import", "actions", str(violation), "--out", str(tmp_path / "b"), "--lang", "fr"
    )
    assert refused.exit_code == 1
    assert "rien n'a été écrit" in refused.stderr and "non conforme" in refused.stderr
    turtle = str(EXAMPLES_DIR / "twinning.ttl")
    wrong = invoke(
        runner, "import", "actions", turtle, "--out", str(tmp_path / "c"), "--lang", "fr"
    )
    assert wrong.exit_code == 2 and "prend un modèle rempli" in wrong.stderr


def test_template_command_regenerates_the_committed_files(runner, tmp_path):
    result = invoke(runner, "template", "--out", str(tmp_path))
    assert result.exit_code == 0
    for name in ("actions.csv", "actions.schema.json", "actions.xlsx"):
        assert (tmp_path / name).read_bytes() == (
            PROJECT_ROOT / "data/templates" / name
        ).read_bytes()


def test_real_process_validates_a_workbook(tmp_path):
    shutil.copy(EXAMPLES_DIR / "actions.xlsx", tmp_path / "actions.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "publisher", "validate", "actions.xlsx", "--format", "github"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "aict validate: 1 file(s), 0 violation(s), 0 warning(s)"
    assert Path(tmp_path / "actions.xlsx").is_file()
