"""The reject report: one line per problem found in a source row (a row may have several)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

REJECT_HEADER = ("line", "field", "value", "reason", "candidates")


@dataclass(frozen=True, order=True)
class Reject:
    line: int
    field: str
    value: str
    reason: str
    candidates: tuple[str, ...] = ()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: source values are untrusted, and these
    reports are meant to be opened by people. Numbers ("-1.08", "-21.4,55.6") are kept."""
    if text.startswith(_FORMULA_STARTS):
        try:
            for part in text.split(","):
                float(part)
        except ValueError:
            return "'" + text
    return text


def render_rejects(rejects: list[Reject]) -> str:
    """CSV text, sorted by line then field; candidates joined with ' | '."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REJECT_HEADER)
    for reject in sorted(rejects):
        writer.writerow(
            (
                reject.line,
                reject.field,
                spreadsheet_safe(reject.value),
                reject.reason,
                spreadsheet_safe(" | ".join(reject.candidates)),
            )
        )
    return buffer.getvalue()
