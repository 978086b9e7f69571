"""GitHub Actions workflow commands: annotations shown on the pull request's lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher.errors import InputError
from publisher.validation.report import Report, Result, Severity
from publisher.validation.terms import compact_node, compact_text

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


def _annotations(result: Result, options: RenderOptions) -> list[str]:
    """One annotation per innermost reason, on the line where it can be fixed, titled with
    the top-level node and property so the context stays visible."""
    level = _LEVEL[result.severity]
    if result.severity is not Severity.VIOLATION and result.severity.rank >= options.fail_on.rank:
        level = "error"
    title = compact_node(result.focus_node)
    if result.path:
        title += " " + compact_text(result.path)
    commands = []
    for leaf in result.leaves():
        message = leaf.message(options.lang)
        if leaf is not result and leaf.path:
            message += f" [{compact_text(leaf.path)}]"
        if leaf.value:
            message += f" ({compact_text(leaf.value)})"
        if leaf.field:
            message += f" [{leaf.field}]"
        commands.append(_command(level, message, leaf.file, leaf.line, title, leaf.column))
    return commands


def render_report(report: Report, options: RenderOptions) -> str:
    lines = [
        command
        for group in report.by_file().values()
        for result in group
        for command in _annotations(result, options)
    ]
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
