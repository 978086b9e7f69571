"""The importer end to end on small fixture CSVs: exact output, reports, unreadable inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from typer.testing import CliRunner

from publisher.cli import app
from publisher.errors import InputError
from publisher.importer import import_twinnings
from publisher.namespaces import AICT, DCTERMS, ORG, PROV

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "importer"
EXPECTED = FIXTURES / "expected"
# Files whose bytes do not depend on the installed pycountry version.
EXACT_FILES = ("authorities.ttl", "twinnings.ttl", "rejects.csv", "matches.csv", "summary.json")
ID = "https://w3id.org/aict/id/"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good")
    import_twinnings(FIXTURES / "good.csv", out)
    return out


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bad")
    import_twinnings(FIXTURES / "bad.csv", out)
    return out


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.mark.parametrize("name", EXACT_FILES)
def test_good_rows_give_exactly_the_reviewed_output(good: Path, name: str) -> None:
    assert (good / name).read_bytes() == (EXPECTED / "good" / name).read_bytes()


@pytest.mark.parametrize("name", EXACT_FILES)
def test_bad_rows_give_exactly_the_reviewed_output(bad: Path, name: str) -> None:
    assert (bad / name).read_bytes() == (EXPECTED / "bad" / name).read_bytes()


def test_every_output_file_is_valid_turtle(good: Path) -> None:
    for path in good.glob("*.ttl"):
        assert list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))


def test_commune_is_described_from_the_decoupage_data(good: Path) -> None:
    g = _graph(good / "authorities.ttl")
    dijon = URIRef(ID + "commune/21231")
    assert (dijon, RDF.type, AICT.FrenchLocalAuthority) in g
    assert g.value(dijon, AICT.inseeCode) == Literal("21231")
    assert g.value(dijon, AICT.siren) == Literal("212102313")
    assert g.value(dijon, AICT.departement) == URIRef(ID + "departement/21")
    assert g.value(dijon, AICT.region) == URIRef(ID + "region/27")
    assert str(g.value(dijon, URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat"))) == "47.3167"
    # départements and régions are published too, without an invented SIREN
    departement = URIRef(ID + "departement/21")
    assert g.value(departement, AICT.region) == URIRef(ID + "region/27")
    assert g.value(departement, AICT.siren) is None


def test_pair_in_both_directions_is_one_partnership_from_two_lines(good: Path) -> None:
    g = _graph(good / "twinnings.ttl")
    york = URIRef(ID + "partnership/commune-21231--gb-york")
    assert set(g.objects(york, ORG.hasMember)) == {
        URIRef(ID + "commune/21231"),
        URIRef(ID + "authority/gb/york"),
    }
    assert set(g.objects(york, PROV.wasDerivedFrom)) == {
        URIRef(ID + "source/good-csv/line/3"),
        URIRef(ID + "source/good-csv/line/5"),
    }
    assert (URIRef(ID + "authority/gb/york"), AICT.twinnedWith, URIRef(ID + "commune/21231")) in g
    assert (URIRef(ID + "commune/21231"), AICT.twinnedWith, URIRef(ID + "authority/gb/york")) in g
    summary = json.loads((good / "summary.json").read_text())
    assert summary["merged_duplicates"] == 1
    assert summary["partnerships"] == 4


def test_qualified_partner_name_keeps_the_source_spelling_as_alt_label(good: Path) -> None:
    g = _graph(good / "authorities.ttl")
    prague = URIRef(ID + "authority/cz/prague-6")
    assert g.value(prague, SKOS.prefLabel) == Literal("Prague 6", lang="en")
    assert g.value(prague, SKOS.altLabel) == Literal("Prague 6 (Prague)", lang="en")
    assert g.value(prague, DCTERMS.spatial) == URIRef(
        "http://publications.europa.eu/resource/authority/country/CZE"
    )


def test_countries_carry_iso_codes_and_french_and_english_names(good: Path) -> None:
    g = _graph(good / "countries.ttl")
    czechia = URIRef("http://publications.europa.eu/resource/authority/country/CZE")
    assert {str(n) for n in g.objects(czechia, SKOS.notation)} == {"CZ", "CZE"}
    assert Literal("Tchéquie", lang="fr") in set(g.objects(czechia, SKOS.prefLabel))
    assert Literal("Czechia", lang="en") in set(g.objects(czechia, SKOS.prefLabel))


def test_every_source_line_used_is_described(good: Path) -> None:
    used = set()
    for name in ("authorities.ttl", "twinnings.ttl"):
        used |= {o for o in _graph(good / name).objects(None, PROV.wasDerivedFrom)}
    provenance = _graph(good / "provenance.ttl")
    for line in (u for u in used if "/good-csv/" in str(u)):
        assert (line, RDF.type, AICT.SourceRecord) in provenance
        assert provenance.value(line, DCTERMS.isPartOf) == URIRef(ID + "source/good-csv")


def test_unreadable_file_in_the_middle_of_a_build_leaves_the_output_untouched(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    import_twinnings(FIXTURES / "good.csv", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError):
        import_twinnings(FIXTURES / "latin1.csv", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left behind


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("latin1.csv", "latin1.csv:3: not UTF-8 text (byte 0xee at offset 108)"),
        ("binary.csv", "binary.csv:2: binary content (NUL byte)"),
        ("empty.csv", "empty.csv:1: the file is empty"),
        ("wrong_header.csv", "wrong_header.csv:1 [header]: wrong header"),
        ("missing.csv", "missing.csv: no such file"),
    ],
)
def test_cli_refuses_unreadable_input_with_exit_2_and_writes_nothing(
    tmp_path: Path, name: str, message: str
) -> None:
    out = tmp_path / "out"
    args = ["import", "twinnings", str(FIXTURES / name), "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_import_twinnings_reports_what_it_did(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["import", "twinnings", str(FIXTURES / "bad.csv"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    assert "10 rows read, 10 French, 2 imported as 1 partnerships" in result.output
    assert "8 rejected" in result.output


@pytest.mark.parametrize("args", [["import", "--help"], ["import", "twinnings", "--help"]])
def test_every_import_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_shared_name_is_settled_by_the_same_pair_given_with_a_qualifier(tmp_path: Path) -> None:
    import_twinnings(FIXTURES / "same_pair.csv", tmp_path)
    twinnings = _graph(tmp_path / "twinnings.ttl")
    pair = URIRef(ID + "partnership/commune-78643--gb-yarm")
    assert set(twinnings.objects(pair, PROV.wasDerivedFrom)) == {
        URIRef(ID + "source/same-pair-csv/line/2"),
        URIRef(ID + "source/same-pair-csv/line/3"),
    }
    assert (tmp_path / "matches.csv").read_text().splitlines()[1:] == [
        "2,city2,Vernouillet,same-pair,commune,78643,Vernouillet"
    ]
    rejects = (tmp_path / "rejects.csv").read_text().splitlines()
    assert [r.split(",")[:4] for r in rejects[1:]] == [
        ["4", "city2", "Bagneux", "ambiguous-french-city"]
    ]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["partnerships"], summary["merged_duplicates"]) == (1, 1)
    assert summary["resolution"]["resolved_sides"] == 2


def test_cli_bundled_build_from_a_sources_folder(tmp_path: Path, sources_with) -> None:
    """`aict import --sources …` on the bundled layout, with the fixture CSV as twinnings.
    The IRIs that moved are those of the bundled CSV: none of them is in this build."""
    sources_with("curated/moved_iris.csv", "old_iri,new_iri,reason\n")
    sources = tmp_path / "sources"
    (sources / "twin_cities").unlink()
    (sources / "twin_cities").mkdir()
    (sources / "twin_cities" / "twin_cities.csv").symlink_to(FIXTURES / "good.csv")
    dataset, reports = tmp_path / "dataset", tmp_path / "reports"
    result = CliRunner().invoke(
        app,
        ["import", "--sources", str(sources), "--dataset", str(dataset), "--reports", str(reports)],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dataset.iterdir()) == [
        "authorities.ttl",
        "countries.ttl",
        "gcom.ttl",
        "provenance.ttl",
        "sourced.ttl",
        "twinnings.ttl",
    ]
    assert sorted(p.name for p in reports.iterdir()) == [
        "gcom_matches.csv",
        "gcom_rejects.csv",
        "matches.csv",
        "partner_merges.csv",
        "rejects.csv",
        "summary.json",
    ]
    authorities = _graph(dataset / "authorities.ttl")
    # the steering committee's EPCI come from the curated records, Dijon from both sources
    assert (URIRef(ID + "epci/200040715"), AICT.siren, Literal("200040715")) in authorities
    assert (URIRef(ID + "commune/21231"), RDF.type, AICT.FrenchLocalAuthority) in authorities
    provenance = _graph(dataset / "provenance.ttl")
    source = URIRef(ID + "source/twin-cities-csv")
    assert provenance.value(source, DCTERMS.license) == URIRef("http://spdx.org/licenses/MIT")
