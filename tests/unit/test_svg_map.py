"""The partnership map: projection, framing and the vendored country outlines."""

from __future__ import annotations

import pytest

from publisher.web.svg_map import SCALE, MapPoint, build_partnership_map
from publisher.world_atlas import load_countries

DIJON = MapPoint("Dijon", 47.3167, 5.0167)
MAINZ = MapPoint("Mainz", 49.9994, 8.2736)
DALLAS = MapPoint("Dallas", 32.7792, -96.8089)


def test_the_atlas_has_every_country_once() -> None:
    countries = load_countries()
    assert len(countries) > 200
    france = [c for c in countries if c.iso_numeric == "250"]
    assert len(france) == 1 and france[0].name == "France"
    min_lon, min_lat, max_lon, max_lat = france[0].bbox  # includes overseas départements
    assert min_lon < 5.0167 < max_lon and min_lat < 47.3167 < max_lat


def test_points_fall_inside_the_frame() -> None:
    drawn = build_partnership_map(DIJON, [MAINZ, DALLAS])
    x, y, width, height = (float(v) for v in drawn.view_box.split())
    assert width == pytest.approx(2 * height, abs=0.2)  # one decimal in the viewBox
    for placed in [drawn.centre, *drawn.partners]:
        assert x < placed.x < x + width and y < placed.y < y + height
    # North is up and west is left.
    mainz, dallas = drawn.partners
    assert mainz.y < drawn.centre.y and dallas.x < drawn.centre.x
    assert len(drawn.lines) == 2


def test_a_regional_map_keeps_only_nearby_countries() -> None:
    europe = build_partnership_map(DIJON, [MAINZ])
    world = build_partnership_map(DIJON, [MAINZ, DALLAS, MapPoint("Tsukuba", 36.08, 140.08)])
    assert 5 < len(europe.outline_paths) < len(world.outline_paths)
    assert float(europe.view_box.split()[2]) < 30 * SCALE


def test_a_map_needs_a_point() -> None:
    with pytest.raises(ValueError):
        build_partnership_map(None, [])


def test_labels_are_dropped_when_too_many_partners() -> None:
    many = [MapPoint(f"P{i}", 40 + i / 10, i / 10) for i in range(40)]
    assert not build_partnership_map(DIJON, many, label_limit=30).labelled
    assert build_partnership_map(DIJON, many[:5], label_limit=30).labelled


def test_no_outline_jumps_across_the_map() -> None:
    """Rings crossing the antimeridian (Russia, Fiji) are kept continuous; only Antarctica's
    edge along the pole spans every longitude."""
    for country in load_countries():
        for ring in country.rings:
            for (lon0, lat0), (lon1, lat1) in zip(ring, ring[1:], strict=False):
                if abs(lat0) > 85 and abs(lat1) > 85:
                    continue
                assert abs(lon1 - lon0) < 180, country.name
