"""SARIF 2.1.0, which GitHub code scanning and other code-scanning tools read: one run, one
rule per shape (per SHACL constraint component for an anonymous shape), one result per
innermost reason at its file and line.

Level: a result that fails the run (at or above --fail-on) is an `error`, otherwise a warning
is a `warning` and an info a `note`; a file that cannot be read is an `error` of the rule
`unreadable-input`, and the run's invocation is marked unsuccessful.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from publisher.config import package_version
from publisher.errors import InputError
from publisher.namespaces import SH
from publisher.prefixes import BASE
from publisher.validation.render._findings import (
    UNREADABLE_RULE,
    error_fingerprints,
    error_message,
    findings,
    repository_path,
)
from publisher.validation.report import Report, Result, Severity
from publisher.validation.terms import compact_iri

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_SRCROOT = "%SRCROOT%"
_FINGERPRINT = "aict/v1"
_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SHACL_SPEC = "https://www.w3.org/TR/shacl/#"
_WORDS = {
    "en": {
        "shape": "SHACL shape <{iri}>",
        "component": "A {component} constraint of an anonymous SHACL shape.",
        "unreadable": "Input that cannot be read",
        "unreadable-full": "The file cannot be read (missing, binary, not UTF-8, a syntax "
        "error or a refused construct), so nothing in it was validated.",
    },
    "fr": {
        "shape": "forme SHACL <{iri}>",
        "component": "Une contrainte {component} d'une forme SHACL anonyme.",
        "unreadable": "Entrée illisible",
        "unreadable-full": "Le fichier ne peut pas être lu (absent, binaire, pas en UTF-8, "
        "erreur de syntaxe ou construction refusée) : rien n'y a été validé.",
    },
}


class _Rules:
    """The run's rules in the order results first use them, and each one's index."""

    def __init__(self) -> None:
        self.rules: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}

    def index(self, rule_id: str, describe: Callable[[], dict[str, Any]]) -> int:
        if rule_id not in self._index:
            self._index[rule_id] = len(self.rules)
            self.rules.append({"id": rule_id, **describe()})
        return self._index[rule_id]


def render_report(report: Report, options: RenderOptions) -> str:
    rules = _Rules()
    results = []
    for finding in findings(report, options):
        leaf = finding.leaf
        index = rules.index(finding.rule, lambda leaf=leaf: _describe(leaf, options.lang))
        level = "error" if finding.fails else _LEVEL[finding.result.severity]
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": index,
                "level": level,
                "message": {"text": f"{finding.message} — {finding.title}"},
                "locations": _locations(leaf.file, leaf.line, leaf.column),
                "fingerprints": {_FINGERPRINT: finding.fingerprint},
            }
        )
    return _serialise(rules.rules, results, successful=True)


def render_errors(errors: list[InputError], options: RenderOptions) -> str:
    words = _WORDS[options.lang]
    rules = _Rules()
    results = [
        {
            "ruleId": UNREADABLE_RULE,
            "ruleIndex": rules.index(
                UNREADABLE_RULE,
                lambda: _descriptor(words["unreadable"], words["unreadable-full"], "error"),
            ),
            "level": "error",
            "message": {"text": error_message(error, options.lang)},
            "locations": _locations(error.file, error.line, error.column),
            "fingerprints": {_FINGERPRINT: fingerprint},
        }
        for error, fingerprint in zip(errors, error_fingerprints(errors), strict=True)
    ]
    return _serialise(rules.rules, results, successful=False)


def _describe(result: Result, lang: str) -> dict[str, Any]:
    """A rule from the first result that names it: a shape's message describes the shape."""
    words = _WORDS[lang]
    level = _LEVEL[result.severity]
    if result.source_shape.startswith("_:"):
        component = compact_iri(result.constraint_component)
        full = words["component"].format(component=component)
        descriptor = _descriptor(component, full, level)
        if result.constraint_component.startswith(str(SH)):
            descriptor["helpUri"] = _SHACL_SPEC + result.constraint_component[len(str(SH)) :]
        return descriptor
    message = result.message(lang)
    full = f"{message} ({words['shape'].format(iri=result.source_shape)})"
    return _descriptor(message, full, level)


def _descriptor(short: str, full: str, level: str) -> dict[str, Any]:
    # GitHub code scanning requires shortDescription, fullDescription and help.
    return {
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": level},
    }


def _locations(file: str | None, line: int | None, column: int | None) -> list[dict[str, Any]]:
    if not file:
        return []
    path = repository_path(file)
    if PurePath(path).is_absolute():  # outside the working directory
        artifact = {"uri": Path(path).as_uri()}
    else:
        artifact = {"uri": quote(path), "uriBaseId": _SRCROOT}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line:
        physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
    return [{"physicalLocation": physical}]


def _serialise(rules: list[dict[str, Any]], results: list[dict[str, Any]], successful: bool) -> str:
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aict",
                        "version": package_version(),
                        "informationUri": BASE,
                        "rules": rules,
                    }
                },
                # Relative locations are relative to the working directory, where CI runs.
                "originalUriBaseIds": {_SRCROOT: {"uri": _directory_uri(Path.cwd())}},
                "invocations": [{"executionSuccessful": successful}],
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"
