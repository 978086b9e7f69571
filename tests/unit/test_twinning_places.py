"""The reviewed table of shared French names: exact resolution of a fixture CSV, the checks
made on load, and the committed build's use of the bundled table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import SOURCES_DIR
from publisher.errors import InputError
from publisher.importer import import_twinnings
from publisher.importer.build import REPORTS_DIR, TWINNING_PLACES
from publisher.namespaces import AICT, DCTERMS, GEO

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "importer"
SHARED = FIXTURES / "shared_names.csv"
TABLE = FIXTURES / "twinning_places.csv"
ID = "https://w3id.org/aict/id/"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shared")
    import_twinnings(SHARED, folder, twinning_places=TABLE)
    return folder


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_each_pair_of_the_table_is_settled_and_nothing_else(out: Path) -> None:
    # Lines 2 and 5 are one pair in both directions ("England" and "England, United Kingdom"),
    # line 7 has two French sides: only Bagneux comes from the table, Grand-Bourg from its
    # overseas département. Maurepas–Usedom (4) and Bagneux–Vanadzor (6) are not in the table.
    assert _lines(out / "matches.csv") == [
        "line,field,value,method,kind,code,name",
        "2,city2,Maurepas,curated-twinning,commune,78383,Maurepas",
        "3,city1,Maurepas,curated-twinning,commune,78383,Maurepas",
        "5,city1,Maurepas,curated-twinning,commune,78383,Maurepas",
        "7,city1,Bagneux,curated-twinning,commune,92007,Bagneux",
    ]
    assert _lines(out / "rejects.csv") == [
        "line,field,value,reason,candidates",
        "4,city1,Maurepas,ambiguous-french-city,"
        "commune 78383 Maurepas (78) | commune 80521 Maurepas (80)",
        "6,city2,Bagneux,ambiguous-french-city,commune 02043 Bagneux (02) | commune 03015 "
        "Bagneux (03) | commune 36011 Bagneux (36) | commune 51032 Bagneux (51) | commune "
        "54041 Bagneux (54) | commune 92007 Bagneux (92)",
    ]


def test_summary_counts_rows_to_a_commune_and_the_unused_table_line(out: Path) -> None:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["imported_rows"], summary["partnerships"]) == (4, 3)
    assert summary["rows_to_commune"] == {
        "rows": 4,
        "french_rows": 6,
        "rate": 0.6667,
        "target": 0.98,
        "target_met": False,
    }
    # table line 5 (Torcy–Lingenfeld) matches no row of this CSV
    assert summary["twinning_places"] == {
        "table_rows": 4,
        "csv_rows_resolved": 4,
        "unused_table_lines": [5],
    }
    assert summary["resolution"]["by_method"] == {"curated-twinning": 4}


def test_partnership_cites_the_page_and_the_table_line(out: Path) -> None:
    twinnings = Graph().parse(out / "twinnings.ttl", format="turtle")
    pair = URIRef(ID + "partnership/commune-78383--gb-waterlooville")
    assert set(twinnings.objects(pair, PROV.wasDerivedFrom)) == {
        URIRef(ID + "source/shared-names-csv/line/2"),
        URIRef(ID + "source/shared-names-csv/line/5"),
        URIRef(ID + "source/twinning-places-csv/line/2"),
    }
    assert set(twinnings.objects(pair, DCTERMS.source)) == {
        URIRef("https://de.wiki.li/Maurepas_(Yvelines)")
    }
    provenance = Graph().parse(out / "provenance.ttl", format="turtle")
    line = URIRef(ID + "source/twinning-places-csv/line/2")
    assert (line, RDF.type, AICT.SourceRecord) in provenance
    assert provenance.value(line, AICT.sourceFile).toPython() == "twinning_places.csv"


def test_a_settled_side_keeps_no_position_from_its_shared_name(out: Path) -> None:
    # The CSV places every "Maurepas" at Maurepas of the Somme (49.99, 2.85) and Bagneux at
    # Bagneux of the Aisne, less than 100 km from Hauts-de-Seine anchors: neither is taken.
    authorities = Graph().parse(out / "authorities.ttl", format="turtle")
    for code in ("78383", "92007"):
        commune = URIRef(ID + "commune/" + code)
        assert (commune, RDF.type, AICT.FrenchLocalAuthority) in authorities
        assert authorities.value(commune, GEO.lat) is None
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["coordinates_dropped"] == 0


def test_without_the_table_the_shared_names_stay_rejected(tmp_path: Path) -> None:
    import_twinnings(SHARED, tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert (summary["imported_rows"], summary["rejected_rows"]) == (0, 6)
    assert summary["twinning_places"]["table_rows"] == 0


_GOOD_ROW = (
    'Maurepas,Waterlooville,England,78383,https://de.wiki.li/Maurepas_(Yvelines),"Lists it."'
)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ["french_name,partner,country,insee,source_url,evidence"],
            ":1 [header]: header must be french_name,partner,partner_country,insee,source_url,"
            "evidence",
        ),
        (
            ["Maurepas,Waterlooville,England,99999,https://example.org/,x"],
            ":2 [insee]: no commune with INSEE code 99999 in the découpage data",
        ),
        (
            ["Maurepas,Waterlooville,England,92007,https://example.org/,x"],
            ":2 [insee]: commune 92007 is not one of the communes named 'Maurepas' "
            "(candidates: 78383, 80521)",
        ),
        (
            ["Maurepas,Waterlooville,England,7838,https://example.org/,x"],
            ":2 [insee]: '7838' is not an INSEE commune code",
        ),
        (
            [
                _GOOD_ROW,
                'Maurepas,WATERLOOVILLE,"England, United Kingdom",78383,https://example.org/,x',
            ],
            ":3 [partner]: the pair Maurepas – WATERLOOVILLE is already settled on line 2",
        ),
        (
            ["Maurepas,Waterlooville,Narnia,78383,https://example.org/,x"],
            ":2 [partner_country]: 'Narnia' is not a known country",
        ),
        (
            ["Maurepas,Waterlooville,England,78383,de.wiki.li/Maurepas,x"],
            ":2 [source_url]: expected an http(s) URL",
        ),
        (
            ["Maurepas,Waterlooville,England,78383,https://w3id.org/aict/id/commune/78383,x"],
            ":2 [source_url]: https://w3id.org/aict/id/commune/78383 is one of this project's IRIs",
        ),
        (["Maurepas,Waterlooville,England,78383,https://example.org/,"], ":2 [evidence]: empty"),
        (["Maurepas,Waterlooville,England,78383"], ":2 [row]: expected 6 fields, got 4"),
    ],
)
def test_a_bad_table_is_refused_with_its_line_and_field(
    tmp_path: Path, rows: list[str], message: str
) -> None:
    table = tmp_path / "table.csv"
    header = (
        []
        if rows[0].startswith("french_name,")
        else [
            ",".join(
                ("french_name", "partner", "partner_country", "insee", "source_url", "evidence")
            )
        ]
    )
    table.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_twinnings(SHARED, tmp_path / "out", twinning_places=table)
    assert f"{table}{message}" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_bad_table_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text(
        TABLE.read_text(encoding="utf-8").replace("78383", "92007", 1), encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["import", "twinnings", str(SHARED), "--out", str(out), "--twinning-places", str(table)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"{table}:2 [insee]: commune 92007 is not one of the communes named" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_warns_about_table_lines_matching_no_row(tmp_path: Path) -> None:
    args = [
        "import",
        "twinnings",
        str(SHARED),
        "--out",
        str(tmp_path / "out"),
        "--twinning-places",
        str(TABLE),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "warning: twinning places table lines matching no CSV row: 5" in result.output


def test_the_bundled_build_uses_every_row_of_the_bundled_table() -> None:
    """The committed reports come from the bundled table (the rebuild test checks they are
    current): no row of it may be stale, and the issue's target holds."""
    summary = json.loads((REPORTS_DIR / "summary.json").read_text(encoding="utf-8"))
    table_rows = len(_lines(SOURCES_DIR / TWINNING_PLACES)) - 1
    assert summary["twinning_places"]["table_rows"] == table_rows
    assert summary["twinning_places"]["unused_table_lines"] == []
    assert summary["rows_to_commune"]["target_met"] is True
