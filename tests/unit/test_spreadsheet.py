"""The actions template: generated files, the worked examples as rows, conversion to RDF and
the refusal of bad spreadsheets at their cell."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from publisher.config import EXAMPLES_DIR, TEMPLATES_DIR
from publisher.errors import InputError
from publisher.namespaces import AICT
from publisher.spreadsheet.columns import COLUMNS
from publisher.spreadsheet.convert import convert
from publisher.spreadsheet.resolve import Resolver
from publisher.spreadsheet.table import read_table
from publisher.spreadsheet.template import LISTS_SHEET, template_files
from publisher.spreadsheet.vocabularies import concepts
from publisher.validation.inputs import InputErrors
from publisher.validation.reference import load_reference

EXAMPLE_ROOT = "https://w3id.org/aict/id/example/"
# Turtle examples that describe no action: the template has no row for them.
NOT_ACTIONS = ("agreement.ttl", "dormant-partnership.ttl")
HEADER = ",".join(c.name for c in COLUMNS)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_reference())


def to_rdf(name: str, data: bytes, resolver: Resolver) -> Graph:
    fmt = name.rsplit(".", 1)[1]
    return convert(read_table(name, data, fmt), resolver).graph


def refusal(name: str, data: bytes, resolver: Resolver) -> list[InputError]:
    fmt = name.rsplit(".", 1)[1]
    with pytest.raises(InputError) as caught:
        convert(read_table(name, data, fmt), resolver)
    return caught.value.errors if isinstance(caught.value, InputErrors) else [caught.value]


def row_csv(**cells: str) -> bytes:
    values = [cells.get(c.name, "") for c in COLUMNS]
    line = ",".join(f'"{v}"' if "," in v else v for v in values)
    return f"{HEADER}\n{line}\n".encode()


GOOD = {
    "action_type": "Jumelage",
    "title_fr": "Échanges",
    "lead_authority": "Dijon",
    "country_1": "Allemagne",
}


# --- the generated template -----------------------------------------------------------------


def test_committed_template_is_what_the_vocabularies_generate():
    for name, content in template_files(load_reference()).items():
        assert (TEMPLATES_DIR / name).read_bytes() == content, (
            f"data/templates/{name} is stale: run `aict template`"
        )


def test_committed_example_workbook_holds_the_example_rows():
    csv_rows = read_table("actions.csv", (EXAMPLES_DIR / "actions.csv").read_bytes(), "csv")
    xlsx_rows = read_table("actions.xlsx", (EXAMPLES_DIR / "actions.xlsx").read_bytes(), "xlsx")
    assert [r.values for r in xlsx_rows.rows] == [r.values for r in csv_rows.rows]


def test_workbook_offers_every_vocabulary_label_in_drop_down_lists():
    book = load_workbook(TEMPLATES_DIR / "actions.xlsx")
    sheet, lists = book["Actions"], book[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in sheet[1]] == [column.title for column in COLUMNS]
    assert sheet["B1"].value == "Type d'action / Action type"
    checks = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind != "concept":
            continue
        letter = sheet.cell(row=1, column=index).column_letter
        check = checks[f"{letter}2"]
        assert check.type == "list" and check.showErrorMessage
        sheet_name, cells = check.formula1.lstrip("=").split("!")
        assert sheet_name.strip("'") == LISTS_SHEET
        first, last = (part.replace("$", "") for part in cells.split(":"))
        offered = [c.value for row in lists[f"{first}:{last}"] for c in row]
        assert offered == [c.label_fr for c in concepts(column.scheme)], column.name


def test_table_schema_describes_the_csv_and_frictionless_checks_rows(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    schema = json.loads((TEMPLATES_DIR / "actions.schema.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in schema["fields"]] == HEADER.split(",")
    themes = next(f for f in schema["fields"] if f["name"] == "theme_1")
    assert "Eau et assainissement" in themes["constraints"]["enum"]
    assert "Water and sanitation" in themes["constraints"]["enum"]
    described = frictionless.Schema.from_descriptor(schema)

    def check(folder: Path) -> frictionless.Report:
        resource = frictionless.Resource(path="actions.csv", basepath=str(folder), schema=described)
        return resource.validate()

    report = check(EXAMPLES_DIR)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    bad = tmp_path / "actions.csv"
    bad.write_bytes(row_csv(**{**GOOD, "theme_1": "Plomberie", "start_date": "15/03/2024"}))
    report = check(tmp_path)
    problems = {(e[1], e[2]) for e in report.flatten(["rowNumber", "fieldName", "type"])}
    assert problems == {("theme_1", "constraint-error"), ("start_date", "constraint-error")}


def test_every_value_the_schema_lists_is_one_the_importer_reads(resolver):
    schema = json.loads((TEMPLATES_DIR / "actions.schema.json").read_text(encoding="utf-8"))
    columns = {c.name: c for c in COLUMNS}
    for field in schema["fields"]:
        column = columns[field["name"]]
        for value in field.get("constraints", {}).get("enum", []):
            if column.kind == "concept":
                resolver.concept(column.scheme, value)
            elif column.kind == "country":
                resolver.country(value)
            else:
                resolver.record(column.scheme, value)


def test_template_bytes_do_not_depend_on_the_clock():
    archive = zipfile.ZipFile(io.BytesIO((TEMPLATES_DIR / "actions.xlsx").read_bytes()))
    assert {info.date_time for info in archive.infolist()} == {(2024, 1, 1, 0, 0, 0)}
    assert b"2024-01-01T00:00:00Z</dcterms:modified>" in archive.read("docProps/core.xml")


# --- the worked examples as rows --------------------------------------------------------------


def _examples_in_turtle() -> Graph:
    """The Turtle examples that describe actions (and the membership beside one)."""
    graph = Graph()
    for path in sorted(EXAMPLES_DIR.glob("*.ttl")):
        if path.name not in NOT_ACTIONS:
            graph.parse(path, format="turtle")
    return graph


def _minted_as_blank(graph: Graph) -> Graph:
    """Example IRIs other than the actions' (periods, participations, grants, amounts,
    memberships) are minted from the row, not chosen: compare them as blank nodes."""
    names: dict[URIRef, BNode] = {}

    def term(node):
        if isinstance(node, URIRef) and str(node).startswith(EXAMPLE_ROOT):
            if not str(node).startswith(EXAMPLE_ROOT + "action/"):
                return names.setdefault(node, BNode())
        return node

    out = Graph()
    for s, p, o in graph:
        out.add((term(s), p, term(o)))
    return out


@pytest.mark.parametrize("name", ["actions.csv", "actions.xlsx"])
def test_example_rows_convert_to_the_turtle_examples(name, resolver):
    converted = to_rdf(name, (EXAMPLES_DIR / name).read_bytes(), resolver)
    expected = _examples_in_turtle()
    assert set(converted.subjects(RDF.type, AICT.Action)) == set(
        expected.subjects(RDF.type, AICT.Action)
    )
    ours, theirs = (
        to_isomorphic(_minted_as_blank(converted)),
        to_isomorphic(_minted_as_blank(expected)),
    )
    _, only_ours, only_theirs = graph_diff(ours, theirs)
    assert ours == theirs, (
        f"only converted:\n{only_ours.serialize(format='nt')}\n"
        f"only in Turtle:\n{only_theirs.serialize(format='nt')}"
    )


# --- conversion ------------------------------------------------------------------------------


def test_names_codes_and_english_labels_are_read(resolver):
    graph = to_rdf(
        "a.csv",
        row_csv(
            **{
                **GOOD,
                "action_type": "Solidarity-fund contribution",
                "lead_authority": "21231",
                "country_1": "DEU",
                "theme_1": "water and sanitation",
            }
        ),
        resolver,
    )
    action = URIRef("https://w3id.org/aict/id/action/echanges")
    types = set(graph.objects(action, AICT.actionType))
    assert types == {
        URIRef("https://w3id.org/aict/vocab/action-type/solidarityFundContribution"),
        URIRef("https://w3id.org/aict/vocab/action-type/humanitarianEmergency"),
    }
    assert (action, AICT.leadAuthority, URIRef("https://w3id.org/aict/id/commune/21231")) in graph
    assert (
        action,
        AICT.theme,
        URIRef("https://w3id.org/aict/vocab/theme/waterSanitation"),
    ) in graph


def test_an_authority_the_dataset_lacks_is_described_from_the_decoupage(resolver):
    # Arnay-le-Duc (21023) has no twinning in the bundled data.
    assert not resolver.describes(URIRef("https://w3id.org/aict/id/commune/21023"))
    graph = to_rdf("a.csv", row_csv(**{**GOOD, "lead_authority": "Arnay-le-Duc"}), resolver)
    commune = URIRef("https://w3id.org/aict/id/commune/21023")
    assert (commune, RDF.type, AICT.FrenchLocalAuthority) in graph
    assert (commune, AICT.siren, None) in graph


def test_semicolon_csv_with_a_byte_order_mark_is_read(resolver):
    text = row_csv(**GOOD).decode().replace(",", ";")
    graph = to_rdf("a.csv", b"\xef\xbb\xbf" + text.encode(), resolver)
    assert (None, RDF.type, AICT.Action) in graph


def test_typed_workbook_cells_are_read_as_text(tmp_path, resolver):
    book = load_workbook(TEMPLATES_DIR / "actions.xlsx")
    sheet = book["Actions"]
    values = {**GOOD, "lead_authority": 21231, "start_date": datetime(2024, 3, 15)}
    for index, column in enumerate(COLUMNS, start=1):
        if column.name in values:
            sheet.cell(row=2, column=index, value=values[column.name])
    buffer = io.BytesIO()
    book.save(buffer)
    graph = to_rdf("a.xlsx", buffer.getvalue(), resolver)
    assert (None, AICT.leadAuthority, URIRef("https://w3id.org/aict/id/commune/21231")) in graph
    assert any(str(o) == "2024-03-15" for o in graph.objects())


# --- refusals, each at its cell ----------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, line, column, field, words, words_fr",
    [
        ({"theme_1": "Plomberie"}, 2, 21, "theme_1", "not in the vocabulary theme", "vocabulaire"),
        ({"start_date": "15/03/2024"}, 2, 18, "start_date", "YYYY-MM-DD", "AAAA-MM-JJ"),
        ({"end_date": "2024-02-30"}, 2, 19, "end_date", "not a day of the calendar", "jour"),
        ({"lead_authority": "Saint-Denis"}, 2, 7, "lead_authority", "matches 4", "correspond à 4"),
        ({"country_1": "Narnia"}, 2, 15, "country_1", "unknown country", "pays inconnu"),
        ({"amount": "12 k€"}, 2, 32, "amount", "not an amount", "montant"),
        ({"sdgs": "18"}, 2, 24, "sdgs", "1 to 17", "1 à 17"),
        ({"partner_1_role": "Financeur"}, 2, 8, "partner_1", "no partner 1", "aucun partenaire 1"),
        ({"source_url": "www.example.org"}, 2, 35, "source_url", "not a web address", "adresse"),
        ({"example": "peut-être"}, 2, 36, "example", "not yes or no", "ni oui ni non"),
        ({"member_since": "2015-01-01"}, 2, 28, "network", "no network", "aucun réseau"),
        ({"network": "Atlantide"}, 2, 28, "network", "names no published organisation", "publiée"),
        ({"mandate": "Règne de Louis XIV"}, 2, 26, "mandate", "not a published mandate", "mandat"),
        ({"partnership": "Atlantide"}, 2, 25, "partnership", "no published partnership", "aucun"),
    ],
)
def test_bad_cells_are_refused_at_their_cell(cells, line, column, field, words, words_fr, resolver):
    [error] = refusal("a.csv", row_csv(**{**GOOD, **cells}), resolver)
    assert (error.file, error.line, error.column, error.field) == ("a.csv", line, column, field)
    assert words in error.message and words in error.message_in("en")
    assert words_fr in error.message_fr and words_fr in error.message_in("fr")


def test_a_bad_lead_authority_is_reported_once(resolver):
    cells = {**GOOD, "lead_authority": "Saint-Denis", "partnership": "Mainz"}
    [error] = refusal("a.csv", row_csv(**cells), resolver)
    assert error.field == "lead_authority"


def test_the_qualifier_settles_a_shared_commune_name(resolver):
    graph = to_rdf("a.csv", row_csv(**{**GOOD, "lead_authority": "Saint-Denis (93)"}), resolver)
    assert (None, AICT.leadAuthority, URIRef("https://w3id.org/aict/id/commune/93066")) in graph


def test_every_bad_cell_is_reported_not_only_the_first(resolver):
    data = row_csv(**{**GOOD, "theme_1": "x", "country_1": "y"}) + b",Jumelage,\n"
    errors = refusal("a.csv", data, resolver)
    assert [(e.line, e.field) for e in errors] == [
        (2, "country_1"),
        (2, "theme_1"),
        (3, "title_fr"),
    ]


def test_two_rows_with_one_identifier_are_refused(resolver):
    data = row_csv(**GOOD) + row_csv(**GOOD).split(b"\n", 1)[1]
    [error] = refusal("a.csv", data, resolver)
    assert (error.line, error.field) == (3, "title_fr") and "row 2" in error.message
    assert "la ligne 2" in error.message_fr


@pytest.mark.parametrize(
    "data, words, line, column, words_fr",
    [
        (b"", "the file is empty", None, None, "le fichier est vide"),
        (HEADER.encode() + b"\n", "header but no action", None, None, "aucune action"),
        (
            b"action_type,title_fr,colour\nJumelage,x,red\n",
            "unknown column 'colour'",
            1,
            3,
            "colonne inconnue 'colour'",
        ),
        (b"action_type,title_fr,title_fr\n", "appears twice", 1, 3, "deux fois"),
        (b"title_fr\nx\n", "required column 'action_type'", 1, None, "colonne obligatoire"),
        (
            "action_type;title_fr\nJumelage;Échec\n".encode("cp1252"),
            "CSV UTF-8",
            2,
            None,
            "enregistrez le fichier",
        ),
        (b'action_type,title_fr\n"Jumelage,x\n', "not valid CSV", 2, None, "CSV invalide"),
        (b"action_type,title_fr\nJumelage,x,extra\n", "without header", 2, 3, "sans en-tête"),
    ],
)
def test_bad_files_are_refused(data, words, line, column, words_fr, resolver):
    [error] = refusal("a.csv", data, resolver)
    assert words in error.message
    assert words_fr in error.message_in("fr")
    assert (error.line, error.column) == (line, column)


def _workbook(**cells) -> bytes:
    book = load_workbook(TEMPLATES_DIR / "actions.xlsx")
    sheet = book["Actions"]
    for index, column in enumerate(COLUMNS, start=1):
        if column.name in cells:
            sheet.cell(row=2, column=index, value=cells[column.name])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_errors_name_sheet_and_cell(resolver):
    [error] = refusal("a.xlsx", _workbook(**{**GOOD, "theme_1": "Plomberie"}), resolver)
    assert (error.line, error.column, error.field) == (2, 21, "Actions!U2 theme_1")


def test_formulas_are_refused_at_their_cell(resolver):
    [error] = refusal("a.xlsx", _workbook(**{**GOOD, "title_en": '=UPPER("x")'}), resolver)
    assert "formulas are refused" in error.message
    assert "les formules sont refusées" in error.message_fr
    assert (error.line, error.column, error.field) == (2, 4, "Actions!D2 title_en")


def test_macros_are_refused(resolver):
    plain = _workbook(**GOOD)
    [error] = refusal("a.xlsm", plain, resolver)
    assert ".xlsm" in error.message and "classeurs avec macros" in error.message_fr
    with_macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(with_macro, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info.filename))
        out.writestr("xl/vbaProject.bin", b"\x00macro")
    [error] = refusal("a.xlsx", with_macro.getvalue(), resolver)
    assert "macros" in error.message and "contient des macros" in error.message_fr


def test_a_file_that_is_not_a_workbook_is_refused(resolver):
    [error] = refusal("a.xlsx", b"id,title\n", resolver)
    assert "not an XLSX workbook" in error.message
    assert "pas un classeur XLSX" in error.message_fr


def test_template_files_exist_for_download():
    for name in ("actions.csv", "actions.schema.json", "actions.xlsx"):
        assert (Path(TEMPLATES_DIR) / name).is_file()
