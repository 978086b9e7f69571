"""Renderers of a Report, one module per output format, all with the same signature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from publisher.errors import InputError
from publisher.validation.render import github, gitlab, json_format, junit, sarif, text, turtle
from publisher.validation.report import Report, Severity


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "en"
    fail_on: Severity = Severity.VIOLATION
    color: bool = False


@dataclass(frozen=True)
class _Format:
    report: Callable[[Report, RenderOptions], str]
    errors: Callable[[list[InputError], RenderOptions], str]


FORMATS: dict[str, _Format] = {
    "text": _Format(text.render_report, text.render_errors),
    "json": _Format(json_format.render_report, json_format.render_errors),
    "github": _Format(github.render_report, github.render_errors),
    "junit": _Format(junit.render_report, junit.render_errors),
    "gitlab": _Format(gitlab.render_report, gitlab.render_errors),
    "sarif": _Format(sarif.render_report, sarif.render_errors),
    "turtle": _Format(turtle.render_report, turtle.render_errors),
}
OUTPUT_FORMATS = tuple(FORMATS)


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    return FORMATS[fmt].report(report, options or RenderOptions())


def render_errors(errors: list[InputError], fmt: str, options: RenderOptions | None = None) -> str:
    """Unreadable inputs in the chosen format, so CI shows them like any other finding."""
    return FORMATS[fmt].errors(errors, options or RenderOptions())
