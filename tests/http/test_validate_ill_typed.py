"""Every typed value of every worked example, made ill-typed (`"not-a-date"^^xsd:date`):
`aict validate` (both engines) and POST /validate report exactly one violation, naming the
value and its datatype, at the value's own file and line; nothing crashes and rdflib writes
nothing on the terminal. The CLI runs in-process here; tests/e2e/test_validate_cli.py runs
two of the cases as real processes to check the real stderr."""

from __future__ import annotations

import json
import logging
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import EXAMPLES_DIR

EXAMPLES = EXAMPLES_DIR
_TYPED = re.compile(r'"(?P<lexical>[^"\\]*)"\^\^xsd:(?P<datatype>\w+)')


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    datatype: str
    start: int  # offset of the lexical form in the file
    end: int

    @property
    def broken(self) -> str:
        return f"not-a-{self.datatype}"

    def text(self) -> str:
        original = (EXAMPLES / self.file).read_text(encoding="utf-8")
        return original[: self.start] + self.broken + original[self.end :]


def _cases() -> list[Case]:
    cases = []
    for path in sorted(EXAMPLES.glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        for match in _TYPED.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            cases.append(
                Case(
                    path.name,
                    line,
                    match["datatype"],
                    match.start("lexical"),
                    match.end("lexical"),
                )
            )
    return cases


CASES = _cases()


def test_the_examples_have_typed_values_of_several_datatypes():
    assert len(CASES) >= 20
    assert {c.datatype for c in CASES} >= {"date", "decimal", "gYear", "gYearMonth"}


@pytest.fixture
def examples_with(tmp_path: Path, monkeypatch):
    """A copy of data/examples in which one case is broken; the working folder is tmp_path."""

    def make(case: Case) -> Path:
        folder = tmp_path / "examples"
        shutil.copytree(EXAMPLES, folder)
        (folder / case.file).write_text(case.text(), encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        return folder

    return make


@pytest.mark.parametrize("engine", ["pyshacl", "shacl-rust"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.file}:{c.line}:{c.datatype}")
def test_cli_reports_one_violation_at_the_value(case, engine, examples_with, caplog):
    examples_with(case)
    # The process's own warning filters apply (the validator silences rdflib's noise there).
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.DEBUG):
        outcome = CliRunner().invoke(
            app,
            ["validate", "examples", "--format", "json", "--engine", engine, "--lang", "en"],
            catch_exceptions=False,
        )
    assert outcome.exit_code == 1, outcome.output
    assert outcome.stderr == ""
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [str(w.message) for w in caught] == []
    document = json.loads(outcome.stdout)
    assert document["summary"] == {"violations": 1, "warnings": 0, "infos": 0}
    [result] = document["results"]
    assert (result["file"], result["line"]) == (f"examples/{case.file}", case.line)
    assert result["message"] == f"`{case.broken}` is not a valid xsd:{case.datatype}"
    assert result["value"].startswith(f'"{case.broken}"^^')


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.file}:{c.line}:{c.datatype}")
def test_post_validate_answers_a_report(case, client):
    response = client.request(
        "POST",
        "/validate?format=json",
        content=case.text().encode("utf-8"),
        headers={"Content-Type": "text/turtle", "Accept-Language": "en"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["AICT-Passes"] == "false"
    document = response.json()
    found = [
        r
        for r in document["results"]
        if r["message"] == f"`{case.broken}` is not a valid xsd:{case.datatype}"
    ]
    assert [(r["file"], r["line"]) for r in found] == [("request.ttl", case.line)]
