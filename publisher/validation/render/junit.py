"""JUnit XML, which CI systems display: one testcase per file, one failure per result that
makes the run fail; results that do not (warnings by default) go to system-out."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from publisher.errors import InputError
from publisher.validation.report import Report, Result
from publisher.validation.terms import compact_node, compact_text

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

_SUITE = "aict validate"


def _detail(result: Result, options: RenderOptions) -> str:
    parts = [
        f"{result.where if result.line else (result.file or '?') + ':?'}: {result.severity.value}: "
        f"{result.message(options.lang)}",
        f"focus node: {compact_node(result.focus_node)} <{result.focus_node}>",
    ]
    if result.path:
        parts.append(f"path: {compact_text(result.path)}")
    if result.value:
        parts.append(f"value: {result.value}")
    parts.append(f"constraint: {compact_text('<' + result.constraint_component + '>')}")
    for detail in result.details:
        parts.append("because:\n" + _detail(detail, options))
    return "\n".join(parts)


def render_report(report: Report, options: RenderOptions) -> str:
    groups = report.by_file()
    failing = sum(1 for r in report.results if r.severity.rank >= options.fail_on.rank)
    suites = ET.Element("testsuites", name=_SUITE, tests=str(len(groups)), failures=str(failing))
    suite = ET.SubElement(
        suites, "testsuite", name=_SUITE, tests=str(len(groups)), failures=str(failing), errors="0"
    )
    for file, results in groups.items():
        case = ET.SubElement(suite, "testcase", classname="aict.validate", name=file or "?")
        if file:
            case.set("file", file)
        passing: list[str] = []
        for result in results:
            if result.severity.rank >= options.fail_on.rank:
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=result.severity.value,
                    message=result.message(options.lang),
                )
                failure.text = _detail(result, options)
            else:
                passing.append(_detail(result, options))
        if passing:
            ET.SubElement(case, "system-out").text = "\n\n".join(passing)
    return _serialise(suites)


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    suites = ET.Element("testsuites", name=_SUITE, tests=str(len(errors)), errors=str(len(errors)))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=_SUITE,
        tests=str(len(errors)),
        failures="0",
        errors=str(len(errors)),
    )
    for error in errors:
        case = ET.SubElement(suite, "testcase", classname="aict.validate", name=error.file or "?")
        if error.file:
            case.set("file", error.file)
        if error.line:
            case.set("line", str(error.line))
        element = ET.SubElement(
            case, "error", type="unreadable", message=error.message_in(options.lang)
        )
        element.text = error.located(options.lang)
    return _serialise(suites)


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
