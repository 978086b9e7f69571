"""The matches report: French sides found by other means than an exact, unique name
(former commune, département, coordinates…), and positions dropped, for human review."""

from __future__ import annotations

import csv
import io

from publisher.importer.rejects import spreadsheet_safe
from publisher.importer.twinnings import Match

MATCH_HEADER = ("line", "field", "value", "method", "kind", "code", "name")


def render_matches(matches: list[Match]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MATCH_HEADER)
    for m in sorted(matches, key=lambda m: (m.line, m.field, m.method)):
        writer.writerow(
            (m.line, m.field, spreadsheet_safe(m.value), m.method, m.kind, m.code, m.name)
        )
    return buffer.getvalue()
