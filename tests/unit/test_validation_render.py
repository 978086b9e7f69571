"""Every renderer on one hand-built Report: the same facts, each in its format's rules."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from rdflib import Graph

from publisher.commands.validate import OutputFormat
from publisher.config import package_version
from publisher.errors import InputError
from publisher.namespaces import SH
from publisher.validation.render import OUTPUT_FORMATS, RenderOptions, render, render_errors
from publisher.validation.report import Report, Result, Severity

ACTION = "https://w3id.org/aict/id/action/x"
REASON = Result(
    severity=Severity.VIOLATION,
    message_fr="La date de fin précède la date de début",
    message_en="The end date is before the start date",
    focus_node="_:f0xperiod",
    path="<http://www.w3.org/ns/dcat#startDate>",
    value='"2022-01-01"^^<http://www.w3.org/2001/XMLSchema#date>',
    constraint_component="http://www.w3.org/ns/shacl#LessThanOrEqualsConstraintComponent",
    source_shape="https://w3id.org/aict/shapes#PeriodShape-order",
    file="contrib/a, b.ttl",
    line=13,
)
REPORT = Report(
    files=("contrib/a, b.ttl", "contrib/ok.ttl"),
    engine="pyshacl",
    results=(
        Result(
            severity=Severity.WARNING,
            message_fr="Une description aiderait",
            message_en="A description would help",
            focus_node=ACTION,
            path="<http://purl.org/dc/terms/description>",
            value=None,
            constraint_component="http://www.w3.org/ns/shacl#MinCountConstraintComponent",
            source_shape="_:f1000xabc",
            file="contrib/a, b.ttl",
            line=9,
        ),
        Result(
            severity=Severity.VIOLATION,
            message_fr="Période invalide",
            message_en="Invalid period",
            focus_node=ACTION,
            path="<http://purl.org/dc/terms/temporal>",
            value="_:f0xperiod",
            constraint_component="http://www.w3.org/ns/shacl#NodeConstraintComponent",
            source_shape="https://w3id.org/aict/shapes#ActionShape-temporal",
            file="contrib/a, b.ttl",
            line=9,
            details=(REASON,),
        ),
    ),
)
FR = RenderOptions(lang="fr")
EN = RenderOptions(lang="en")


def test_text_is_grouped_by_file_with_lines_and_no_colour_by_default():
    out = render(REPORT, "text", FR)
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == "contrib/a, b.ttl"
    assert "  contrib/a, b.ttl:9: violation: Période invalide" in lines
    assert "      contrib/a, b.ttl:13: violation: La date de fin précède la date de début" in lines
    assert "  contrib/a, b.ttl:9: avertissement: Une description aiderait" in lines
    assert "contrib/ok.ttl: conforme" in lines
    assert lines[-1] == "2 fichier(s): non conforme (1 violation, 1 avertissement)"
    assert lines.index("  contrib/a, b.ttl:9: violation: Période invalide") < lines.index(
        "  contrib/a, b.ttl:9: avertissement: Une description aiderait"
    )


def test_text_colour_only_when_asked():
    assert "\x1b[" in render(REPORT, "text", RenderOptions(color=True))


def test_json_schema_fields():
    document = json.loads(render(REPORT, "json", EN))
    assert document["version"] == 2
    assert (document["conforms"], document["passes"]) == (False, False)
    assert document["summary"] == {"violations": 1, "warnings": 1, "infos": 0}
    first = document["results"][0]
    assert first["message"] == "Invalid period"
    assert first["messages"]["fr"] == "Période invalide"
    assert (first["file"], first["line"], first["focusNode"]) == ("contrib/a, b.ttl", 9, ACTION)
    assert first["details"][0]["line"] == 13
    assert document["errors"] == []


def test_github_annotations_point_at_the_fixable_line_and_escape_properties():
    out = render(REPORT, "github", EN).splitlines()
    assert out[0] == (
        "::error file=contrib/a%2C b.ttl,line=13,"
        "title=https%3A//w3id.org/aict/id/action/x dct%3Atemporal"
        '::The end date is before the start date [dcat:startDate] ("2022-01-01"^^xsd:date)'
    )
    assert out[1].startswith("::warning file=contrib/a%2C b.ttl,line=9,")
    strict = render(REPORT, "github", RenderOptions(fail_on=Severity.WARNING)).splitlines()
    assert strict[1].startswith("::error ")


def test_junit_one_testcase_per_file_and_failures_per_failing_result():
    root = ET.fromstring(render(REPORT, "junit", EN))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["contrib/a, b.ttl", "contrib/ok.ttl"]
    failures = cases[0].findall("failure")
    assert [f.get("message") for f in failures] == ["Invalid period"]
    assert "contrib/a, b.ttl:13" in failures[0].text
    assert "A description would help" in cases[0].find("system-out").text
    assert cases[1].find("failure") is None
    strict = ET.fromstring(render(REPORT, "junit", RenderOptions(fail_on=Severity.WARNING)))
    assert strict.get("failures") == "2"


def test_turtle_is_a_shacl_report_with_both_languages_and_details():
    graph = Graph().parse(data=render(REPORT, "turtle", EN), format="turtle")
    [report] = graph.subjects(predicate=SH.conforms)
    assert graph.value(report, SH.conforms).toPython() is False
    assert len(list(graph.objects(report, SH.result))) == 2
    [detail] = graph.objects(None, SH.detail)
    messages = {(m.language, str(m)) for m in graph.objects(detail, SH.resultMessage)}
    assert ("fr", "La date de fin précède la date de début") in messages
    path = graph.value(detail, SH.resultPath)
    assert str(path) == "http://www.w3.org/ns/dcat#startDate"


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_unreadable_input_in_every_format(fmt):
    error = InputError("syntax error: Unexpected end of file", file="bad.ttl", line=3, column=9)
    out = render_errors([error], fmt, EN)
    expected = {
        "text": "error: bad.ttl:3:9: syntax error: Unexpected end of file\n",
        "github": "::error file=bad.ttl,line=3,col=9,title=unreadable input"
        "::syntax error: Unexpected end of file\n",
        "turtle": "",
    }
    if fmt in expected:
        assert out == expected[fmt]
    elif fmt == "json":
        assert json.loads(out)["errors"] == [
            {
                "message": "syntax error: Unexpected end of file",
                "file": "bad.ttl",
                "line": 3,
                "column": 9,
                "field": None,
            }
        ]
    elif fmt == "gitlab":
        [issue] = json.loads(out)
        assert issue["check_name"] == "unreadable-input"
        assert issue["severity"] == "blocker"
        assert issue["description"] == "syntax error: Unexpected end of file"
        assert issue["location"] == {"path": "bad.ttl", "lines": {"begin": 3}}
    elif fmt == "sarif":
        [run] = json.loads(out)["runs"]
        [result] = run["results"]
        assert (result["ruleId"], result["level"]) == ("unreadable-input", "error")
        assert result["message"]["text"] == "syntax error: Unexpected end of file"
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "bad.ttl"
        assert location["region"] == {"startLine": 3, "startColumn": 9}
        assert run["invocations"] == [{"executionSuccessful": False}]
    else:
        case = ET.fromstring(out).find("./testsuite/testcase")
        assert (case.get("name"), case.get("line")) == ("bad.ttl", "3")
        assert case.find("error").get("message") == "syntax error: Unexpected end of file"


def test_the_command_offers_every_renderer():
    assert tuple(OutputFormat) == OUTPUT_FORMATS


# --- GitLab Code Quality and SARIF -----------------------------------------------------------
def _gitlab(report: Report = REPORT, options: RenderOptions = EN) -> list[dict]:
    return json.loads(render(report, "gitlab", options))


def test_gitlab_one_issue_per_reason_at_its_line_with_mapped_severities():
    issues = _gitlab()
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("contrib/a, b.ttl", 13),
        ("contrib/a, b.ttl", 9),
    ]
    nested, warning = issues
    assert nested["check_name"] == "aictsh:PeriodShape-order"
    assert nested["severity"] == "critical"
    assert nested["description"] == (
        "The end date is before the start date [dcat:startDate] "
        '("2022-01-01"^^xsd:date) — https://w3id.org/aict/id/action/x dct:temporal'
    )
    # An anonymous shape's blank node label changes at every run: its component names it.
    assert warning["check_name"] == "sh:MinCountConstraintComponent"
    assert warning["severity"] == "minor"
    strict = _gitlab(options=RenderOptions(fail_on=Severity.WARNING))
    assert [i["severity"] for i in strict] == ["critical", "major"]
    info = replace(REPORT.results[0], severity=Severity.INFO)
    infos = _gitlab(replace(REPORT, results=(info,)))
    assert [i["severity"] for i in infos] == ["info"]


def _relabel(result: Result, shift: int) -> Result:
    """The same finding as the next run may report it: other blank node labels (a parser
    labels anonymous nodes afresh), lines moved by an edit above."""

    def label(term):
        return term and term.replace("_:f0x", "_:run2x").replace("_:f1000x", "_:run2y")

    return replace(
        result,
        focus_node=label(result.focus_node),
        value=label(result.value),
        source_shape=label(result.source_shape),
        line=result.line + shift,
        details=tuple(_relabel(d, shift) for d in result.details),
    )


def test_gitlab_fingerprints_stay_across_runs_languages_and_moved_lines():
    fingerprints = [i["fingerprint"] for i in _gitlab()]
    assert len(set(fingerprints)) == len(fingerprints)
    assert [i["fingerprint"] for i in _gitlab(options=FR)] == fingerprints
    moved = replace(REPORT, results=tuple(_relabel(r, 5) for r in REPORT.results))
    assert [i["fingerprint"] for i in _gitlab(moved)] == fingerprints


def test_gitlab_fingerprints_tell_apart_the_same_mistake_twice():
    # Two anonymous periods of one file, each ending before it starts: the same words, the
    # same value, only their (meaningless) labels and lines differ.
    second = replace(REASON, focus_node="_:f0xother", line=20)
    report = replace(REPORT, results=(REASON, second))
    fingerprints = [i["fingerprint"] for i in _gitlab(report)]
    assert len(set(fingerprints)) == 2
    other_file = replace(REASON, file="contrib/c.ttl")
    assert _gitlab(replace(REPORT, results=(other_file,)))[0]["fingerprint"] not in fingerprints


def test_gitlab_paths_are_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inside = replace(REASON, file=str(tmp_path / "data" / "a.ttl"))
    dotted = replace(REASON, file="./data/b.ttl", value=None)
    outside = replace(REASON, file="/elsewhere/c.ttl", value='"x"')
    issues = _gitlab(replace(REPORT, results=(inside, dotted, outside)))
    assert sorted(i["location"]["path"] for i in issues) == [
        "/elsewhere/c.ttl",
        "data/a.ttl",
        "data/b.ttl",
    ]


def test_gitlab_errors_without_a_file_or_line_still_have_a_location():
    errors = [
        InputError("no shapes to validate against"),
        InputError("no such file or folder", file="gone.ttl"),
        InputError("no such file or folder", file="gone.ttl"),
    ]
    issues = json.loads(render_errors(errors, "gitlab", EN))
    assert [i["location"] for i in issues] == [
        {"path": ".", "lines": {"begin": 1}},
        {"path": "gone.ttl", "lines": {"begin": 1}},
        {"path": "gone.ttl", "lines": {"begin": 1}},
    ]
    assert len({i["fingerprint"] for i in issues}) == 3


SARIF_SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[1] / "data" / "sarif-2.1.0" / "sarif-schema-2.1.0.json"
    ).read_text(encoding="utf-8")
)


def _valid_sarif(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    return log


def test_sarif_follows_the_official_schema():
    log = _valid_sarif(render(REPORT, "sarif", EN))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == SARIF_SCHEMA["id"]
    _valid_sarif(render(replace(REPORT, results=()), "sarif", FR))
    _valid_sarif(render_errors([InputError("no shapes")], "sarif", FR))
    broken = json.loads(render(REPORT, "sarif", EN))
    broken["runs"][0]["results"][0]["level"] = "violation"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(broken)


def test_sarif_rules_results_levels_and_locations():
    [run] = _valid_sarif(render(REPORT, "sarif", EN))["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "aict"
    assert driver["version"] == package_version()
    assert driver["informationUri"] == "https://w3id.org/aict/"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [
        "aictsh:PeriodShape-order",
        "sh:MinCountConstraintComponent",
    ]
    assert rules[0]["shortDescription"]["text"] == "The end date is before the start date"
    assert rules[0]["defaultConfiguration"] == {"level": "error"}
    assert rules[1]["helpUri"] == "https://www.w3.org/TR/shacl/#MinCountConstraintComponent"
    assert all(r["fullDescription"]["text"] and r["help"]["text"] for r in rules)
    nested, warning = run["results"]
    assert (nested["ruleId"], nested["ruleIndex"], nested["level"]) == (rules[0]["id"], 0, "error")
    assert (warning["ruleId"], warning["ruleIndex"], warning["level"]) == (
        rules[1]["id"],
        1,
        "warning",
    )
    assert nested["message"]["text"].startswith("The end date is before the start date")
    location = nested["locations"][0]["physicalLocation"]
    # A URI reference, relative to the working directory: comma and space escaped.
    assert location["artifactLocation"] == {"uri": "contrib/a%2C%20b.ttl", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 13}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path.cwd().as_uri() + "/"
    assert nested["fingerprints"]["aict/v1"] == _gitlab()[0]["fingerprint"]
    strict = json.loads(render(REPORT, "sarif", RenderOptions(fail_on=Severity.WARNING)))
    assert [r["level"] for r in strict["runs"][0]["results"]] == ["error", "error"]
    info = replace(REPORT.results[0], severity=Severity.INFO)
    notes = json.loads(render(replace(REPORT, results=(info,)), "sarif", EN))
    assert [r["level"] for r in notes["runs"][0]["results"]] == ["note"]


def test_sarif_file_outside_the_working_directory_is_an_absolute_uri(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = replace(REASON, file="/elsewhere/c d.ttl")
    [result] = json.loads(render(replace(REPORT, results=(outside,)), "sarif", EN))["runs"][0][
        "results"
    ]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///elsewhere/c%20d.ttl"}


# --- the JSON output against docs/validation-report.schema.json ------------------------------
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "validation-report.schema.json"
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def _check(instance, schema, root, where="$"):
    """The subset of JSON Schema the document uses; enough to keep code and schema in step."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "const" in schema:
        assert instance == schema["const"], where
    if "enum" in schema:
        assert instance in schema["enum"], where
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(instance, _TYPES[n]) and not (n == "integer" and isinstance(instance, bool))
            for n in names
        )
        assert ok, f"{where}: {instance!r} is not {names}"
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            assert key in instance, f"{where}: missing {key}"
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            assert set(instance) <= set(properties), (
                f"{where}: extra {set(instance) - set(properties)}"
            )
        for key, value in instance.items():
            if key in properties:
                _check(value, properties[key], root, f"{where}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            _check(item, schema["items"], root, f"{where}[{index}]")


def test_json_output_follows_the_documented_schema():
    schema = json.loads(SCHEMA_FILE.read_text())
    _check(json.loads(render(REPORT, "json", EN)), schema, schema)
    error = InputError("x", file="a.ttl", line=1)
    _check(json.loads(render_errors([error], "json", EN)), schema, schema)
    broken = json.loads(render(REPORT, "json", EN))
    broken["results"][0]["extra"] = 1
    with pytest.raises(AssertionError):
        _check(broken, schema, schema)
