"""The importer and the spreadsheet path on damaged input: `aict import twinnings FILE --out
DIR` on mutated twinnings CSVs, `aict import actions` on mutated actions templates (CSV and
XLSX), and `aict validate` on the same templates. Whatever the input: exit 0, 1 or 2, never
3, never a traceback, and a refused import (any exit but 0) leaves the output folder and its
parent exactly as they were (no file changed, no staging folder left behind)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fuzz_support import budget, damages, files_under, nasty_text, run_cli
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from publisher.config import EXAMPLES_DIR

TWINNINGS = Path(__file__).resolve().parents[1] / "data" / "importer" / "good.csv"
ACTIONS_CSV = EXAMPLES_DIR / "actions.csv"
ACTIONS_XLSX = EXAMPLES_DIR / "actions.xlsx"

# What a cell may become: text that breaks parsers, a formula (CSV injection), a huge value,
# a date or number in another notation.
cell_values = st.one_of(
    nasty_text,
    st.sampled_from(
        [
            "=1+1",
            "=cmd|' /C calc'!A0",
            "+33 1 23",
            "@SUM(A1)",
            "x" * 100_000,
            "31/12/2023",
            "2023-02-30",
            "1 000,50",
            "-0",
            "oui",
            "non",
            "Jumelage;Solidarité",
            '"',
            '""',
            "\n",
            "\r",
            "France, Allemagne",
            "XX",
        ]
    ),
)


@st.composite
def damaged_tables(draw, original: bytes) -> bytes:
    """A CSV broken in its bytes (cut, flipped, other encoding, line endings) or in its
    table (a cell, a column, the header, a row)."""
    if draw(st.booleans()):
        return draw(damages).apply(original)
    rows = list(csv.reader(io.StringIO(original.decode("utf-8"), newline="")))
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        how = draw(
            st.sampled_from(["cell", "cell", "cell", "add column", "drop column", "drop row"])
        )
        if how == "cell" and rows[row]:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cell_values)
        elif how == "add column":
            rows[row].append(draw(cell_values))
        elif how == "drop column" and rows[row]:
            rows[row].pop(draw(st.integers(0, len(rows[row]) - 1)))
        elif how == "drop row" and len(rows) > 1:
            rows.pop(row)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@st.composite
def damaged_workbooks(draw) -> bytes:
    """The actions workbook broken in its bytes (a zip) or in its cells and sheets."""
    original = ACTIONS_XLSX.read_bytes()
    if draw(st.integers(0, 2)) == 0:
        return draw(damages).apply(original)
    book = load_workbook(io.BytesIO(original))
    sheet = book.worksheets[draw(st.integers(0, len(book.worksheets) - 1))]
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(1, max(sheet.max_row, 1) + 1))
        column = draw(st.integers(1, max(sheet.max_column, 1) + 1))
        value = draw(
            st.one_of(
                cell_values.map(lambda text: text[:32_000]),  # a cell's limit in Excel
                st.integers(-(10**20), 10**20),
                st.floats(allow_nan=True, allow_infinity=True),
                st.dates(),
                st.datetimes(),
                st.booleans(),
                st.none(),
            )
        )
        try:
            sheet.cell(row=row, column=column, value=value)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses it
            continue
    if draw(st.integers(0, 4)) == 0:
        sheet.title = draw(st.sampled_from(["Feuil1", "actions ", "Données"]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Each import loads the French reference data (seconds): few examples in CI, many with the
# long profile.


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in files_under(folder)} | {
        str(d.relative_to(folder)) + "/": b"" for d in folder.rglob("*") if d.is_dir()
    }


def _import(args: list[str], workspace: Path) -> None:
    """Run `aict import …` with --out workspace/out (which holds an earlier output); on any
    refusal, nothing in the workspace may have changed."""
    out = workspace / "out"
    out.mkdir(exist_ok=True)
    (out / "earlier.ttl").write_text("# an earlier import\n", encoding="utf-8")
    before = _snapshot(workspace)
    result = run_cli([*args, "--out", str(out)])
    if result.exit_code != 0:
        assert _snapshot(workspace) == before, result.output[-2000:]


@budget(0.3)
@given(data=damaged_tables(TWINNINGS.read_bytes()))
def test_a_damaged_twinnings_csv_is_imported_or_refused_untouched(tmp_path_factory, data):
    workspace = tmp_path_factory.mktemp("twinnings")
    source = workspace / "twinnings.csv"
    source.write_bytes(data)
    _import(["import", "twinnings", str(source)], workspace)


@budget(0.3)
@given(data=damaged_tables(ACTIONS_CSV.read_bytes()), lang=st.sampled_from(["fr", "en"]))
def test_a_damaged_actions_csv_is_imported_validated_or_refused(tmp_path_factory, data, lang):
    workspace = tmp_path_factory.mktemp("actions-csv")
    source = workspace / "actions.csv"
    source.write_bytes(data)
    _import(["import", "actions", str(source), "--lang", lang], workspace)
    run_cli(["validate", str(source), "--format", "json", "--lang", lang])


@budget(0.3)
@given(data=damaged_workbooks(), lang=st.sampled_from(["fr", "en"]))
def test_a_damaged_actions_workbook_is_imported_validated_or_refused(tmp_path_factory, data, lang):
    workspace = tmp_path_factory.mktemp("actions-xlsx")
    source = workspace / "actions.xlsx"
    source.write_bytes(data)
    _import(["import", "actions", str(source), "--lang", lang], workspace)
    run_cli(["validate", str(source), "--lang", lang])
