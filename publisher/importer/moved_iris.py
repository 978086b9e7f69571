"""The reviewed table of published IRIs that moved (data/sources/curated/moved_iris.csv).

Cool URIs don't change, but some of ours had to: partner authorities whose slug used to drop
letters without a Unicode decomposition (`pl/odz` is now `pl/lodz`), Münster kept apart from
Munster, and the partnerships named after them. Each row gives an IRI that an earlier release
published, the IRI that replaces it, and the reason. The import writes each row as
`<old> dct:isReplacedBy <new>` into the provenance graph, and the publisher answers the old IRI
with a 301 to the new one.

The table is checked against the dataset being built; every defect is an InputError naming
the table's line and field: a malformed row, an empty cell, an IRI outside our `id/` base, an
old IRI given twice, a new IRI that is itself moved (a chain: give the final IRI), an old IRI
that is still a resource of the dataset, a new IRI that is not one.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from publisher.errors import InputError
from publisher.importer.csv_reader import table_cells, table_rows
from publisher.namespaces import DCTERMS, ID_BASE

HEADER = ("old_iri", "new_iri", "reason")
# What follows ID_BASE in an IRI we mint: slash-separated segments of unreserved characters.
_ID_PATH = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")


@dataclass(frozen=True)
class MovedIri:
    """One reviewed row; `line` is its line in the table (the header is line 1)."""

    line: int
    old: str
    new: str
    reason: str


def read_moved_iris(path: Path) -> list[MovedIri]:
    """The rows of the table, each checked on its own and against the others."""
    rows: list[MovedIri] = []
    olds: dict[str, int] = {}
    for line, values in table_rows(path, "the moved IRIs table", HEADER):
        if not values:
            continue
        cells = table_cells(path, line, values, HEADER)
        for field in ("old_iri", "new_iri"):
            if not _is_id_iri(cells[field]):
                raise _error(path, line, field, f"{cells[field]!r} is not an IRI under {ID_BASE}")
        row = MovedIri(line, cells["old_iri"], cells["new_iri"], cells["reason"])
        if row.old in olds:
            raise _error(
                path, line, "old_iri", f"{row.old} is already moved on line {olds[row.old]}"
            )
        olds[row.old] = line
        rows.append(row)
    for row in rows:
        if row.new in olds:
            message = f"{row.new} is itself moved on line {olds[row.new]}: give the final IRI"
            raise _error(path, row.line, "new_iri", message)
    return rows


def check_moved_iris(path: Path, rows: list[MovedIri], subjects: Set[str]) -> None:
    """Refuse a row whose old IRI is still described or whose new IRI is not, `subjects`
    being the subjects of the dataset being built."""
    for row in rows:
        if row.old in subjects:
            raise _error(path, row.line, "old_iri", f"{row.old} is still a resource of the dataset")
        if row.new not in subjects:
            raise _error(path, row.line, "new_iri", f"{row.new} is not a resource of the dataset")


def build_moved_iris(rows: list[MovedIri]) -> Graph:
    """`<old> dct:isReplacedBy <new>` for every row."""
    g = Graph()
    for row in rows:
        g.add((URIRef(row.old), DCTERMS.isReplacedBy, URIRef(row.new)))
    return g


def _is_id_iri(value: str) -> bool:
    return value.startswith(ID_BASE) and _ID_PATH.fullmatch(value[len(ID_BASE) :]) is not None


def _error(path: Path, line: int, field: str, message: str) -> InputError:
    return InputError(message, file=str(path), line=line, field=field)
