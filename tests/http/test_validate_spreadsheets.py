"""POST /validate with a filled actions template (CSV or XLSX) as the body: the same report as
`aict validate FILE.csv|xlsx`, each finding at its sheet, row and column."""

from __future__ import annotations

import io
import json

import pytest
from defusedxml.ElementTree import fromstring
from openpyxl import load_workbook
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import EXAMPLES_DIR
from tests.conftest import START_AFTER_END as CSV_START_AFTER_END
from tests.conftest import TEMPLATE_HEADER, template_row

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
START_AFTER_END = CSV_START_AFTER_END.encode("utf-8")
HEADER = TEMPLATE_HEADER
row = template_row


def workbook_with(**cells: str) -> bytes:
    """The examples' workbook with some cells of its Actions sheet changed."""
    book = load_workbook(EXAMPLES_DIR / "actions.xlsx")
    for reference, value in cells.items():
        book["Actions"][reference] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post(client, body: bytes, content_type: str, query: str = "", **headers: str):
    headers = {"Content-Type": content_type, "Accept": "application/json", **headers}
    return client.request("POST", f"/validate{query}", content=body, headers=headers)


@pytest.fixture(autouse=True)
def _no_language_cookie(client) -> None:
    client.forget_cookies()


def cli_json(tmp_path, monkeypatch, name: str, body: bytes) -> tuple[int, dict]:
    """What `aict validate NAME --format json --lang en` prints for the same bytes."""
    (tmp_path / name).write_bytes(body)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", name, "--format", "json", "--lang", "en"])
    return result.exit_code, json.loads(result.stdout)


def test_a_csv_violation_is_the_commands_report_at_row_and_column(client, tmp_path, monkeypatch):
    response = post(client, START_AFTER_END, CSV, **{"Accept-Language": "en"})
    assert response.status_code == 200, response.text
    assert response.headers["aict-conforms"] == "false"
    assert response.headers["aict-passes"] == "false"
    document = response.json()
    [violation] = [r for r in document["results"] if r["severity"] == "violation"]
    assert (violation["file"], violation["line"], violation["column"], violation["field"]) == (
        "request.csv",
        3,
        18,
        "start_date",
    )
    exit_code, cli = cli_json(tmp_path, monkeypatch, "request.csv", START_AFTER_END)
    assert exit_code == 1
    assert document == cli


def test_a_workbook_cell_that_cannot_be_read_is_400_at_sheet_row_and_column(
    client, tmp_path, monkeypatch
):
    body = workbook_with(U3="Plomberie")  # theme_1 of the second example
    response = post(client, body, XLSX, **{"Accept-Language": "en"})
    assert response.status_code == 400, response.text
    assert response.headers["aict-conforms"] == "false"
    document = response.json()
    [error] = document["errors"]
    assert (error["file"], error["line"], error["column"], error["field"]) == (
        "request.xlsx",
        3,
        21,
        "Actions!U3 theme_1",
    )
    exit_code, cli = cli_json(tmp_path, monkeypatch, "request.xlsx", body)
    assert exit_code == 2
    assert document == cli


def test_the_filled_examples_pass(client):
    for body, content_type in (
        ((EXAMPLES_DIR / "actions.xlsx").read_bytes(), XLSX),
        ((EXAMPLES_DIR / "actions.csv").read_bytes(), f"{CSV}; charset=utf-8"),
    ):
        response = post(client, body, content_type)
        assert response.status_code == 200, response.text
        assert response.headers["aict-passes"] == "true"
        assert response.json()["summary"]["violations"] == 0


def test_text_and_junit_reports_name_the_cell(client):
    text = post(client, START_AFTER_END, CSV, "?format=text&lang=en")
    assert "request.csv:3:18 [start_date]: violation: The start date" in text.text
    junit = post(client, START_AFTER_END, CSV, "?format=junit")
    [failure] = fromstring(junit.content).iter("failure")
    assert "request.csv:3:18 [start_date]" in failure.text


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (workbook_with(E2="=1+1"), XLSX, "Actions!E2"),  # a formula
        (
            (EXAMPLES_DIR / "actions.xlsx").read_bytes(),
            "application/vnd.ms-excel.sheet.macroEnabled.12",
            ".xlsm",
        ),
        (b"not a zip archive", XLSX, "not an XLSX workbook"),
        (HEADER.encode() + b"\n" + row(title_fr="Caf\xe9").encode("latin-1"), CSV, "UTF-8"),
        (b"nom;bogus\nx;y\n", CSV, "unknown column"),
    ],
    ids=["formula", "macro-enabled", "not-a-workbook", "latin-1", "unknown-column"],
)
def test_refused_spreadsheets_are_400_saying_where(client, body, content_type, words):
    response = post(client, body, content_type, "?format=text&lang=en")
    assert response.status_code == 400, response.text
    assert words in response.text
    assert "Traceback" not in response.text


def test_the_body_limit_and_the_charset_hold_for_spreadsheets(client, fixture_settings):
    too_large = b"0" * (fixture_settings.max_body_bytes + 1)
    assert post(client, too_large, XLSX).status_code == 413
    refused = post(client, START_AFTER_END, f"{CSV}; charset=windows-1252")
    assert refused.status_code == 415 and "UTF-8" in refused.text


def test_the_api_description_lists_the_spreadsheet_types(client):
    content = client.get("/-/openapi.json").json()["paths"]["/validate"]["post"]["requestBody"]
    assert {CSV, XLSX} <= set(content["content"])


def test_cell_errors_speak_the_readers_language(client):
    body = workbook_with(U3="Plomberie")
    french = post(client, body, XLSX, **{"Accept-Language": "fr-FR,fr;q=0.9"}).json()
    english = post(client, body, XLSX, "?lang=en", **{"Accept-Language": "fr"}).json()
    [error_fr], [error_en] = french["errors"], english["errors"]
    assert error_fr["field"] == error_en["field"] == "Actions!U3 theme_1"
    assert error_fr["message"].startswith("'Plomberie' n'est pas dans le vocabulaire theme")
    assert error_en["message"].startswith("'Plomberie' is not in the vocabulary theme")
    text = post(client, body, XLSX, "?format=text&lang=fr")
    assert text.text.startswith("erreur: request.xlsx:3:21 [Actions!U3 theme_1]: 'Plomberie'")
