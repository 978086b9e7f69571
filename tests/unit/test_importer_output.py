"""Writing: deterministic Turtle, all-or-nothing folders, curated records with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from publisher.config import SOURCES_DIR
from publisher.errors import AictError, InputError
from publisher.importer.curated import build_curated
from publisher.importer.output import write_folders
from publisher.importer.reference import load_reference
from publisher.importer.rejects import Reject, render_rejects
from publisher.importer.turtle import serialize_turtle
from publisher.namespaces import AICT, SCHEMA

A = URIRef("https://w3id.org/aict/id/commune/21231")
B = URIRef("https://w3id.org/aict/id/commune/57463")


def test_turtle_is_sorted_and_independent_of_insertion_order() -> None:
    triples = [
        (B, RDFS.label, Literal("Metz", lang="fr")),
        (A, RDFS.label, Literal("Dijon", lang="fr")),
        (A, RDF.type, AICT.FrenchLocalAuthority),
        (A, AICT.population, Literal(161830)),
    ]
    forward, backward = Graph(), Graph()
    for t in triples:
        forward.add(t)
    for t in reversed(triples):
        backward.add(t)
    text = serialize_turtle(forward, "header")
    assert text == serialize_turtle(backward, "header")
    assert text.startswith("# header\n@prefix ")
    body = text[text.index("\n\n") + 2 :]
    assert body == (
        "<https://w3id.org/aict/id/commune/21231>\n"
        "    a aict:FrenchLocalAuthority ;\n"
        '    rdfs:label "Dijon"@fr ;\n'
        '    aict:population "161830"^^xsd:integer .\n'
        "\n"
        "<https://w3id.org/aict/id/commune/57463>\n"
        '    rdfs:label "Metz"@fr .\n'
    )
    assert len(Graph().parse(data=text, format="turtle")) == 4


def test_blank_nodes_are_refused() -> None:
    g = Graph()
    g.add((A, RDFS.seeAlso, BNode()))
    with pytest.raises(AictError):
        serialize_turtle(g)


def test_reject_report_is_sorted_csv() -> None:
    text = render_rejects(
        [
            Reject(9, "city2", "Bagneux", "ambiguous-french-city", ("a", "b")),
            Reject(3, "country1", "Narnia, North", "unknown-country"),
        ]
    )
    assert text == (
        "line,field,value,reason,candidates\n"
        '3,country1,"Narnia, North",unknown-country,\n'
        "9,city2,Bagneux,ambiguous-french-city,a | b\n"
    )


def test_reject_report_defuses_spreadsheet_formulas() -> None:
    text = render_rejects(
        [
            Reject(2, "city1", '=HYPERLINK("x")', "unknown-french-city"),
            Reject(3, "lng1", "-1.08x", "invalid-coordinates"),
            Reject(4, "lat1", "-91.5", "invalid-coordinates"),
        ]
    )
    assert text.splitlines()[1:] == [
        '2,city1,"\'=HYPERLINK(""x"")",unknown-french-city,',
        "3,lng1,'-1.08x,invalid-coordinates,",
        "4,lat1,-91.5,invalid-coordinates,",
    ]


def test_folder_is_replaced_whole_and_foreign_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    (out / "old.ttl").write_text("old")
    (out / "README").write_text("keep me")
    write_folders({out: {"old.ttl": b"new", "other.ttl": b"x"}})
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "old.ttl": "new",
        "other.ttl": "x",
        "README": "keep me",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_output_path_that_is_a_file_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    good, blocked = tmp_path / "good", tmp_path / "blocked"
    blocked.write_text("a file")
    with pytest.raises(InputError):
        write_folders({good: {"a.ttl": b"a"}, blocked: {"b.ttl": b"b"}})
    assert not good.exists()
    assert blocked.read_text() == "a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


@pytest.fixture(scope="module")
def reference():
    return load_reference(SOURCES_DIR / "decoupage-administratif-6.0.0")


def test_bundled_curated_records_resolve_the_steering_committee(reference) -> None:
    result = build_curated(SOURCES_DIR / "curated" / "records.toml", reference, "records.toml")
    assert result.communes == {"21231"}
    assert result.epcis == {"200040715", "245400676"}  # Grenoble-Alpes-Métropole, Grand Nancy
    amount = URIRef("https://w3id.org/aict/id/amount/cuf-fonds-solidarite-haiti-2021")
    assert str(result.graph.value(amount, SCHEMA.value)) == "140000"
    for record in result.graph.subjects(RDF.type, None):
        assert result.graph.value(record, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))


@pytest.mark.parametrize(
    ("entry", "line", "field"),
    [
        (
            '[[organisation]]\nkey = "x"\nlabel_fr = "X"\nlabel_en = "X"\nsources = []\n',
            1,
            "sources",
        ),
        (
            '# c\n\n[[committee]]\nkey = "c"\nlabel_fr = "C"\nlabel_en = "C"\n'
            'communes = ["99999"]\nsources = ["https://example.org/"]\n',
            3,
            "communes",
        ),
        (
            '[[action]]\nkey = "a"\nlabel_fr = "A"\nlabel_en = "A"\namount_eur = -5\n'
            'sources = ["https://example.org/"]\n',
            1,
            "amount_eur",
        ),
    ],
)
def test_curated_errors_name_line_and_field(tmp_path: Path, reference, entry, line, field) -> None:
    path = tmp_path / "records.toml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_curated(path, reference, "records.toml")
    assert (caught.value.line, caught.value.field) == (line, field)


def test_broken_reference_file_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "decoupage"
    folder.mkdir()
    (folder / "communes.json").write_text(
        '[\n{"code":"21231","nom":"Dijon","type":"commune-actuelle","departement":"21",'
        '"region":"27","siren":"212102313"},\n{"code": oops},\n]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_reference(folder)
    assert caught.value.file.endswith("communes.json")
    assert caught.value.line == 3
