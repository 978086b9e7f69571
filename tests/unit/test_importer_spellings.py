"""One twinning found under two spellings of the partner ("Halle" and "Halle (Saale)") is
merged by evidence: same French authority and country, one name a form of the other,
positions close when both are known; everything else stays apart. The IRI merged away is
replaced (dct:isReplacedBy), and every candidate is listed in partner_merges.csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from publisher.config import DATA_DIR
from publisher.importer.build import import_twinnings
from publisher.importer.partner_spellings import HEADER, read_spelling, same_place

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "importer"
ID = "https://w3id.org/aict/id/"
REPORTS = DATA_DIR / "reports"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Halle", "Halle (Saale)"),
        ("Berlin – Mitte", "Mitte (Berlin)"),
        ("Ludwigshafen", "Ludwigshafen am Rhein"),
        ("Suzhou, Jiangsu", "Suzhou"),
        ("Budapest VII – Erzsébetváros", "Erzsébetváros (Budapest)"),
        ("St. Cloud", "Saint Cloud, Minnesota"),
    ],
)
def test_one_name_a_form_of_the_other(a: str, b: str) -> None:
    assert same_place(read_spelling(a), read_spelling(b))
    assert same_place(read_spelling(b), read_spelling(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Suzhou", "Wujiang (Suzhou)"),  # a city and one of its districts
        ("Berlin", "Berlin – Mitte"),
        ("Friedberg, Hesse", "Friedberg, Bavaria"),  # qualifiers that disagree
        ("Halle (Saale)", "Halle Neustadt (Saale)"),  # a longer name only when bare
        ("Mitte (Berlin)", "Mitte (Bonn)"),
    ],
)
def test_other_places_are_not_the_same(a: str, b: str) -> None:
    assert not same_place(read_spelling(a), read_spelling(b))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("spellings")
    import_twinnings(FIXTURES / "partner_spellings.csv", out)
    return out


def _graph(folder: Path) -> Graph:
    graph = Graph()
    for name in ("twinnings.ttl", "authorities.ttl", "provenance.ttl"):
        graph.parse(folder / name, format="turtle")
    return graph


def _line(n: int) -> URIRef:
    return URIRef(f"{ID}source/partner-spellings-csv/line/{n}")


def test_two_spellings_of_one_twinning_give_one_partnership(built: Path) -> None:
    graph = _graph(built)
    kept = URIRef(ID + "partnership/commune-38185--de-halle-saale")
    merged = URIRef(ID + "partnership/commune-38185--de-halle")
    assert set(graph.objects(kept, PROV.wasDerivedFrom)) == {_line(2), _line(3)}
    # The IRIs merged away say only where they went, so the publisher answers them 301.
    assert set(graph.predicate_objects(merged)) == {(DCTERMS.isReplacedBy, kept)}
    old_partner = URIRef(ID + "authority/de/halle")
    new_partner = URIRef(ID + "authority/de/halle-saale")
    assert set(graph.predicate_objects(old_partner)) == {(DCTERMS.isReplacedBy, new_partner)}
    assert Literal("Halle", lang="en") in set(graph.objects(new_partner, SKOS.altLabel))
    assert set(graph.objects(new_partner, PROV.wasDerivedFrom)) == {_line(2), _line(3)}
    mitte = URIRef(ID + "partnership/commune-59599--de-mitte-berlin")
    assert set(graph.objects(mitte, PROV.wasDerivedFrom)) == {_line(4), _line(5)}


def test_far_apart_or_different_places_stay_apart(built: Path) -> None:
    graph = _graph(built)
    for partnership in (
        "commune-21231--de-friedberg",  # 273 km from Friedberg, Hesse: refused
        "commune-21231--de-friedberg-hesse",
        "cn-suzhou--commune-56121",  # a city and its district
        "cn-wujiang-suzhou--commune-56121",
    ):
        iri = URIRef(ID + "partnership/" + partnership)
        assert graph.value(iri, DCTERMS.isReplacedBy) is None, partnership
        assert graph.value(iri, PROV.wasDerivedFrom) is not None, partnership


def test_every_candidate_is_reported_and_counted(built: Path) -> None:
    with (built / "partner_merges.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == HEADER
    decisions = {(r["merged_partner"].removeprefix(ID), r["decision"]) for r in rows}
    assert decisions == {
        ("authority/de/halle", "merged"),
        ("authority/de/berlin-mitte", "merged"),
        ("authority/de/friedberg", "refused"),
    }
    refused = next(r for r in rows if r["decision"] == "refused")
    assert "km apart" in refused["evidence"]
    summary = json.loads((built / "summary.json").read_text(encoding="utf-8"))
    assert summary["partner_spellings"] == {
        "merged_partnerships": 2,
        "refused_candidates": 1,
        "merged_partner_authorities": 2,
    }
    assert summary["partnerships"] == 7
    # Each merge is one more row merged into a partnership it shares with another row.
    assert (summary["imported_rows"], summary["merged_duplicates"]) == (9, 2)


def test_the_bundled_report_lists_every_merge_it_counts() -> None:
    with (REPORTS / "partner_merges.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    summary = json.loads((REPORTS / "summary.json").read_text(encoding="utf-8"))
    merged = [r for r in rows if r["decision"] == "merged"]
    assert len(merged) == summary["partner_spellings"]["merged_partnerships"] >= 35
    pairs = {(r["merged_partner"], r["kept_partner"]) for r in merged}
    assert (ID + "authority/de/halle", ID + "authority/de/halle-saale") in pairs
    assert (ID + "authority/de/berlin-mitte", ID + "authority/de/mitte-berlin") in pairs
    assert (ID + "authority/de/ludwigshafen", ID + "authority/de/ludwigshafen-am-rhein") in pairs
