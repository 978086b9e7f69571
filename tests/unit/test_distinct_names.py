"""The reviewed table of partner names kept apart: its checks on load, its effect on an
import, and the committed build, where Münster and Munster are two authorities."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from publisher.config import DATASET_DIR, SOURCES_DIR
from publisher.errors import InputError
from publisher.importer import import_twinnings
from publisher.importer.build import COUNTRY_ALIASES, DISTINCT_PARTNER_NAMES
from publisher.importer.countries import CountryResolver, load_aliases
from publisher.importer.distinct_names import HEADER, load_distinct_names
from publisher.namespaces import AICT

ID = "https://w3id.org/aict/id/"
MUNSTER = URIRef(ID + "authority/de/munster")
MUENSTER = URIRef(ID + "authority/de/muenster")
# Rows as written in twin_cities.csv (lines 9056, 9661, 9186, 17578).
TWINNINGS = """city1,country1,lat1,lng1,city2,country2,lat2,lng2
Éragny,France,49.0192,2.0911,Munster,Germany,52.25,-9
Orléans,France,47.9025,1.909,Münster,Germany,51.9625,7.6256
Grenoble,France,45.1715,5.7224,Chişinău,Moldova,47.0245,28.8323
Chișinău,Moldova,47.0228,28.8353,Grenoble,France,45.1715,5.7224
"""


@pytest.fixture(scope="module")
def countries() -> CountryResolver:
    return CountryResolver(load_aliases(SOURCES_DIR / COUNTRY_ALIASES))


def _table(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "distinct.csv"
    path.write_text("\n".join([",".join(HEADER), *rows]) + "\n", encoding="utf-8")
    return path


def test_the_bundled_table_loads_with_munster_first(countries: CountryResolver) -> None:
    table = load_distinct_names(SOURCES_DIR / DISTINCT_PARTNER_NAMES, countries)
    first = table.rows[0]
    assert (first.line, first.partner, first.iso3, first.slug) == (2, "Münster", "DEU", "muenster")
    assert table.slug("Münster", "DEU") == "muenster"
    # the key is the exact spelling: the folded name keeps its own IRI
    assert table.slug("Munster", "DEU") is None
    assert table.slug("Münster", "AUT") is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["Münster,Germany,muenster"], ":2 [row]: expected 4 fields, got 3"),
        (["Münster,Germany,,x"], ":2 [slug]: empty cell"),
        (["Münster,Germany,muenster,"], ":2 [note]: empty cell"),
        (["Münster,Narnia,muenster,x"], ":2 [partner_country]: 'Narnia' is not a known country"),
        (
            ["Münster,Germany,Muenster,x"],
            ":2 [slug]: 'Muenster' is not a slug (lower-case ASCII letters, digits, hyphens)",
        ),
        (
            ["Münster,Germany,münster,x"],
            ":2 [slug]: 'münster' is not a slug (lower-case ASCII letters, digits, hyphens)",
        ),
        (["Münster,Germany,---,x"], ":2 [slug]: '---' is not a slug"),
        (
            ["Münster,Germany,munster,x"],
            ":2 [slug]: 'munster' is what the name gives anyway: the row changes nothing",
        ),
        (
            ["Münster,Germany,muenster,x", "Münster,Germany,munster-nrw,y"],
            ":3 [partner]: the name 'Münster' is already given for this country on line 2",
        ),
        (
            ["Münster,Germany,muenster,x", "Münster (Westphalia),Germany,muenster,y"],
            ":3 [slug]: the slug 'muenster' is already given for this country on line 2",
        ),
    ],
)
def test_a_bad_table_is_refused_with_its_line_and_field(
    tmp_path: Path, countries: CountryResolver, rows: list[str], message: str
) -> None:
    path = _table(tmp_path, rows)
    with pytest.raises(InputError) as caught:
        load_distinct_names(path, countries)
    assert f"{path}{message}" in str(caught.value)


def test_a_wrong_header_is_refused(tmp_path: Path, countries: CountryResolver) -> None:
    path = tmp_path / "distinct.csv"
    path.write_text("name,country,slug,note\nMünster,Germany,muenster,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":1 \[header\]: header must be partner,"):
        load_distinct_names(path, countries)


def test_same_name_in_another_country_is_allowed(
    tmp_path: Path, countries: CountryResolver
) -> None:
    path = _table(tmp_path, ["Münster,Germany,muenster,x", "Münster,Austria,muenster,y"])
    table = load_distinct_names(path, countries)
    assert (table.slug("Münster", "DEU"), table.slug("Münster", "AUT")) == ("muenster",) * 2


def test_import_keeps_munster_apart_and_still_merges_spellings(tmp_path: Path) -> None:
    csv_path = tmp_path / "twinnings.csv"
    csv_path.write_text(TWINNINGS, encoding="utf-8")
    out = tmp_path / "out"
    import_twinnings(csv_path, out)
    authorities = Graph().parse(out / "authorities.ttl", format="turtle")
    source = ID + "source/twinnings-csv/line/"
    assert set(authorities.objects(MUNSTER, PROV.wasDerivedFrom)) == {URIRef(source + "2")}
    assert set(authorities.objects(MUENSTER, PROV.wasDerivedFrom)) == {URIRef(source + "3")}
    chisinau = URIRef(ID + "authority/md/chisinau")
    assert set(authorities.objects(chisinau, PROV.wasDerivedFrom)) == {
        URIRef(source + "4"),
        URIRef(source + "5"),
    }
    assert {str(label) for label in authorities.objects(chisinau, SKOS.altLabel)} == {"Chișinău"}


def test_cli_refuses_a_bad_bundled_table_with_exit_2(sources_with, refused_import) -> None:
    text = ",".join(HEADER) + "\nMünster,Germany,muenster\n"
    table = sources_with(DISTINCT_PARTNER_NAMES, text)
    assert f"{table}:2 [row]: expected 4 fields, got 3" in refused_import()


def test_bundled_dataset_has_munster_and_muenster_with_their_own_lines() -> None:
    authorities = Graph().parse(DATASET_DIR / "authorities.ttl", format="turtle")
    twinnings = Graph().parse(DATASET_DIR / "twinnings.ttl", format="turtle")
    line = ID + "source/twin-cities-csv/line/"
    for iri in (MUNSTER, MUENSTER):
        assert (iri, RDF.type, AICT.PartnerLocalAuthority) in authorities
    # Munster (Lower Saxony): Éragny, Michurinsk, Radcliff; Münster (NRW): Orléans. Only
    # rows with a French side are imported.
    assert set(authorities.objects(MUNSTER, PROV.wasDerivedFrom)) == {URIRef(line + "9056")}
    assert set(authorities.objects(MUENSTER, PROV.wasDerivedFrom)) == {URIRef(line + "9661")}
    assert [str(x) for x in authorities.objects(MUNSTER, SKOS.prefLabel)] == ["Munster"]
    assert [str(x) for x in authorities.objects(MUENSTER, SKOS.prefLabel)] == ["Münster"]
    assert set(authorities.objects(MUNSTER, SKOS.altLabel)) == set()
    assert set(twinnings.objects(MUNSTER, AICT.twinnedWith)) == {
        URIRef(ID + "commune/95218")  # Éragny-sur-Oise
    }
    assert set(twinnings.objects(MUENSTER, AICT.twinnedWith)) == {
        URIRef(ID + "commune/45234")  # Orléans
    }
    hanoi = URIRef(ID + "authority/vn/dong-da-hanoi")
    assert (hanoi, RDF.type, AICT.PartnerLocalAuthority) in authorities
    assert not set(authorities.predicate_objects(URIRef(ID + "authority/vn/ong-a-hanoi")))
