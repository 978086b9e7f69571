"""Reading a filled template (CSV or XLSX) into cells that remember their sheet, row and
column, refusing what is not a plain table: macros, formulas, another encoding, an unknown
or repeated column, an empty file."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl.utils import get_column_letter

from publisher.errors import InputError
from publisher.importer.names import normalise
from publisher.spreadsheet.columns import BY_NAME, COLUMNS, Column

SHEET_NAME = "Actions"
# A workbook is a zip of XML parts: bound what it may expand to, whatever its size on disk.
_EXPANSION_LIMIT = 20


@dataclass(frozen=True)
class Cell:
    """Where a value was written: file, sheet (XLSX only), row (the header is row 1), column."""

    file: str
    sheet: str | None
    row: int
    column: int
    name: str

    @property
    def reference(self) -> str:
        """'E7' (A1 notation)."""
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def field(self) -> str:
        """What the report names next to file and line: the column, and the sheet and cell
        for a workbook ('Actions!E7 lead_authority')."""
        if self.sheet is None:
            return self.name
        return f"{self.sheet}!{self.reference} {self.name}"

    def error(self, message: str, message_fr: str) -> InputError:
        """The error at this cell, in English and French."""
        return InputError(
            message,
            file=self.file,
            line=self.row,
            column=self.column,
            field=self.field,
            message_fr=message_fr,
        )


@dataclass
class Row:
    number: int
    values: dict[str, str]
    cells: dict[str, Cell] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class Table:
    file: str
    sheet: str | None
    columns: dict[str, int]  # column name -> 1-based position
    rows: list[Row]

    def cell(self, row: int, name: str) -> Cell:
        return Cell(self.file, self.sheet, row, self.columns.get(name, 0) or 0, name)


def read_table(name: str, data: bytes, fmt: str) -> Table:
    """The non-empty rows of a filled template; InputError (one or several) otherwise."""
    if fmt == "xlsm" or name.lower().endswith(".xlsm"):
        raise InputError(
            "macro-enabled workbooks (.xlsm) are refused: save it as an .xlsx workbook",
            file=name,
            message_fr="les classeurs avec macros (.xlsm) sont refusés : enregistrez-le comme "
            "classeur .xlsx",
        )
    if not data.strip():
        raise InputError("the file is empty", file=name, message_fr="le fichier est vide")
    if fmt == "xlsx":
        sheet, grid = _xlsx_grid(name, data)
    else:
        sheet, grid = None, _csv_grid(name, data)
    return _table(name, sheet, grid)


def _csv_grid(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as « CSV UTF-8 » "
            "(Excel: CSV UTF-8; LibreOffice: character set Unicode (UTF-8))",
            file=name,
            line=line,
            message_fr=f"ce n'est pas du texte UTF-8 (octet 0x{data[exc.start]:02x}) : "
            "enregistrez le fichier en « CSV UTF-8 » (Excel : CSV UTF-8 ; LibreOffice : jeu "
            "de caractères Unicode (UTF-8))",
        ) from None
    first_line = text.split("\n", 1)[0]
    # French spreadsheets save CSV with semicolons; the header tells which one this file uses.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    grid: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for values in reader:
            grid.append((line, values))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"not valid CSV: {exc}", file=name, line=line, message_fr=f"CSV invalide : {exc}"
        ) from None
    return grid


def _xlsx_grid(name: str, data: bytes) -> tuple[str, list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook  # openpyxl takes a moment to import; RDF runs skip it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(
            "not an XLSX workbook (not a zip archive)",
            file=name,
            message_fr="ce n'est pas un classeur XLSX (pas une archive zip)",
        ) from None
    if any(part.filename.lower().endswith("vbaproject.bin") for part in parts):
        raise InputError(
            "the workbook holds macros (vbaProject.bin): save it as an .xlsx workbook without "
            "macros",
            file=name,
            message_fr="le classeur contient des macros (vbaProject.bin) : enregistrez-le comme "
            "classeur .xlsx sans macros",
        )
    if sum(part.file_size for part in parts) > _EXPANSION_LIMIT * max(len(data), 1 << 20):
        raise InputError(
            "the workbook expands to too much data to be read",
            file=name,
            message_fr="le classeur décompressé est trop volumineux pour être lu",
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InputError(
            f"not a readable XLSX workbook: {exc}",
            file=name,
            message_fr=f"classeur XLSX illisible : {exc}",
        ) from None
    sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    grid: list[tuple[int, list[str]]] = []
    formulas: list[InputError] = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            if cell.data_type == "f" or not isinstance(
                cell.value, (str, int, float, date, time, type(None))
            ):
                where = Cell(name, sheet.title, cell.row, cell.column, _header_of(sheet, cell))
                formulas.append(
                    where.error(
                        "formulas are refused: replace the formula by its value "
                        "(copy, then paste values only)",
                        "les formules sont refusées : remplacez la formule par sa valeur "
                        "(copier, puis collage spécial des valeurs seulement)",
                    )
                )
                values.append("")
                continue
            values.append(_cell_text(cell.value))
        grid.append((row[0].row if row else len(grid) + 1, values))
    if formulas:
        raise _errors(formulas)
    return sheet.title, grid


def _header_of(sheet, cell) -> str:
    header = sheet.cell(row=1, column=cell.column).value
    return _column_for(str(header)).name if header and _column_for(str(header)) else "?"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        # A date typed in a cell comes back as midnight of that day.
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_HEADERS: dict[str, Column] = {}


def _column_for(header: str) -> Column | None:
    """The column a header names: its name, French or English title, or both ('fr / en')."""
    if not _HEADERS:
        for column in COLUMNS:
            for text in (column.name, column.title_fr, column.title_en, column.title):
                _HEADERS[normalise(text)] = column
    return _HEADERS.get(normalise(header))


def _table(name: str, sheet: str | None, grid: list[tuple[int, list[str]]]) -> Table:
    grid = [(number, values) for number, values in grid if any(v.strip() for v in values)]
    if not grid:
        raise InputError(
            "the file is empty: no header and no rows",
            file=name,
            message_fr="le fichier est vide : ni en-tête ni lignes",
        )
    header_line, header = grid[0]
    errors: list[InputError] = []
    positions: dict[str, int] = {}
    for index, text in enumerate(header, start=1):
        if not text.strip():
            continue
        column = _column_for(text)
        where = Cell(name, sheet, header_line, index, text.strip())
        if column is None:
            names = ", ".join(c.name for c in COLUMNS)
            errors.append(
                where.error(
                    f"unknown column {text.strip()!r}; the template's columns are: {names}",
                    f"colonne inconnue {text.strip()!r} ; les colonnes du modèle sont : {names}",
                )
            )
        elif column.name in positions:
            errors.append(
                where.error(
                    f"column {column.name!r} appears twice",
                    f"la colonne {column.name!r} apparaît deux fois",
                )
            )
        else:
            positions[column.name] = index
    for column in COLUMNS:
        if column.required and column.name not in positions and not errors:
            errors.append(
                InputError(
                    f"required column {column.name!r} ({column.title}) is missing",
                    file=name,
                    line=header_line,
                    field="header",
                    message_fr=f"la colonne obligatoire {column.name!r} ({column.title}) manque",
                )
            )
    if errors:
        raise _errors(errors)
    rows: list[Row] = []
    for number, values in grid[1:]:
        row = Row(number, {})
        for column_name, index in positions.items():
            text = values[index - 1].strip() if index <= len(values) else ""
            row.cells[column_name] = Cell(name, sheet, number, index, column_name)
            if text:
                row.values[column_name] = text
        extra = [i for i, v in enumerate(values, start=1) if v.strip() and i > len(header)]
        for index in extra:
            errors.append(
                Cell(name, sheet, number, index, "?").error(
                    "a value in a column without header: add the header or move the value",
                    "une valeur dans une colonne sans en-tête : ajoutez l'en-tête ou déplacez "
                    "la valeur",
                )
            )
        if row.values:
            rows.append(row)
    if errors:
        raise _errors(errors)
    if not rows:
        raise InputError(
            "the template has a header but no action: fill one row per action",
            file=name,
            message_fr="le modèle a un en-tête mais aucune action : remplissez une ligne par "
            "action",
        )
    return Table(name, sheet, positions, rows)


def _errors(errors: Sequence[InputError]) -> InputError:
    from publisher.validation.inputs import InputErrors

    return errors[0] if len(errors) == 1 else InputErrors(errors)


__all__ = ["BY_NAME", "Cell", "Row", "Table", "read_table"]
