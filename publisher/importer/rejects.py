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


def render_rejects(rejects: list[Reject]) -> str:
    """CSV text, sorted by line then field; candidates joined with ' | '."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REJECT_HEADER)
    for reject in sorted(rejects):
        writer.writerow(
            (reject.line, reject.field, reject.value, reject.reason, " | ".join(reject.candidates))
        )
    return buffer.getvalue()
