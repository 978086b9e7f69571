"""GitLab Code Quality: the subset of the Code Climate issue format that GitLab reads from a
job's `artifacts: reports: codequality:` file and shows in the merge request, on the line.

Severity: GitLab has five (info, minor, major, critical, blocker). A file that cannot be read
is a blocker (nothing in it was checked); a SHACL violation is critical; a warning or info that
fails the run (--fail-on) is major; otherwise a warning is minor and an info is info.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from publisher.errors import InputError
from publisher.validation.render._findings import (
    UNREADABLE_RULE,
    Finding,
    error_fingerprints,
    error_message,
    findings,
    repository_path,
)
from publisher.validation.report import Report, Severity

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

_SEVERITY = {Severity.VIOLATION: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def severity(finding: Finding) -> str:
    if finding.result.severity is Severity.VIOLATION or not finding.fails:
        return _SEVERITY[finding.result.severity]
    return "major"


def render_report(report: Report, options: RenderOptions) -> str:
    return _serialise(
        [
            _issue(
                f"{f.message} — {f.title}",
                f.rule,
                f.fingerprint,
                severity(f),
                f.leaf.file,
                f.leaf.line,
            )
            for f in findings(report, options)
        ]
    )


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    return _serialise(
        [
            _issue(error_message(e, options.lang), UNREADABLE_RULE, fp, "blocker", e.file, e.line)
            for e, fp in zip(errors, error_fingerprints(errors), strict=True)
        ]
    )


def _issue(
    description: str,
    check_name: str,
    fingerprint: str,
    severity: str,
    file: str | None,
    line: int | None,
) -> dict[str, Any]:
    # GitLab requires a path and a line: a finding about no file (an unusable --shapes) is put
    # at the repository root, one about no line at the file's first line.
    return {
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": repository_path(file) if file else ".", "lines": {"begin": line or 1}},
    }


def _serialise(issues: list[dict[str, Any]]) -> str:
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
