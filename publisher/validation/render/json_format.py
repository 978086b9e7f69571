"""JSON with a stable, documented schema (docs/validation-report.schema.json)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from publisher.errors import InputError
from publisher.validation.report import Report, Result, Severity

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

# 2: results carry "column" and "field" (the cell of a spreadsheet input).
SCHEMA_VERSION = 2


def report_document(report: Report, options: RenderOptions) -> dict[str, Any]:
    """The JSON document as a dict (the publisher's POST /validate can return it as is)."""
    return {
        "version": SCHEMA_VERSION,
        "conforms": report.conforms,
        "passes": not report.fails(options.fail_on),
        "engine": report.engine,
        "lang": options.lang,
        "files": list(report.files),
        "summary": {
            "violations": report.count(Severity.VIOLATION),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
        },
        "results": [_result(r, options) for group in report.by_file().values() for r in group],
        "errors": [],
    }


def _result(result: Result, options: RenderOptions) -> dict[str, Any]:
    return {
        "severity": result.severity.value,
        "message": result.message(options.lang),
        "messages": {"fr": result.message_fr, "en": result.message_en},
        "file": result.file,
        "line": result.line,
        "column": result.column,
        "field": result.field,
        "focusNode": result.focus_node,
        "path": result.path,
        "value": result.value,
        "sourceConstraintComponent": result.constraint_component,
        "sourceShape": result.source_shape,
        "details": [_result(detail, options) for detail in result.details],
    }


def render_report(report: Report, options: RenderOptions) -> str:
    return json.dumps(report_document(report, options), ensure_ascii=False, indent=2) + "\n"


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    document = {
        "version": SCHEMA_VERSION,
        "conforms": False,
        "passes": False,
        "engine": None,
        "lang": options.lang,
        "files": [],
        "summary": {"violations": 0, "warnings": 0, "infos": 0},
        "results": [],
        "errors": [
            {
                "message": e.message_in(options.lang),
                "file": e.file,
                "line": e.line,
                "column": e.column,
                "field": e.field,
            }
            for e in errors
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
