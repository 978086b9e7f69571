"""The one value a validation returns, whatever the engine and whatever the output format.

Terms are kept as strings so the report can be rendered, serialised to JSON or sent over HTTP
without rdflib: IRIs plain, blank nodes as `_:label`, values and paths in SPARQL syntax with
full IRIs (`<…>`); renderers shorten them with the project's prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """SHACL severities, ordered from most to least serious."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"violation": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, located in the contributed files."""

    severity: Severity
    message_fr: str
    message_en: str
    focus_node: str
    path: str | None
    value: str | None
    constraint_component: str
    source_shape: str
    file: str | None
    line: int | None
    # Why a value node failed its sh:node shape: its own results, located where it is written.
    details: tuple[Result, ...] = ()
    # Spreadsheets only: the column (1-based) and what names the cell ("Actions!E7 lead_authority").
    column: int | None = None
    field: str | None = None

    @property
    def where(self) -> str:
        """'file:line', 'file:row:column [field]' for a spreadsheet cell, or the file."""
        where = self.file or "?"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where + (f" [{self.field}]" if self.field else "")

    def message(self, lang: str) -> str:
        return self.message_fr if lang == "fr" else self.message_en

    @property
    def focus_is_blank(self) -> bool:
        return self.focus_node.startswith("_:")

    def leaves(self) -> list[Result]:
        """The innermost explanations of this result (itself when it has no details)."""
        if not self.details:
            return [self]
        return [leaf for detail in self.details for leaf in detail.leaves()]


@dataclass(frozen=True)
class Report:
    """The outcome of one validation run: which files, which engine, which results."""

    files: tuple[str, ...]
    results: tuple[Result, ...]
    engine: str
    triples: int = 0
    shapes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def conforms(self) -> bool:
        """SHACL's notion: no result of any severity."""
        return not self.results

    def count(self, severity: Severity) -> int:
        return sum(1 for r in self.results if r.severity is severity)

    def fails(self, fail_on: Severity = Severity.VIOLATION) -> bool:
        """True when some result is at least as serious as `fail_on`."""
        return any(r.severity.rank >= fail_on.rank for r in self.results)

    def by_file(self) -> dict[str | None, list[Result]]:
        """Results grouped by file (files without results included), in a stable order."""
        groups: dict[str | None, list[Result]] = {f: [] for f in self.files}
        for result in sorted(self.results, key=result_order):
            groups.setdefault(result.file, []).append(result)
        return groups


def result_order(result: Result) -> tuple:
    """Sort key of results: by file, line, most serious first, then node and path."""
    return (
        result.file or "",
        result.line if result.line is not None else 0,
        result.column if result.column is not None else 0,
        -result.severity.rank,
        result.focus_node,
        result.path or "",
        result.constraint_component,
        result.value or "",
    )
