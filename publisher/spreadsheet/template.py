"""The actions template, generated from the columns and the vocabularies: a CSV header, its
Table Schema (the Frictionless standard that schema.data.gouv.fr uses for French public
data) and an XLSX workbook whose cells offer the vocabularies' labels in drop-down lists.

The files are reproducible: the same vocabularies give the same bytes (the workbook's zip
entries and document properties carry a fixed date), so the committed copies in
data/templates/ are checked against a fresh generation by the tests.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from publisher.spreadsheet.columns import COLUMNS, Column
from publisher.spreadsheet.resolve import all_countries, record_labels
from publisher.spreadsheet.table import SHEET_NAME
from publisher.spreadsheet.vocabularies import concepts
from publisher.validation.reference import ReferenceData

CSV_NAME = "actions.csv"
SCHEMA_NAME = "actions.schema.json"
XLSX_NAME = "actions.xlsx"
MEDIA_TYPES = {
    CSV_NAME: "text/csv; charset=utf-8; header=present",
    SCHEMA_NAME: "application/json",
    XLSX_NAME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LISTS_SHEET = "Listes"
README_SHEET = "Lisez-moi - Read me"
# Rows of the Actions sheet that carry the drop-down lists and text formats.
_ROWS = 1000
_FIXED_DATE = datetime(2024, 1, 1)
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_TEXT_KINDS = ("slug", "french_authority", "agent", "date", "sdgs", "partnership", "amount")
_DATE_PATTERN = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_PATTERNS = {
    "slug": "^[a-z0-9]+(-[a-z0-9]+)*$",
    "date": _DATE_PATTERN,
    "sdgs": "^ *[0-9]{1,2}([.]([0-9]{1,2}|[a-z]))? *(; *[0-9]{1,2}([.]([0-9]{1,2}|[a-z]))? *)*$",
    "amount": "^[0-9 ]+([.,][0-9]+)?$",
}


def choices(column: Column, reference: ReferenceData) -> list[str]:
    """The French labels the column's drop-down list offers (empty: free text)."""
    if column.kind == "concept":
        return [c.label_fr for c in concepts(column.scheme)]
    if column.kind == "country":
        return [country.name_fr for country, _ in all_countries()]
    if column.kind == "record":
        return record_labels(reference, column.scheme)
    if column.kind == "boolean":
        return ["oui", "non"]
    return []


def accepted(column: Column, reference: ReferenceData) -> list[str]:
    """The values of a listed column as the Table Schema states them: French and English
    labels, concept notations, ISO codes (the importer also forgives case and accents)."""
    if column.kind == "concept":
        values = [c.label_fr for c in concepts(column.scheme)]
        values += [c.label_en for c in concepts(column.scheme)]
        values += [c.notation for c in concepts(column.scheme)]
    elif column.kind == "country":
        values = []
        for country, _ in all_countries():
            values += [country.name_fr, country.name_en, country.iso3, country.iso2]
    elif column.kind == "record":
        values = record_labels(reference, column.scheme, "fr")
        values += record_labels(reference, column.scheme, "en")
    else:
        return []
    return list(dict.fromkeys(values))


def table_schema(reference: ReferenceData) -> dict:
    """The Frictionless Table Schema of the CSV template."""
    fields = []
    for column in COLUMNS:
        spec: dict = {
            "name": column.name,
            "title": column.title,
            "description": f"{column.help_fr} / {column.help_en}",
            "type": "string",
        }
        constraints: dict = {}
        if column.required:
            constraints["required"] = True
        if column.kind == "boolean":
            spec["type"] = "boolean"
            spec["trueValues"] = ["oui", "yes", "true", "vrai", "1", "x"]
            spec["falseValues"] = ["non", "no", "false", "faux", "0"]
        elif column.kind == "url":
            spec["format"] = "uri"
        elif column.kind in _PATTERNS:
            constraints["pattern"] = _PATTERNS[column.kind]
        values = accepted(column, reference)
        if values:
            constraints["enum"] = values
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    return {
        "name": "aict-actions",
        "title": "Actions internationales d'une collectivité / International actions of a "
        "local authority",
        "description": "Une ligne par action ; aict import actions la convertit en RDF et "
        "aict validate la vérifie. / One row per action; aict import actions turns it into "
        "RDF and aict validate checks it.",
        "homepage": "https://w3id.org/aict/",
        "licenses": [
            {
                "name": "etalab-2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                "title": "Licence Ouverte / Open Licence 2.0",
            }
        ],
        "missingValues": [""],
        "fields": fields,
    }


def csv_text(rows: Sequence[Sequence[str]] = ()) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.name for column in COLUMNS])
    writer.writerows(rows)
    return out.getvalue()


def workbook_bytes(reference: ReferenceData, rows: Sequence[Sequence[str]] = ()) -> bytes:
    """The XLSX template: the Actions sheet (bilingual headers, help in each header's
    comment, drop-down lists), a read-me sheet, and the hidden sheet of the lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.creator = "aict"
    book.properties.title = "Actions internationales / International actions"
    book.properties.created = _FIXED_DATE
    book.properties.modified = _FIXED_DATE
    sheet = book.active
    sheet.title = SHEET_NAME
    readme = book.create_sheet(README_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    list_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(
            f"{column.name}\n{column.help_fr}\n{column.help_en}", "aict", width=300, height=120
        )
        sheet.column_dimensions[letter].width = 36 if column.kind == "text" else 24
        values = choices(column, reference)
        if values:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.name)
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=list_column, value=value)
            source = (
                f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(values) + 1}"
            )
            check = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
            check.error = "Choisissez une valeur de la liste. / Pick a value from the list."
            check.errorTitle = column.title
            check.prompt = column.help_fr
            check.promptTitle = column.title_fr
            check.showErrorMessage = True
            check.showInputMessage = True
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{_ROWS}")
        elif column.kind in _TEXT_KINDS:
            # Text cells keep what is typed: INSEE code 01053 stays 01053, 2024-03 stays 2024-03.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 45
    for row_number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            if value:
                sheet.cell(row=row_number, column=index, value=value)
    _write_readme(readme, Font(bold=True))
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def _write_readme(readme, bold) -> None:
    readme.append(
        [
            "Colonne / Column",
            "Titre / Title",
            "Obligatoire / Required",
            "Aide (fr)",
            "Help (en)",
        ]
    )
    for cell in readme[1]:
        cell.font = bold
    for column in COLUMNS:
        readme.append(
            [
                column.name,
                column.title,
                "oui / yes" if column.required else "",
                column.help_fr,
                column.help_en,
            ]
        )
    for letter, width in zip("ABCDE", (22, 40, 12, 70, 70), strict=True):
        readme.column_dimensions[letter].width = width


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry dates, so that regenerating gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving, whatever the properties say.
                content = _MODIFIED.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


def template_files(reference: ReferenceData) -> dict[str, bytes]:
    """The three files of the blank template."""
    schema = json.dumps(table_schema(reference), ensure_ascii=False, indent=2) + "\n"
    return {
        CSV_NAME: csv_text().encode("utf-8"),
        SCHEMA_NAME: schema.encode("utf-8"),
        XLSX_NAME: workbook_bytes(reference),
    }


def write_template(out: Path, reference: ReferenceData) -> list[Path]:
    """Write the blank template into `out` (all files or none)."""
    # Imported here: the web layer reads this module's MEDIA_TYPES without the importer.
    from publisher.importer.output import write_folders

    files = template_files(reference)
    write_folders({out: files})
    return [out / name for name in sorted(files)]


def rows_of_csv(text: str) -> list[list[str]]:
    """The data rows of a CSV written in the template's column order."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    order = [header.index(column.name) if column.name in header else None for column in COLUMNS]
    return [[row[i] if i is not None and i < len(row) else "" for i in order] for row in reader]
