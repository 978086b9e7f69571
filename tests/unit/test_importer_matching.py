"""Name, country and coordinate handling of the importer, on the real reference data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from publisher.config import SOURCES_DIR
from publisher.errors import InputError
from publisher.importer.countries import (
    CountryMatch,
    CountryRefusal,
    CountryResolver,
    load_aliases,
)
from publisher.importer.french_places import (
    FrenchPlace,
    FrenchPlaceResolver,
    Unresolved,
    load_exonyms,
)
from publisher.importer.geo import Point, coordinate_problem, distance_km, parse_point
from publisher.importer.names import normalise, split_qualifier, without_redundant_qualifier
from publisher.importer.reference import Reference, load_reference


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference(SOURCES_DIR / "decoupage-administratif-6.0.0")


@pytest.fixture(scope="module")
def countries() -> CountryResolver:
    return CountryResolver(load_aliases(SOURCES_DIR / "curated" / "country_aliases.csv"))


@pytest.fixture()
def places(reference: Reference) -> FrenchPlaceResolver:
    exonyms = load_exonyms(SOURCES_DIR / "curated" / "french_name_aliases.csv")
    return FrenchPlaceResolver(reference, exonyms)


def point(lat: str, long: str) -> Point:
    return Point(Decimal(lat), Decimal(long))


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("St-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
    ],
)
def test_normalise(raw: str, key: str) -> None:
    assert normalise(raw) == key


@pytest.mark.parametrize(
    ("raw", "name", "qualifier"),
    [
        ("Prague 6 (Prague)", "Prague 6", "Prague"),
        ("Vernouillet, Yvelines", "Vernouillet", "Yvelines"),
        ("Dijon", "Dijon", None),
        ("  Seynod  (Annecy) ", "Seynod", "Annecy"),
    ],
)
def test_split_qualifier(raw: str, name: str, qualifier: str | None) -> None:
    parsed = split_qualifier(raw)
    assert (parsed.name, parsed.qualifier) == (name, qualifier)


def test_countries_from_aliases_names_and_refusals(countries: CountryResolver) -> None:
    england = countries.resolve("England, United Kingdom")
    assert isinstance(england, CountryMatch) and england.country.iso3 == "GBR"
    assert england.country.name_fr == "Royaume-Uni"
    germany = countries.resolve("Germany")
    assert isinstance(germany, CountryMatch)
    assert (germany.country.iso2, germany.country.name_fr) == ("DE", "Allemagne")
    reunion = countries.resolve("Réunion, France")
    assert isinstance(reunion, CountryMatch) and reunion.is_france
    assert reunion.departement == "974"
    assert isinstance(countries.resolve("Kosovo"), CountryRefusal)
    assert countries.resolve("Narnia") is None
    assert countries.resolve("Germ") is None  # no fuzzy matching


def test_alias_table_errors_name_the_line(tmp_path: Path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("value,iso3,departement,note\nEngland,GBR,,ok\nAtlantis,ATL,,bad code\n")
    with pytest.raises(InputError) as caught:
        load_aliases(table)
    assert (caught.value.line, caught.value.field) == (3, "iso3")


def test_unique_name_exact(places: FrenchPlaceResolver) -> None:
    assert places.resolve("Dijon", None) == FrenchPlace("commune", "21231", "Dijon", "exact")


def test_former_commune_resolves_to_its_new_commune(places: FrenchPlaceResolver) -> None:
    found = places.resolve("Hesdin", None)
    assert found == FrenchPlace("commune", "62447", "Hesdin-la-Forêt", "former-commune")


def test_renamed_commune_through_the_reviewed_alias_table(places: FrenchPlaceResolver) -> None:
    assert places.resolve("Dunkirk", None).code == "59183"
    assert places.resolve("Oissel", None).name == "Oissel-sur-Seine"


def test_departement_qualifier_narrows_a_shared_name(places: FrenchPlaceResolver) -> None:
    assert places.resolve("Vernouillet, Yvelines", None).code == "78643"
    assert places.resolve("Vernouillet, Eure-et-Loir", None).code == "28404"


def test_commune_qualifier_finds_the_former_commune(places: FrenchPlaceResolver) -> None:
    found = places.resolve("Seynod (Annecy)", None)
    assert (found.code, found.method) == ("74010", "former-commune")


def test_overseas_departement_from_the_country_cell(places: FrenchPlaceResolver) -> None:
    assert places.resolve("Saint-Denis", None, "974").code == "97411"


def test_shared_name_without_position_is_ambiguous_with_candidates(
    places: FrenchPlaceResolver,
) -> None:
    found = places.resolve("Valence", None)
    assert isinstance(found, Unresolved) and found.reason == "ambiguous-french-city"
    assert found.candidates == (
        "commune 16392 Valence (16)",
        "commune 26362 Valence (26)",
        "commune 82186 Valence (82)",
    )


def test_position_near_anchors_of_one_departement_picks_that_commune(
    places: FrenchPlaceResolver,
) -> None:
    places.add_anchor("26", point("44.9", "4.9"))  # near Valence, Drôme
    places.add_anchor("82", point("44.0", "1.35"))
    places.add_anchor("16", point("45.65", "0.15"))
    found = places.resolve("Valence", point("44.9333", "4.8917"))
    assert found == FrenchPlace("commune", "26362", "Valence", "coordinates")


def test_position_between_two_departements_stays_ambiguous(places: FrenchPlaceResolver) -> None:
    places.add_anchor("28", point("48.72", "1.37"))
    places.add_anchor("78", point("48.97", "1.98"))  # 50 km apart: no clear margin
    found = places.resolve("Vernouillet", point("48.80", "1.60"))
    assert isinstance(found, Unresolved) and found.reason == "ambiguous-french-city"


def test_position_on_a_tiny_namesake_is_doubted(places: FrenchPlaceResolver) -> None:
    # Maurepas (Somme, 216 inhabitants) vs Maurepas (Yvelines, 20,629): the CSV's position
    # for the Yvelines town twinned with Waterlooville points at the Somme village.
    places.add_anchor("80", point("49.99", "2.85"))
    places.add_anchor("78", point("48.77", "1.95"))
    found = places.resolve("Maurepas", point("49.9906", "2.8479"))
    assert isinstance(found, Unresolved)
    assert found.reason == "ambiguous-french-city-doubtful-coordinates"


def test_unknown_names_and_intercommunalities(places: FrenchPlaceResolver) -> None:
    assert places.resolve("Saline", None) == Unresolved("unknown-french-city")
    found = places.resolve("Arras (communauté)", None)
    assert (found.kind, found.code, found.method) == ("epci", "200033579", "intercommunality")
    assert places.resolve("Essonne", None) == FrenchPlace(
        "departement", "91", "Essonne", "departement"
    )
    assert places.resolve("Métropole Rouen Normandie", None).kind == "epci"


def test_coordinates() -> None:
    assert parse_point("47.3167", "5.0167") == point("47.3167", "5.0167")
    assert parse_point("", "5.0") is None
    assert parse_point("91", "5.0") is None
    assert coordinate_problem("", 90) == "missing"
    assert coordinate_problem("abc", 90) == "invalid"
    assert coordinate_problem("-180.0", 180) is None
    paris, dijon = point("48.8566", "2.3522"), point("47.3220", "5.0415")
    assert 260 < distance_km(paris, dijon) < 265


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("Prague 6 (Prague)", "Prague 6"),
        ("Halle (Saale)", "Halle (Saale)"),
        ("Göttingen (district)", "Göttingen (district)"),
        ("Friedberg, Hesse", "Friedberg, Hesse"),
        ("  Mainz ", "Mainz"),
    ],
)
def test_partner_names_keep_qualifiers_that_identify(raw: str, label: str) -> None:
    assert without_redundant_qualifier(raw) == label


def test_anchor_geocoded_far_from_its_departement_is_discarded(
    places: FrenchPlaceResolver,
) -> None:
    for lat, long in (("44.84", "-0.58"), ("44.90", "-0.60"), ("44.75", "-0.70")):
        places.add_anchor("33", point(lat, long))
    places.add_anchor("33", point("51.2089", "3.2242"))  # Bruges (Gironde) put in Belgium
    assert places.prune_anchors() == 1
    assert places.distance_to_departement_km("33075", point("51.2089", "3.2242")) > 600
