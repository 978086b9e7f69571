"""Reading the JRC's GCoM–MyCovenant workbook of signatories (df1) with openpyxl.

Whole-file problems (missing, too large, not a workbook, no sheet `1`, a column missing) raise
an InputError naming the file, sheet, row and column; a row whose cells cannot be read is
returned with its problems, for the caller to report and go on.

The `mayor` column holds names of natural persons: it is never read (`COLUMNS` does not name
it, and only the cells of `COLUMNS` are kept from a row).
"""

from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from publisher.errors import InputError
from publisher.importer.geo import Point

SHEET = "1"
EMPTY = "-"  # the JRC writes "-" for an empty cell
COMMITMENT_COLUMNS = {
    "commitment_CoM2020_flag": "com2020",
    "commitment_CoM2030_flag": "com2030",
    "commitment_CoM2050_flag": "com2050",
    "commitment_mayoradapt_flag": "mayorsAdapt",
}
COLUMNS = (
    "organisation_id",
    "organisation_name",
    "coordinator_name",
    "supporter_name",
    "country_code",
    "organisation_latitude",
    "organisation_longitude",
    "group_organisation_id",
    "group_name",
    *COMMITMENT_COLUMNS,
    "adhesion_type",
    "signatory_status",
    "date_of_adhesion",
    "gcom_id",
)


@dataclass(frozen=True)
class Signatory:
    """One row of sheet `1`; `line` is its row number (the header is row 1)."""

    line: int
    organisation_id: str
    name: str
    coordinator: str | None
    supporter: str | None
    country_code: str
    point: Point | None
    group_id: str | None
    group_name: str | None
    commitments: tuple[str, ...]  # notations of the covenant-commitment vocabulary
    adhesion_type: str
    status: str
    adhesion_date: datetime.date | None
    gcom_id: str | None
    problems: tuple[tuple[str, str, str], ...] = ()  # (column, value, reason)


@dataclass(frozen=True)
class Workbook:
    rows_read: int
    signatories: list[Signatory]  # rows of the selected country only


def read_signatories(path: Path, max_bytes: int, country_code: str = "fr") -> Workbook:
    """The rows of `country_code` (ISO 3166-1 alpha-2, lower case, as the JRC writes it)."""
    _check_file(path, max_bytes)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"not an Excel workbook (.xlsx): {exc}", file=str(path)) from None
    try:
        if SHEET not in book.sheetnames:
            raise InputError(
                f"no sheet {SHEET!r} (sheets: {', '.join(book.sheetnames)})", file=str(path)
            )
        rows = book[SHEET].iter_rows(values_only=True)
        positions = _header(next(rows, None), path)
        read = 0
        kept: list[Signatory] = []
        for line, cells in enumerate(rows, start=2):
            if cells is None or all(c is None for c in cells):
                continue
            read += 1
            values = {name: _cell(cells, index) for name, index in positions.items()}
            if str(values["country_code"] or "").strip().lower() == country_code:
                kept.append(_signatory(line, values))
        return Workbook(read, kept)
    finally:
        book.close()


def _check_file(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the workbook: {exc}", file=str(path)) from None
    if size > max_bytes:
        raise InputError(
            f"the workbook is {size} bytes, over the {max_bytes}-byte limit "
            "(setting AICT_MAX_INPUT_BYTES)",
            file=str(path),
        )


def _header(cells: tuple | None, path: Path) -> dict[str, int]:
    names = [str(c).strip() if c is not None else "" for c in (cells or ())]
    positions: dict[str, int] = {}
    for name in COLUMNS:
        if name not in names:
            raise InputError(
                f"sheet {SHEET!r}: column {name!r} missing from the header",
                file=str(path),
                line=1,
                field=name,
            )
        positions[name] = names.index(name)
    return positions


def _cell(cells: tuple, index: int) -> object:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = " ".join(value.split())
        return None if value in ("", EMPTY) else value
    return value


def _signatory(line: int, v: dict[str, object]) -> Signatory:
    problems: list[tuple[str, str, str]] = []

    def text(name: str) -> str | None:
        value = v[name]
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    commitments = []
    for column, notation in COMMITMENT_COLUMNS.items():
        flag = v[column]
        if flag is True:
            commitments.append(notation)
        elif flag not in (False, None):
            problems.append((column, str(flag), "not-a-boolean"))
    adhesion = v["date_of_adhesion"]
    if isinstance(adhesion, datetime.datetime):
        adhesion = adhesion.date()
    elif adhesion is not None and not isinstance(adhesion, datetime.date):
        problems.append(("date_of_adhesion", str(adhesion), "not-a-date"))
        adhesion = None
    name = text("organisation_name")
    if name is None:
        problems.append(("organisation_name", "", "empty-name"))
    return Signatory(
        line=line,
        organisation_id=text("organisation_id") or f"row-{line}",
        name=name or "",
        coordinator=text("coordinator_name"),
        supporter=text("supporter_name"),
        country_code=(text("country_code") or "").lower(),
        point=_point(v["organisation_latitude"], v["organisation_longitude"]),
        group_id=text("group_organisation_id"),
        group_name=text("group_name"),
        commitments=tuple(commitments),
        adhesion_type=text("adhesion_type") or "",
        status=text("signatory_status") or "",
        adhesion_date=adhesion,
        gcom_id=text("gcom_id"),
        problems=tuple(problems),
    )


def _point(lat: object, long: object) -> Point | None:
    """A usable position, or None: only used to tell namesake communes apart."""
    try:
        point = Point(Decimal(str(lat)), Decimal(str(long)))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not (point.lat.is_finite() and point.long.is_finite()):
        return None
    if abs(point.lat) > 90 or abs(point.long) > 180:
        return None
    return point
