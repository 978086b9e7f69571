"""Plain text for people: results grouped by file, one line each with its line number."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from publisher.errors import InputError
from publisher.validation.report import Report, Result, Severity
from publisher.validation.terms import compact_node, compact_text

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

_COLOURS = {
    Severity.VIOLATION: typer.colors.RED,
    Severity.WARNING: typer.colors.YELLOW,
    Severity.INFO: typer.colors.BLUE,
}
_WORDS = {
    "en": {
        "violation": ("violation", "violations"),
        "warning": ("warning", "warnings"),
        "info": ("info", "infos"),
        "ok": "conforms",
        "fails": "does not conform",
        "passes": "passes (warnings only)",
        "focus": "node",
        "path": "property",
        "value": "value",
        "files": "file(s)",
        "line": "line",
        "error": "error",
    },
    "fr": {
        "violation": ("violation", "violations"),
        "warning": ("avertissement", "avertissements"),
        "info": ("information", "informations"),
        "ok": "conforme",
        "fails": "non conforme",
        "passes": "accepté (avertissements seulement)",
        "focus": "nœud",
        "path": "propriété",
        "value": "valeur",
        "files": "fichier(s)",
        "line": "ligne",
        "error": "erreur",
    },
}


def _paint(text: str, colour: str | None, options: RenderOptions, bold: bool = False) -> str:
    return typer.style(text, fg=colour, bold=bold) if options.color else text


def render_report(report: Report, options: RenderOptions) -> str:
    words = _WORDS[options.lang]
    lines: list[str] = []
    for file, results in report.by_file().items():
        name = file or "?"
        if not results:
            lines.append(f"{_paint(name, None, options, bold=True)}: {words['ok']}")
            continue
        lines.append(_paint(name, None, options, bold=True))
        for result in results:
            lines.extend(_result_lines(result, options))
    lines.append("")
    lines.append(_summary(report, options))
    return "\n".join(lines) + "\n"


def _result_lines(result: Result, options: RenderOptions, indent: int = 2) -> list[str]:
    words = _WORDS[options.lang]
    where = result.where
    severity = _paint(
        words[result.severity.value][0], _COLOURS[result.severity], options, bold=True
    )
    pad = " " * indent
    head = f"{pad}{where}: {severity}: {result.message(options.lang)}"
    details = [f"{words['focus']} {compact_node(result.focus_node, options.lang)}"]
    if result.path:
        details.append(f"{words['path']} {compact_text(result.path)}")
    if result.value:
        details.append(f"{words['value']} {compact_text(result.value, options.lang)}")
    lines = [head, pad + "    " + ", ".join(details)]
    for detail in result.details:
        lines.extend(_result_lines(detail, options, indent + 4))
    return lines


def _summary(report: Report, options: RenderOptions) -> str:
    words = _WORDS[options.lang]
    counts = []
    for severity in Severity:
        n = report.count(severity)
        if n:
            counts.append(f"{n} {words[severity.value][0 if n == 1 else 1]}")
    if report.conforms:
        verdict = _paint(words["ok"], typer.colors.GREEN, options, bold=True)
    elif report.fails(options.fail_on):
        verdict = _paint(words["fails"], typer.colors.RED, options, bold=True)
    else:
        verdict = _paint(words["passes"], typer.colors.YELLOW, options, bold=True)
    files = f"{len(report.files)} {words['files']}"
    return f"{files}: {verdict}" + (f" ({', '.join(counts)})" if counts else "")


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    label = _paint(_WORDS[options.lang]["error"], typer.colors.RED, options, bold=True)
    return "".join(f"{label}: {error.located(options.lang)}\n" for error in errors)
