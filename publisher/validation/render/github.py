"""GitHub Actions workflow commands: annotations shown on the pull request's lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher.errors import InputError
from publisher.validation.render._findings import Finding, findings
from publisher.validation.report import Report, Severity

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(
    level: str,
    message: str,
    file: str | None,
    line: int | None,
    title: str,
    column: int | None = None,
) -> str:
    properties = []
    if file:
        properties.append(f"file={escape_property(file)}")
    if line:
        properties.append(f"line={line}")
    if column:
        properties.append(f"col={column}")
    properties.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(properties)}::{escape_data(message)}"


def _annotation(finding: Finding) -> str:
    """On the line where the reason can be fixed, titled with the top-level node and property
    so the context stays visible; a warning that fails the run is an error."""
    level = "error" if finding.fails else _LEVEL[finding.result.severity]
    leaf = finding.leaf
    return _command(level, finding.message, leaf.file, leaf.line, finding.title, leaf.column)


def render_report(report: Report, options: RenderOptions) -> str:
    lines = [_annotation(finding) for finding in findings(report, options)]
    lines.append(
        f"aict validate: {len(report.files)} file(s), "
        f"{report.count(Severity.VIOLATION)} violation(s), "
        f"{report.count(Severity.WARNING)} warning(s)"
    )
    return "\n".join(lines) + "\n"


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    title = "erreur de lecture" if options.lang == "fr" else "unreadable input"
    return "".join(
        _command("error", e.message_in(options.lang), e.file, e.line, title, e.column) + "\n"
        for e in errors
    )
