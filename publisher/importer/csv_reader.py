"""Reading a source CSV into numbered rows, refusing files that are not CSV text at all.

Whole-file problems (missing, too large, not UTF-8, binary, empty, wrong header) raise an
InputError naming the file and line; problems of single rows are left to the caller, which
reports them and goes on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import InputError
from publisher.prefixes import BASE


@dataclass(frozen=True)
class CsvRow:
    """One record; `line` is the physical line it starts on (the header is line 1)."""

    line: int
    values: tuple[str, ...]


def read_csv(path: Path, expected_header: tuple[str, ...], max_bytes: int) -> list[CsvRow]:
    """All data rows of `path`, whose first line must be exactly `expected_header`."""
    text = _read_text(path, max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[CsvRow] = []
    next_line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise InputError("the file is empty", file=str(path), line=1)
        if tuple(cell.strip() for cell in header) != expected_header:
            raise InputError(
                f"wrong header {','.join(header)!r}; expected {','.join(expected_header)!r}",
                file=str(path),
                line=1,
                field="header",
            )
        next_line = reader.line_num + 1
        for values in reader:
            if values:  # a blank line is no record
                rows.append(CsvRow(next_line, tuple(values)))
            next_line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=str(path), line=next_line) from None
    return rows


def read_source_text(path: Path, what: str) -> str:
    """A project source file (`what` names it in errors: "the country alias table")."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} is missing", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {what}: {exc}", file=str(path)) from None


def table_rows(path: Path, what: str, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """(line, values) of each row of a curated CSV table, after checking its header."""
    reader = csv.reader(read_source_text(path, what).splitlines())
    found = next(reader, None)
    if found is None or tuple(cell.strip() for cell in found) != header:
        raise InputError(
            f"header must be {','.join(header)}", file=str(path), line=1, field="header"
        )
    for values in reader:
        yield reader.line_num, values


def table_cells(path: Path, line: int, values: list[str], header: tuple[str, ...]) -> dict:
    """One row of a curated table as {column: stripped cell}; every cell is required."""
    if len(values) != len(header):
        raise InputError(
            f"expected {len(header)} fields, got {len(values)}",
            file=str(path),
            line=line,
            field="row",
        )
    cells = dict(zip(header, (v.strip() for v in values), strict=True))
    for name in header:
        if not cells[name]:
            raise InputError("empty cell", file=str(path), line=line, field=name)
    return cells


_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def evidence_url(path: Path, line: int, url: str, field: str = "source_url") -> str:
    """The public page a reviewed row cites, checked: an http(s) URL that anyone can open,
    not one of our own IRIs (a reviewed choice must rest on a page outside this project)."""
    if not _URL.fullmatch(url):
        raise InputError("expected an http(s) URL", file=str(path), line=line, field=field)
    if url.startswith(BASE):
        raise InputError(
            f"{url} is one of this project's IRIs: cite the public page that shows the choice "
            "(the authority's site, a registry, an encyclopaedia), as the evidence column says",
            file=str(path),
            line=line,
            field=field,
        )
    return url


def _read_text(path: Path, max_bytes: int) -> str:
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"the file is {size} bytes, more than the limit of {max_bytes} (max_input_bytes)",
            file=str(path),
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(path)) from None
    if not data.strip():
        raise InputError("the file is empty", file=str(path), line=1)
    if b"\x00" in data:
        raise InputError(
            "binary content (NUL byte): not a CSV text file",
            file=str(path),
            line=data[: data.index(b"\x00")].count(b"\n") + 1,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=str(path),
            line=data[: exc.start].count(b"\n") + 1,
        ) from None
    return text.removeprefix("\ufeff")
