"""A report as the formats that CI systems pin to a file's lines read it (GitHub annotations,
GitLab Code Quality, SARIF): one finding per innermost reason, at the line where it can be
fixed, with a rule name, a level and a fingerprint that stays the same from run to run."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from publisher.errors import InputError
from publisher.validation.report import Report, Result
from publisher.validation.terms import compact_iri, compact_node, compact_text

if TYPE_CHECKING:
    from publisher.validation.render import RenderOptions

# The rule of a file that could not be read at all (exit 2), beside the shapes' rules.
UNREADABLE_RULE = "unreadable-input"


@dataclass(frozen=True)
class Finding:
    result: Result  # the top-level result: its severity decides whether the run fails
    leaf: Result  # the innermost reason, located where it can be fixed
    title: str  # the top-level focus node and property, which keep the context visible
    message: str  # the reason in the report's language, with its property, value and cell
    fails: bool  # at or above --fail-on
    fingerprint: str

    @property
    def rule(self) -> str:
        return rule_id(self.leaf)


def findings(report: Report, options: RenderOptions) -> list[Finding]:
    """Every finding in the report's order (file, line, most serious first)."""
    pending = [
        (result, leaf)
        for group in report.by_file().values()
        for result in group
        for leaf in result.leaves()
    ]
    fingerprints = _fingerprints([_identity(result, leaf) for result, leaf in pending])
    return [
        Finding(
            result=result,
            leaf=leaf,
            title=_title(result),
            message=_message(result, leaf, options),
            fails=result.severity.rank >= options.fail_on.rank,
            fingerprint=fingerprint,
        )
        for (result, leaf), fingerprint in zip(pending, fingerprints, strict=True)
    ]


def rule_id(result: Result) -> str:
    """The shape that reported the result (`aictsh:PeriodShape-order`); for an anonymous
    shape, whose blank node label changes from run to run, its SHACL constraint component."""
    if result.source_shape.startswith("_:"):
        return compact_iri(result.constraint_component)
    return compact_iri(result.source_shape)


def repository_path(file: str, root: Path | None = None) -> str:
    """`file` relative to `root` (the working directory: the repository root in a CI job),
    with forward slashes and no leading `./`; a file outside it keeps the path it was given."""
    path = PurePath(file)
    if path.is_absolute():
        base = (root or Path.cwd()).resolve()
        try:
            path = Path(file).resolve().relative_to(base)
        except ValueError:
            return path.as_posix()
    return PurePath(os.path.normpath(path)).as_posix()


def _title(result: Result) -> str:
    title = compact_node(result.focus_node)
    if result.path:
        title += " " + compact_text(result.path)
    return title


def _message(result: Result, leaf: Result, options: RenderOptions) -> str:
    message = leaf.message(options.lang)
    if leaf is not result and leaf.path:
        message += f" [{compact_text(leaf.path)}]"
    if leaf.value:
        message += f" ({compact_text(leaf.value)})"
    if leaf.field:
        message += f" [{leaf.field}]"
    return message


def _identity(result: Result, leaf: Result) -> tuple[str, ...]:
    """What makes a finding the same finding in the next run: not its line (a line inserted
    above it must not turn it into a new finding), not its message (the language is a
    choice of the reader), and no blank node label (they change at every parse)."""
    return (
        repository_path(leaf.file) if leaf.file else "",
        rule_id(leaf),
        leaf.constraint_component,
        _stable(result.focus_node),
        result.path or "",
        rule_id(result),
        _stable(leaf.focus_node),
        leaf.path or "",
        _stable(leaf.value or ""),
    )


def _stable(term: str) -> str:
    return "_:" if term.startswith("_:") else term


def _fingerprints(identities: list[tuple[str, ...]]) -> list[str]:
    """sha256 of the identity and its rank among findings with the same identity (the same
    mistake on two anonymous nodes of one file), so that no two findings share one."""
    seen: Counter[tuple[str, ...]] = Counter()
    fingerprints = []
    for identity in identities:
        seen[identity] += 1
        text = "\x1f".join((*identity, str(seen[identity])))
        fingerprints.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return fingerprints


def error_message(error: InputError, lang: str) -> str:
    """An unreadable input's message, with the field or cell it names."""
    return error.message_in(lang) + (f" [{error.field}]" if error.field else "")


def error_fingerprints(errors: list[InputError]) -> list[str]:
    """Unreadable inputs' fingerprints: the file and the English message."""
    return _fingerprints(
        [(UNREADABLE_RULE, repository_path(e.file) if e.file else "", e.message) for e in errors]
    )
