"""The reviewed table of IRIs that moved: its checks (one fixture table per kind of error),
the triples it gives, and the committed build, where every old IRI is replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from publisher.config import DATASET_DIR, SOURCES_DIR
from publisher.errors import InputError
from publisher.importer.build import MOVED_IRIS
from publisher.importer.moved_iris import (
    HEADER,
    build_moved_iris,
    check_moved_iris,
    read_moved_iris,
)
from publisher.namespaces import DCTERMS

ID = "https://w3id.org/aict/id/"
ODZ, LODZ = ID + "authority/pl/odz", ID + "authority/pl/lodz"
BELIL, BELOEIL = ID + "authority/be/belil", ID + "authority/be/beloeil"
SUBJECTS = frozenset({LODZ, BELOEIL, ID + "commune/21231"})


def _table(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "moved.csv"
    path.write_text("\n".join([",".join(HEADER), *rows]) + "\n", encoding="utf-8")
    return path


def test_a_good_table_gives_one_replacement_per_row(tmp_path: Path) -> None:
    path = _table(tmp_path, [f"{ODZ},{LODZ},slug", "", f'{BELIL},{BELOEIL},"œ, now oe"'])
    rows = read_moved_iris(path)
    assert [(r.line, r.old, r.new, r.reason) for r in rows] == [
        (2, ODZ, LODZ, "slug"),
        (4, BELIL, BELOEIL, "œ, now oe"),
    ]
    check_moved_iris(path, rows, SUBJECTS)
    assert set(build_moved_iris(rows)) == {
        (URIRef(ODZ), DCTERMS.isReplacedBy, URIRef(LODZ)),
        (URIRef(BELIL), DCTERMS.isReplacedBy, URIRef(BELOEIL)),
    }


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([f"{ODZ},{LODZ}"], ":2 [row]: expected 3 fields, got 2"),
        ([f"{ODZ},{LODZ},"], ":2 [reason]: empty cell"),
        ([f",{LODZ},x"], ":2 [old_iri]: empty cell"),
        (
            [f"pl/odz,{LODZ},x"],
            f":2 [old_iri]: 'pl/odz' is not an IRI under {ID}",
        ),
        (
            [f"{ODZ},https://example.org/id/authority/pl/lodz,x"],
            f":2 [new_iri]: 'https://example.org/id/authority/pl/lodz' is not an IRI under {ID}",
        ),
        ([f"{ODZ},{ID}authority/pl/łodz,x"], ":2 [new_iri]: "),
        ([f"{ODZ},{ID}authority/../lodz,x"], ":2 [new_iri]: "),
        ([f"{ODZ},{ID},x"], ":2 [new_iri]: "),
        (
            [f"{ODZ},{LODZ},x", f"{ODZ},{BELOEIL},y"],
            f":3 [old_iri]: {ODZ} is already moved on line 2",
        ),
        (
            [f"{ODZ},{BELIL},x", f"{BELIL},{BELOEIL},y"],
            f":2 [new_iri]: {BELIL} is itself moved on line 3: give the final IRI",
        ),
        (
            [f"{BELIL},{BELOEIL},x", f"{LODZ},{BELOEIL},y"],
            f":3 [old_iri]: {LODZ} is still a resource of the dataset",
        ),
        (
            [f"{ODZ},{ID}authority/pl/lodz-2,x"],
            f":2 [new_iri]: {ID}authority/pl/lodz-2 is not a resource of the dataset",
        ),
    ],
)
def test_a_bad_table_is_refused_with_its_line_and_field(
    tmp_path: Path, rows: list[str], message: str
) -> None:
    path = _table(tmp_path, rows)
    with pytest.raises(InputError) as caught:
        check_moved_iris(path, read_moved_iris(path), SUBJECTS)
    assert f"{path}{message}" in str(caught.value)


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "moved.csv"
    path.write_text(f"old,new,reason\n{ODZ},{LODZ},x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":1 \[header\]: header must be old_iri,new_iri,reason"):
        read_moved_iris(path)


def test_a_carriage_return_inside_a_row_is_refused(tmp_path: Path) -> None:
    # The table as first handed over had a stray CR after each new IRI.
    path = tmp_path / "moved.csv"
    path.write_bytes(f"old_iri,new_iri,reason\n{ODZ},{LODZ}\r,x\n".encode())
    with pytest.raises(InputError, match=r"\[row\]: expected 3 fields, got 2"):
        read_moved_iris(path)


def test_the_committed_dataset_replaces_every_old_iri_of_the_table() -> None:
    rows = read_moved_iris(SOURCES_DIR / MOVED_IRIS)
    assert len(rows) == 108
    assert sum("/id/authority/" in r.old for r in rows) == 53
    provenance = Graph().parse(DATASET_DIR / "provenance.ttl", format="turtle")
    for row in rows:
        assert list(provenance.predicate_objects(URIRef(row.old))) == [
            (DCTERMS.isReplacedBy, URIRef(row.new))
        ]
    munster = ID + "partnership/commune-45234--de-munster"
    assert {r.old: r.new for r in rows}[munster] == ID + "partnership/commune-45234--de-muenster"
    # Munster (Lower Saxony) keeps its IRI: it is no old IRI
    assert ID + "authority/de/munster" not in {r.old for r in rows}


def test_cli_refuses_a_table_that_disagrees_with_the_dataset_with_exit_2(
    sources_with, refused_import
) -> None:
    dijon = ID + "commune/21231"
    table = sources_with(MOVED_IRIS, f"{','.join(HEADER)}\n{dijon},{LODZ},x\n")
    output = refused_import()
    assert f"{table}:2 [old_iri]: {dijon} is still a resource of the dataset" in output
