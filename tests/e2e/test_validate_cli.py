"""`aict validate` on one fixture contribution per kind of mistake, in every output format:
the exact exit code, message, file and line. Most runs are in-process (typer's CliRunner);
two are real subprocesses. Expected messages are read from the project's shapes by shape IRI,
so the test checks that the shape's own words reach the user, whatever they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from publisher.cli import app
from publisher.namespaces import SH
from publisher.validation.shapes import project_shape_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path("tests/data/validation/contributions")
SHAPES_NS = "https://w3id.org/aict/shapes#"
FORMATS = ("text", "json", "github", "junit", "turtle", "gitlab", "sarif")


@dataclass(frozen=True)
class Case:
    file: str
    exit_code: int
    line: int | None
    shape: str | None = None  # the shape whose sh:message the user must see
    error: str | None = None  # or the exact message of an unreadable input
    column: int | None = None


CASES = {
    "missing French label": Case("missing-french-label.ttl", 1, 11, "ActionShape-frenchLabel"),
    "end before start": Case("end-before-start.ttl", 1, 17, "PeriodOfTimeShape-order"),
    "untyped start date": Case("untyped-date.ttl", 1, 17, "PeriodOfTimeShape-start"),
    "concept from the wrong scheme": Case(
        "wrong-scheme-concept.ttl", 1, 13, "ActionTypeConceptShape-inScheme"
    ),
    "bad SIREN check digit": Case(
        "bad-siren.ttl", 1, 15, "FrenchLocalAuthorityShape-sirenCheckDigit"
    ),
    "unknown partner type": Case(
        "unknown-partner-type.ttl", 1, 14, "PartnerLocalAuthorityShape-classification"
    ),
    "syntax error": Case(
        "syntax-error.ttl", 2, 11, error="syntax error: Unexpected end of file", column=20
    ),
    "RDF/XML bomb": Case(
        "bomb.rdf",
        2,
        2,
        error="XML DOCTYPE/ENTITY declarations are refused (entity expansion is a known "
        "denial-of-service attack); remove the DOCTYPE",
    ),
    "remote @context": Case(
        "remote-context.jsonld",
        2,
        2,
        error="remote JSON-LD @context 'https://example.org/contexts/aict.jsonld' is never "
        "fetched; inline the context in the file or use ours (https://w3id.org/aict/context.jsonld)",
    ),
    "binary junk": Case("junk.ttl", 2, None, error="binary data, not an RDF text file"),
    "missing file": Case("nothere.ttl", 2, None, error="no such file or folder"),
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in project_shape_files():
        graph.parse(path)
    return graph


def shape_message(shapes: Graph, shape: str, lang: str) -> str:
    messages = [
        str(m)
        for m in shapes.objects(URIRef(SHAPES_NS + shape), SH.message)
        if isinstance(m, Literal) and m.language == lang
    ]
    assert len(messages) == 1, f"{shape} has no single sh:message@{lang}"
    return messages[0]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("AICT_LANG", raising=False)


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["validate", *args], env=env, catch_exceptions=False)


def _all_results(results: list[dict]) -> list[dict]:
    found = []
    for result in results:
        found.append(result)
        found.extend(_all_results(result["details"]))
    return found


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(CASES))
def test_each_mistake_in_each_format(name, fmt, runner, shapes):
    case = CASES[name]
    lang = "fr" if fmt == "text" else "en"
    file = str(FIXTURES / case.file)
    result = run(runner, file, "--format", fmt, "--lang", lang)
    assert result.exit_code == case.exit_code, result.output
    assert "Traceback" not in result.output + result.stderr
    if case.error is not None:
        _check_error(case, file, fmt, result)
    else:
        _check_violation(case, file, fmt, result, shape_message(shapes, case.shape, lang), lang)


def _check_violation(case: Case, file: str, fmt: str, result, message: str, lang: str) -> None:
    out = result.stdout
    if fmt == "text":
        assert f"{file}:{case.line}: violation: {message}" in out
        assert "non conforme" in out.splitlines()[-1]
    elif fmt == "json":
        document = json.loads(out)
        assert document["conforms"] is False
        located = {
            (r["file"], r["line"], r["message"])
            for r in _all_results(document["results"])
            if r["severity"] == "violation"
        }
        assert (file, case.line, message) in located
    elif fmt == "github":
        assert any(
            line.startswith(f"::error file={file},line={case.line},")
            and line.endswith("::" + message)
            or f"::{message} " in line
            or f"::{message} (" in line
            for line in out.splitlines()
        ), out
    elif fmt == "junit":
        root = ET.fromstring(out)
        [case_element] = root.findall("./testsuite/testcase")
        assert case_element.get("name") == file
        texts = "\n".join(f.text for f in case_element.findall("failure"))
        assert f"{file}:{case.line}: violation: {message}" in texts
    elif fmt == "gitlab":
        located = {
            (i["location"]["path"], i["location"]["lines"]["begin"], i["severity"])
            for i in json.loads(out)
            if i["description"].startswith(message)
        }
        assert (file, case.line, "critical") in located, out
    elif fmt == "sarif":
        [run] = json.loads(out)["runs"]
        located = {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["level"],
            )
            for r in run["results"]
            if r["message"]["text"].startswith(message)
        }
        assert (file, case.line, "error") in located, out
    else:
        graph = Graph().parse(data=out, format="turtle")
        assert (None, SH.resultMessage, Literal(message, lang=lang)) in graph
        assert (None, SH.conforms, Literal(False)) in graph


def _check_error(case: Case, file: str, fmt: str, result) -> None:
    where = ":".join(str(x) for x in (file, case.line, case.column) if x is not None)
    assert where in result.stderr and case.error in result.stderr
    out = result.stdout
    if fmt == "text" or fmt == "turtle":
        assert out == ""
    elif fmt == "json":
        [error] = json.loads(out)["errors"]
        assert (error["file"], error["line"], error["message"]) == (file, case.line, case.error)
        assert error["column"] == case.column
    elif fmt == "github":
        properties = f"file={file}" + (f",line={case.line}" if case.line else "")
        properties += f",col={case.column}" if case.column else ""
        assert out.startswith(f"::error {properties},title=unreadable input::")
        assert out.rstrip("\n").endswith(case.error.replace("%", "%25"))
    elif fmt == "gitlab":
        [issue] = json.loads(out)
        assert (issue["check_name"], issue["severity"]) == ("unreadable-input", "blocker")
        assert issue["location"] == {"path": file, "lines": {"begin": case.line or 1}}
        assert issue["description"].startswith(case.error)  # then the field, if any
    elif fmt == "sarif":
        [run] = json.loads(out)["runs"]
        [result] = run["results"]
        assert (result["ruleId"], result["level"]) == ("unreadable-input", "error")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == file
        assert location.get("region", {}).get("startLine") == case.line
        assert result["message"]["text"].startswith(case.error)
        assert run["invocations"] == [{"executionSuccessful": False}]
    else:
        testcase = ET.fromstring(out).find("./testsuite/testcase")
        assert testcase.get("name") == file
        assert testcase.find("error").get("message") == case.error


def test_good_contribution_passes_with_warnings_unless_asked(runner):
    good = str(FIXTURES / "good.ttl")
    result = run(runner, good, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stdout
    assert "passes (warnings only)" in result.stdout.splitlines()[-1]
    strict = run(runner, good, "--fail-on", "warning", "--format", "json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["passes"] is False


def test_jsonld_with_our_context_is_read_locally(runner):
    result = run(runner, str(FIXTURES / "good.jsonld"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["violations"] == 0


def test_language_follows_the_environment(runner, shapes):
    file = str(FIXTURES / "bad-siren.ttl")
    french = shape_message(shapes, "FrenchLocalAuthorityShape-sirenCheckDigit", "fr")
    english = shape_message(shapes, "FrenchLocalAuthorityShape-sirenCheckDigit", "en")
    result = run(runner, file, env={"LANG": "fr_FR.UTF-8", "LC_ALL": ""})
    assert french in result.stdout
    result = run(runner, file, env={"LANG": "fr_FR.UTF-8", "AICT_LANG": "en"})
    assert english in result.stdout


def test_both_engines_give_the_same_report(runner):
    file = str(FIXTURES / "wrong-scheme-concept.ttl")
    reports = []
    for engine in ("pyshacl", "shacl-rust"):
        result = run(runner, file, "--format", "json", "--engine", engine)
        assert result.exit_code == 1
        document = json.loads(result.stdout)
        reports.append(
            sorted(
                (r["file"], r["line"], r["message"], r["path"], r["severity"])
                for r in _all_results(document["results"])
            )
        )
    assert reports[0] == reports[1]


def test_extra_shapes_add_a_project_rule(runner, tmp_path):
    extra = tmp_path / "ours.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix aict: <https://w3id.org/aict/ontology#> .\n"
        "<urn:x:NeedsTheme> a sh:NodeShape ; sh:targetClass aict:Action ;\n"
        "  sh:property [ sh:path aict:theme ; sh:minCount 1 ;\n"
        '    sh:message "Notre réseau exige un thème"@fr, "Our network requires a theme"@en ] .\n'
    )
    good = str(FIXTURES / "good.ttl")
    result = run(runner, good, "--shapes", str(extra), "--lang", "en")
    assert result.exit_code == 1
    assert f"{good}:11: violation: Our network requires a theme" in result.stdout


def test_bad_usage_exits_2(runner):
    result = run(runner, str(FIXTURES / "good.ttl"), "--input-format", "csv")
    assert result.exit_code == 2
    assert "unknown input format 'csv'" in result.stderr


def _subprocess(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("AICT_LANG", "LC_ALL", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "publisher", "validate", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_real_process_good_and_syntax_error():
    good = _subprocess(str(FIXTURES / "good.ttl"), "--format", "github")
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines()[-1].startswith("aict validate: 1 file(s), 0 violation(s)")
    broken = _subprocess(str(FIXTURES / "syntax-error.ttl"))
    assert broken.returncode == 2
    assert broken.stderr == (
        f"error: {FIXTURES / 'syntax-error.ttl'}:11:20: syntax error: Unexpected end of file\n"
    )


@pytest.mark.parametrize("fmt", ["gitlab", "sarif"])
def test_real_processes_give_the_same_fingerprints(fmt):
    # Two processes, two languages: the same findings, so the same fingerprints, one each.
    file = str(FIXTURES / "end-before-start.ttl")
    runs = [_subprocess(file, "--format", fmt, "--lang", lang) for lang in ("en", "fr")]
    assert [run.returncode for run in runs] == [1, 1]
    fingerprints = [_fingerprints(fmt, json.loads(run.stdout)) for run in runs]
    assert fingerprints[0] == fingerprints[1]
    assert len(set(fingerprints[0])) == len(fingerprints[0]) > 1


def _fingerprints(fmt: str, document) -> list[str]:
    if fmt == "gitlab":
        return [issue["fingerprint"] for issue in document]
    return [r["fingerprints"]["aict/v1"] for r in document["runs"][0]["results"]]


def test_missing_fast_engine_is_a_clear_usage_error():
    # A real process where the optional extra is absent (its import fails, as uninstalled).
    code = (
        "import sys; sys.modules['shacl_rust'] = None\n"
        "from publisher.cli import main\n"
        "sys.argv = ['aict', 'validate', '--engine', 'shacl-rust', sys.argv[1]]\n"
        "main()\n"
    )
    outcome = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "good.ttl")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome.returncode == 2
    assert outcome.stderr == (
        "error: the shacl-rust engine is not installed: "
        "pip install 'aict-publisher[fast]' [--engine]\n"
    )


@pytest.mark.parametrize("fmt", ["text", "turtle"])
def test_real_process_ill_typed_values_leave_stderr_clean(fmt):
    # rdflib logs a traceback when it reads an ill-typed literal and warns when it writes an
    # ill-typed number; the user must see only the report.
    file = FIXTURES / "ill-typed.ttl"
    outcome = _subprocess(str(file), "--format", fmt, "--lang", "en")
    assert outcome.returncode == 1
    assert outcome.stderr == ""
    if fmt == "text":
        assert f"{file}:11: violation: `lots` is not a valid xsd:decimal" in outcome.stdout
        assert f"{file}:16: violation: `not-a-date` is not a valid xsd:date" in outcome.stdout
    else:
        report = Graph().parse(data=outcome.stdout, format="turtle")
        assert len(set(report.objects(None, SH.result))) == 2


def test_untyped_date_is_a_datatype_problem_not_an_order_problem(runner, shapes):
    # The string "2024-03-01" cannot be compared with an xsd:date: the order rule must not
    # say the start is after the end, the datatype rule says what is wrong.
    result = run(runner, str(FIXTURES / "untyped-date.ttl"), "--format", "json", "--lang", "en")
    document = json.loads(result.stdout)
    violations = [r for r in document["results"] if r["severity"] == "violation"]
    assert [(v["line"], v["message"]) for v in violations] == [
        (17, shape_message(shapes, "PeriodOfTimeShape-start", "en"))
    ]


MULTI = Path("tests/data/validation/multi")
_FRENCH_LABEL = "ActionShape-frenchLabel"
_COUNTRY = "ActionShape-country"


def _located(stdout: str) -> list[tuple[str, int, str, str]]:
    document = json.loads(stdout)
    keys = [
        (r["focusNode"], r["path"], r["value"], r["sourceConstraintComponent"], r["sourceShape"])
        for r in document["results"]
    ]
    assert len(keys) == len(set(keys)), "a result is reported twice"
    return sorted(
        (r["file"], r["line"], r["severity"], r["sourceShape"].rsplit("#", 1)[-1])
        for r in document["results"]
        if r["severity"] == "violation" or r["focusNode"].endswith("/action/a")
    )


@pytest.mark.parametrize("order", [("a.ttl", "b.ttl"), ("b.ttl", "a.ttl")])
def test_files_together_each_finding_at_its_own_file(runner, order):
    # Together (the default), b.ttl's country for action A counts; whatever the order, A's
    # findings are at a.ttl, where A is described, and B's at b.ttl.
    result = run(runner, *(str(MULTI / name) for name in order), "--format", "json")
    assert result.exit_code == 1
    found = _located(result.stdout)
    assert (str(MULTI / "b.ttl"), 8, "violation", _FRENCH_LABEL) in found
    assert {(file, line) for file, line, _, _ in found if "a.ttl" in file} == {
        (str(MULTI / "a.ttl"), 8)
    }
    assert not [f for f in found if f[3] == _COUNTRY]


def test_files_each_apart(runner):
    result = run(runner, str(MULTI / "b.ttl"), str(MULTI / "a.ttl"), "--each", "--format", "json")
    assert result.exit_code == 1
    violations = [f for f in _located(result.stdout) if f[2] == "violation"]
    assert violations == [
        (str(MULTI / "a.ttl"), 8, "violation", _COUNTRY),
        (str(MULTI / "b.ttl"), 8, "violation", _FRENCH_LABEL),
    ]


def test_the_same_file_named_twice_is_read_once(runner):
    file = FIXTURES / "end-before-start.ttl"
    again = FIXTURES / ".." / "contributions" / "end-before-start.ttl"
    once = json.loads(run(runner, str(file), "--format", "json").stdout)["results"]
    twice = json.loads(run(runner, str(file), str(again), "--format", "json").stdout)["results"]
    assert len(twice) == len(once)
