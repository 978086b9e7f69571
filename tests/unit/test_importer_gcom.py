"""`aict import gcom` on a small signatories workbook written here with openpyxl, in the JRC's
layout: resolution (name, kind, position, coordinator, reviewed table, groups), the RDF it
gives, its reports, refusals of unreadable workbooks, and no mayor's name anywhere."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import SOURCES_DIR, Settings
from publisher.importer.build import GCOM_TABLE, import_gcom
from publisher.importer.gcom import TABLE_HEADER
from publisher.importer.gcom_workbook import COLUMNS
from publisher.namespaces import ADMS, AICT, DCAT, ORG, PROV
from publisher.prefixes import BASE
from publisher.validation import validate
from publisher.validation.report import Severity

ID = "https://w3id.org/aict/id/"
VOCAB = "https://w3id.org/aict/vocab/"
# The JRC's column order, with the mayor column where the JRC puts it. Rows reuse real
# organisation ids and adhesion dates, so the output validates beside the bundled data.
HEADER = (
    "organisation_id",
    "organisation_name",
    "coordinator_name",
    "supporter_name",
    "country_code",
    "country_name",
    "population_adhesion",
    "organisation_latitude",
    "organisation_longitude",
    "group_organisation_id",
    "group_name",
    "commitment_CoM2020_flag",
    "commitment_CoM2030_flag",
    "commitment_CoM2050_flag",
    "commitment_mayoradapt_flag",
    "adhesion_type",
    "signatory_status",
    "mayor",
    "date_of_adhesion",
    "action_plan_expected",
    "group_profile",
    "gcom_id",
)
ALONE = "As an individual signatory"
TOGETHER = "As a group of signatories committing collectively (joint SEAP - option 2)"
MAYORS = ("Hortense Zyxwvutsky", "Barnabé Qwertzuiop", "Ophélie Mnbvcxzlk")


def _row(oid, name, *, coordinator="-", supporter="-", country="fr", lat=None, long=None,
         group=("-", "-"), flags=(True, False, False, False), kind=ALONE, status="published",
         mayor=MAYORS[0], date=datetime.datetime(2009, 2, 2), gcom_id="FR9999"):  # fmt: skip
    return (
        oid, name, coordinator, supporter, country, "France", 1000, lat, long, *group, *flags,
        kind, status, mayor, date, True, False, gcom_id,
    )  # fmt: skip


ROWS = [
    # line 2: a commune by its unique name, with a supporter network
    _row(
        11779,
        "Grenoble",
        supporter="Energy Cities",
        flags=(True, True, False, True),
        date=datetime.datetime(2008, 11, 17),
        gcom_id="FR0028",
    ),
    # line 3: an EPCI by its name without words of kind
    _row(11780, "GRENOBLE-ALPES-METROPOLE", mayor=MAYORS[1], date=datetime.datetime(2008, 10, 17)),
    # line 4: not French: ignored
    _row(50000, "Berlin", country="de", mayor=MAYORS[2]),
    # line 5: a name four communes share; its coordinator holds one of them
    _row(
        12091,
        "Saint-Gilles",
        coordinator="Rennes Metropole",
        status="on_hold",
        date=datetime.datetime(2009, 2, 17),
    ),
    # line 6: a name two communes share, nothing to tell them apart
    _row(12137, "Chelles"),
    # line 7: two authorities in one cell, a group
    _row(
        20702,
        "Communauté d'Agglomération de La Rochelle et Ville de La Rochelle",
        lat=46.160329,
        long=-1.151139,
        kind=TOGETHER,
        date=datetime.datetime(2013, 7, 11),
    ),
    # line 8: a group whose members have rows of their own (line 9)
    _row(19677, "Tour(s)plus & Tours", kind=TOGETHER),
    _row(
        21157,
        "Ville de Tours",
        group=(19677, "Tour(s)plus & Tours"),
        kind=TOGETHER,
        lat=47.394144,
        long=0.68484,
        date=datetime.datetime(2015, 9, 7),
    ),
    # line 10: renamed since: the reviewed table settles it
    _row(
        19155,
        "Communauté d'agglomération Tour(s)plus",
        group=(19677, "Tour(s)plus & Tours"),
        date=datetime.datetime(2015, 9, 9),
    ),
    # line 11: an établissement public territorial, not in the découpage data
    _row(11795, "PLAINE COMMUNE"),
    # line 12: a commitment cell that is not a boolean
    _row(12000, "Metz", flags=("yes", False, False, False)),
    # line 13: a status the JRC does not define
    _row(12001, "Colmar", status="withdrawn"),
]


def _workbook(path: Path, header=HEADER, rows=ROWS, sheet="1") -> Path:
    book = Workbook()
    book.active.title = "README"
    data = book.create_sheet(sheet)
    data.append(header)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gcom")
    import_gcom(_workbook(folder / "signatories.xlsx"), folder / "out")
    return folder / "out"


@pytest.fixture(scope="module")
def gcom(imported: Path) -> Graph:
    return Graph().parse(imported / "gcom.ttl", format="turtle")


def _membership(key: str) -> URIRef:
    return URIRef(f"{ID}membership/gcom-{key}")


def _members(g: Graph) -> set[str]:
    return {str(o)[len(ID) :] for o in g.objects(None, ORG.member)}


def test_every_resolvable_row_becomes_a_membership_of_the_right_authority(gcom: Graph) -> None:
    assert _members(gcom) == {
        "commune/38185",  # Grenoble
        "epci/200040715",  # Grenoble-Alpes-Métropole
        "commune/35275",  # Saint-Gilles, Ille-et-Vilaine, a commune of Rennes Métropole
        "epci/241700434",  # CA de La Rochelle
        "commune/17300",  # La Rochelle
        "commune/37261",  # Tours
        "epci/243700754",  # Tours Métropole Val de Loire, formerly Tour(s)plus
    }


def test_membership_carries_commitments_status_period_and_source_row(gcom: Graph) -> None:
    membership = _membership("11779")
    assert (membership, RDF.type, ORG.Membership) in gcom
    assert set(gcom.objects(membership, AICT.commitment)) == {
        URIRef(f"{VOCAB}covenant-commitment/{n}") for n in ("com2020", "com2030", "mayorsAdapt")
    }
    assert gcom.value(membership, ADMS.status) == URIRef(f"{VOCAB}status/implementation")
    assert gcom.value(membership, ORG.organization) == URIRef(
        f"{ID}organisation/covenant-of-mayors"
    )
    period = gcom.value(membership, ORG.memberDuring)
    assert gcom.value(period, DCAT.startDate) == Literal("2008-11-17", datatype=XSD.date)
    assert gcom.value(membership, PROV.wasDerivedFrom) == URIRef(
        f"{ID}source/signatories-xlsx/line/2"
    )
    on_hold = _membership("12091")
    assert gcom.value(on_hold, ADMS.status) == URIRef(f"{VOCAB}status/suspended")


def test_the_action_is_a_network_participation_with_its_supporter(gcom: Graph) -> None:
    action = URIRef(f"{ID}action/gcom-11779")
    assert gcom.value(action, AICT.actionType) == URIRef(f"{VOCAB}action-type/networkParticipation")
    assert gcom.value(action, AICT.leadAuthority) == URIRef(f"{ID}commune/38185")
    association = gcom.value(action, PROV.qualifiedAssociation)
    assert gcom.value(association, PROV.agent) == URIRef(f"{ID}organisation/energy-cities")
    assert gcom.value(association, PROV.hadRole) == URIRef(
        f"{VOCAB}partner-role/technicalExpertise"
    )


def test_a_group_cell_is_split_into_one_membership_per_authority(gcom: Graph) -> None:
    assert {str(m).rsplit("/", 1)[-1] for m in gcom.subjects(RDF.type, ORG.Membership)} >= {
        "gcom-20702-epci-241700434",
        "gcom-20702-commune-17300",
    }


def test_the_reviewed_row_is_cited_beside_the_workbook_row(gcom: Graph) -> None:
    sources = set(gcom.objects(_membership("19155"), PROV.wasDerivedFrom))
    assert sources == {
        URIRef(f"{ID}source/signatories-xlsx/line/10"),
        URIRef(f"{ID}source/gcom-signatories-csv/line/2"),
    }


def test_rejects_name_line_field_and_reason(imported: Path) -> None:
    lines = (imported / "gcom_rejects.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["6", "organisation_name", "Chelles", "ambiguous-french-city"],
        ["11", "organisation_name", "PLAINE COMMUNE", "unknown-authority"],
        ["12", "commitment_CoM2020_flag", "yes", "not-a-boolean"],
        ["13", "signatory_status", "withdrawn", "unknown-status"],
    ]


def test_matches_say_how_each_row_was_resolved(imported: Path) -> None:
    lines = (imported / "gcom_matches.csv").read_text(encoding="utf-8").splitlines()
    methods = {line.split(",")[0]: line.split(",")[3] for line in lines[1:]}
    assert methods["5"] == "member-of-coordinator"
    assert methods["7"] == "group-cell"
    assert methods["8"] == "group-member-rows"
    assert methods["10"] == "reviewed-table"


def test_summary_counts_rows_resolved_against_the_target(imported: Path) -> None:
    gcom = json.loads((imported / "summary.json").read_text(encoding="utf-8"))["gcom"]
    assert (gcom["rows_read"], gcom["french_rows"]) == (12, 11)
    # imported 6 (lines 2, 3, 5, 7, 9, 10) + the group of line 8 split into its member rows
    assert (gcom["imported_rows"], gcom["groups_split_into_member_rows"]) == (6, 1)
    assert (gcom["resolved_rows"], gcom["rejected_rows"]) == (7, 4)
    assert gcom["rate"] == round(7 / 11, 4) and gcom["target_met"] is False
    assert gcom["memberships_by_commitment"]["com2020"] == 7


def test_output_conforms_to_the_shapes(imported: Path) -> None:
    # With the bundled data as reference (vocabularies, source records described there).
    report = validate([imported / "gcom.ttl", imported / "authorities.ttl"], settings=Settings())
    violations = [
        (r.focus_node, r.message_en) for r in report.results if r.severity == Severity.VIOLATION
    ]
    assert not report.fails(), violations[:5]


def test_no_mayor_name_is_written(imported: Path) -> None:
    for path in imported.iterdir():
        text = path.read_text(encoding="utf-8")
        for name in MAYORS:
            assert name not in text, path.name
            assert name.split()[-1] not in text, path.name


def test_the_reader_never_names_the_mayor_column() -> None:
    assert "mayor" not in COLUMNS


def test_cli_imports_a_workbook(tmp_path: Path) -> None:
    workbook = _workbook(tmp_path / "release.xlsx", rows=ROWS[:2])
    result = CliRunner().invoke(
        app, ["import", "gcom", str(workbook), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    assert "2 rows read, 2 French, 2 resolved" in result.output
    assert (tmp_path / "o" / "gcom.ttl").is_file()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("not a workbook"), "not an Excel workbook"),
        (lambda p: _workbook(p, sheet="Signatories"), "no sheet '1'"),
        (
            lambda p: _workbook(p, header=tuple(h for h in HEADER if h != "gcom_id")),
            "[gcom_id]: sheet '1': column 'gcom_id' missing",
        ),
    ],
)
def test_an_unreadable_workbook_is_refused_and_nothing_written(
    tmp_path: Path, make, expected: str
) -> None:
    workbook = tmp_path / "bad.xlsx"
    make(workbook)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["import", "gcom", str(workbook), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in result.output and "bad.xlsx" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_every_reviewed_row_cites_a_public_page_and_our_own_iri_is_refused(
    tmp_path: Path, sources_with
) -> None:
    bundled = (SOURCES_DIR / GCOM_TABLE).read_text(encoding="utf-8")
    for line, values in enumerate(csv.reader(bundled.splitlines()[1:]), start=2):
        url = values[TABLE_HEADER.index("source_url")]
        assert url.startswith("https://") and not url.startswith(BASE), (line, url)
    own = bundled.replace("https://fr.wikipedia.org/wiki/Grand-Bourg", f"{ID}commune/97112")
    table = sources_with(GCOM_TABLE, own)
    workbook = _workbook(tmp_path / "release.xlsx", rows=ROWS[:2])
    args = ["import", "gcom", str(workbook), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, [*args, "--sources", str(tmp_path / "sources")])
    assert result.exit_code == 2, result.output
    line = bundled.splitlines().index(next(s for s in bundled.splitlines() if "97112" in s)) + 1
    assert f"{table}:{line} [source_url]: {ID}commune/97112 is one of this project's IRIs" in (
        result.output
    )
    assert not (tmp_path / "o").exists()
