"""The partnership map: projection, framing and the vendored country outlines."""

from __future__ import annotations

import pytest

from publisher.web import basemap
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


def test_a_regional_map_is_drawn_over_a_finer_basemap_than_a_world_map() -> None:
    europe = build_partnership_map(DIJON, [MAINZ])
    world = build_partnership_map(DIJON, [MAINZ, DALLAS, MapPoint("Tsukuba", 36.08, 140.08)])
    assert float(europe.view_box.split()[2]) < 30 * SCALE
    sizes = {len(basemap.by_name(m.basemap.url.rsplit("/", 1)[1]).body) for m in (europe, world)}
    assert len(sizes) == 2
    assert len(basemap.by_name(europe.basemap.url.rsplit("/", 1)[1]).body) == max(sizes)


def test_the_basemap_lies_under_the_points() -> None:
    """The basemap's drawing is the world at x = longitude, y = -latitude, stretched by the
    map's factor: a point drawn by the map at (lon, lat) lies where the drawing has them."""
    drawn = build_partnership_map(DIJON, [DALLAS])
    kx = drawn.basemap.kx
    assert 0.35 <= kx < 1
    for point in (drawn.centre, *drawn.partners):
        assert point.x / kx == pytest.approx(point.point.lon * SCALE, abs=0.01)
        assert point.y == pytest.approx(-point.point.lat * SCALE, abs=0.01)
    world = basemap.by_name(drawn.basemap.url.rsplit("/", 1)[1])
    assert b'<g id="land"' in world.body


def test_each_basemap_is_one_immutable_drawing() -> None:
    for level in basemap.LEVELS:
        world = basemap.basemap(level)
        assert world.body.startswith(b"<svg") and world.body.count(b"<path") > 150
        assert basemap.by_name(world.name) is world
        assert basemap.by_name(world.name.replace(world.digest, "0" * 16)) is None
    assert basemap.level_for(0.2) == 1 and basemap.level_for(5) == 4 and basemap.level_for(99) == 16


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
