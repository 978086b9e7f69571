"""Every renderer on one hand-built Report: the same facts, each in its format's rules."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from rdflib import Graph

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
    else:
        case = ET.fromstring(out).find("./testsuite/testcase")
        assert (case.get("name"), case.get("line")) == ("bad.ttl", "3")
        assert case.find("error").get("message") == "syntax error: Unexpected end of file"


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
