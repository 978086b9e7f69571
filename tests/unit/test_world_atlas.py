"""Distances from known places to country outlines of the vendored world atlas (Natural Earth
1:50m, ISO 3166 view)."""

from __future__ import annotations

import pytest

from publisher.world_atlas import distance_to_country_km, load_countries, load_iso_outlines


@pytest.mark.parametrize(
    ("lat", "lon", "iso3"),
    [
        (47.3167, 5.0167, "FRA"),  # Dijon
        (49.9994, 8.2736, "DEU"),  # Mainz
        (43.94, 12.45, "SMR"),  # San Marino, enclosed in Italy
        (66.0, 100.0, "RUS"),  # central Siberia
    ],
)
def test_a_town_inside_its_country_is_at_zero(lat: float, lon: float, iso3: str) -> None:
    assert distance_to_country_km(lat, lon, iso3) == 0.0


def test_a_town_across_a_border_is_at_its_distance_from_it() -> None:
    # Strasbourg cathedral is some 3 to 4 km from the Rhine, Lille some 12 km from Belgium.
    assert distance_to_country_km(48.5734, 7.7521, "DEU") == pytest.approx(4, abs=1.5)
    assert distance_to_country_km(50.6292, 3.0573, "BEL") == pytest.approx(12, abs=3)


@pytest.mark.parametrize(
    ("lat", "lon", "iso3"),
    [
        (42.640, 18.108, "HRV"),  # Dubrovnik, on the coast
        (35.862, 14.568, "MLT"),  # Marsaskala, on the coast of a small island state
        (50.331, -4.202, "GBR"),  # Cawsand, on the Cornish coast
        (43.731, 7.420, "MCO"),  # Monaco, a polygon of a few points
        (41.9029, 12.4534, "VAT"),  # the Vatican
        (41.246, 9.412, "ITA"),  # La Maddalena, an island the 1:50m scale leaves out
    ],
)
def test_coastal_towns_and_tiny_states_are_a_few_km_off_at_most(
    lat: float, lon: float, iso3: str
) -> None:
    distance = distance_to_country_km(lat, lon, iso3)
    assert distance is not None and 0 <= distance < 10


def test_a_namesake_abroad_is_far_from_the_country() -> None:
    # The source's York (United States) at York, England; Perth (Scotland) in Australia.
    assert distance_to_country_km(53.96, -1.08, "USA") == pytest.approx(4700, rel=0.05)
    assert distance_to_country_km(-31.956, 115.86, "GBR") == pytest.approx(14400, rel=0.05)
    assert distance_to_country_km(52.25, -9.0, "DEU") == pytest.approx(1020, rel=0.05)


def test_outlines_that_cross_the_antimeridian() -> None:
    assert distance_to_country_km(66.16, -169.8, "RUS") < 5  # Uelen, Chukotka, east of 180°
    assert distance_to_country_km(-18.14, 178.44, "FJI") < 5  # Suva
    # Nome (Alaska) is some 260 km across the Bering Strait from Chukotka, not 20,000.
    assert distance_to_country_km(64.5, -165.4, "RUS") == pytest.approx(265, abs=30)


def test_areas_drawn_de_facto_count_for_their_iso_3166_country() -> None:
    # Yalta: Ukraine per ISO 3166-2:UA, drawn as Russia by Natural Earth; it counts for both.
    assert distance_to_country_km(44.4952, 34.1663, "UKR") == 0.0
    assert distance_to_country_km(44.4952, 34.1663, "RUS") == 0.0
    # The Taman peninsula, across the Kerch Strait, is not Crimea.
    assert distance_to_country_km(45.21, 36.72, "UKR") > 10
    # Dakhla and Laayoune, west of the berm: Western Sahara (EH), drawn as Morocco.
    assert distance_to_country_km(24.18, -13.767, "ESH") == 0.0
    assert distance_to_country_km(27.15, -13.2, "ESH") == 0.0
    assert distance_to_country_km(30.42, -9.6, "ESH") > 250  # Agadir is not
    assert distance_to_country_km(35.34, 33.32, "CYP") == 0.0  # Kyrenia
    assert distance_to_country_km(9.56, 44.06, "SOM") == 0.0  # Hargeisa


def test_a_code_without_an_outline_has_no_distance() -> None:
    assert distance_to_country_km(0.0, 0.0, "ZZZ") is None


def test_every_country_of_the_atlas_has_an_iso_outline() -> None:
    outlines = load_iso_outlines()
    numbered = {c.iso_numeric for c in load_countries() if c.iso_numeric}
    assert len(outlines) == len(numbered)
    assert {"FRA", "DEU", "GBR", "USA", "UKR", "ESH", "MCO"} <= set(outlines)
