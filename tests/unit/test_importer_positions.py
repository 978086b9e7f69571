"""Partner positions outside the partner's country: kept without coordinates and reported,
on a fixture CSV of real rows (tests/data/importer/SOURCE.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from publisher.config import SOURCES_DIR
from publisher.importer import import_twinnings
from publisher.importer.build import MANIFEST
from publisher.importer.provenance import load_manifest
from publisher.namespaces import AICT, DCTERMS, GEO
from publisher.world_atlas import WORLD_ATLAS

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "importer" / "partner_positions.csv"
ID = "https://w3id.org/aict/id/"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("positions")
    import_twinnings(FIXTURE, folder)
    return folder


def _authorities(out: Path) -> Graph:
    return Graph().parse(out / "authorities.ttl", format="turtle")


def test_a_namesake_abroad_loses_its_coordinates_and_is_reported(out: Path) -> None:
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # York (United States) placed at York, England; Guadalajara (Spain) in Mexico; St Mary's
    # Bay (Kent) at St Mary's in the Isles of Scilly, 49 km off the 1:50m outline.
    assert [(r["line"], r["field"], r["value"], r["reason"], r["candidates"]) for r in rows] == [
        ("2", "lat2", "53.96,-1.08", "coordinates-outside-country", "4695 km from USA"),
        ("3", "lat2", "20.6767,-103.3475", "coordinates-outside-country", "8503 km from ESP"),
        ("9", "lat2", "49.922,-6.297", "coordinates-outside-country", "49 km from GBR"),
    ]
    g = _authorities(out)
    york = URIRef(ID + "authority/us/york")
    assert (york, RDF.type, AICT.PartnerLocalAuthority) in g
    assert g.value(york, GEO.lat) is None and g.value(york, GEO.long) is None
    # still derived from its row: only the position is dropped
    assert g.value(york, PROV.wasDerivedFrom) == URIRef(ID + "source/partner-positions-csv/line/2")


def test_a_later_row_inside_the_country_gives_the_position(out: Path) -> None:
    g = _authorities(out)
    guadalajara = URIRef(ID + "authority/es/guadalajara")
    # line 3 placed it in Mexico, line 10 (same partner, another French town) in Spain
    assert str(g.value(guadalajara, GEO.lat)) == "40.6333"


@pytest.mark.parametrize(
    ("slug", "lat"),
    [
        ("hr/dubrovnik", "42.6403"),  # on the coast, 1.7 km off the outline
        ("mt/marsaskala", "35.8625"),  # coast of a small island state
        ("mc/monaco", "43.7311"),  # a tiny state
        ("ua/yalta", "44.4994"),  # Crimea: Ukraine per ISO 3166, drawn as Russia
        ("eh/dakhla", "24.1797"),  # Western Sahara west of the berm, drawn as Morocco
    ],
)
def test_coastal_and_small_places_keep_their_coordinates(out: Path, slug: str, lat: str) -> None:
    assert str(_authorities(out).value(URIRef(ID + "authority/" + slug), GEO.lat)) == lat


def test_the_rows_are_imported_and_counted_apart_from_rejected_rows(out: Path) -> None:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["imported_rows"], summary["rejected_rows"]) == (9, 0)
    assert summary["rejects_by_reason"] == {}
    assert summary["partner_coordinates_outside_country"] == {
        "tolerance_km": 25.0,
        "rows": 3,
        "partner_authorities": 2,
    }


def test_the_atlas_is_a_source_of_the_import(out: Path) -> None:
    provenance = Graph().parse(out / "provenance.ttl", format="turtle")
    atlas = URIRef(ID + "source/countries-50m-json")
    assert (atlas, RDF.type, PROV.Entity) in provenance
    assert (None, PROV.used, atlas) in provenance
    assert provenance.value(atlas, DCTERMS.license) is not None


def test_the_manifest_names_the_atlas_the_importer_reads() -> None:
    entries = [s for s in load_manifest(SOURCES_DIR / MANIFEST) if s.name == WORLD_ATLAS.name]
    assert len(entries) == 1
    assert (SOURCES_DIR / entries[0].path).resolve() == WORLD_ATLAS
