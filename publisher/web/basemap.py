"""The world under every partnership map, as a static SVG each browser fetches once.

A page's map was its own drawing of every country in its frame (about 140 KB of path data
per page, and most of the time of rendering it). Now the countries are drawn once per level
of detail, in plain equirectangular coordinates (x = longitude, y = -latitude, in tenths of
a degree), and served at an immutable URL that names the drawing's hash
(`/-/map/world-<level>-<hash>.svg`, cached for a year). A page draws it under its own
points with an SVG `<use>` of its `#land` group, stretched horizontally by its projection's
factor (an equirectangular projection with another standard parallel is only that
stretch), so only the partner points, lines and labels stay inline. The page's
Content-Security-Policy allows it: a resource of the same origin.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

from publisher.world_atlas import load_countries

# Levels of detail: the simplification tolerance in drawing units (0.1 degree). A map picks
# the coarsest level that still has a point per `tolerance` of its own (publisher.web.svg_map).
LEVELS = (1, 4, 16)
URL_PREFIX = "/-/map"
SCALE = 10.0  # drawing units per degree, as in svg_map
LAND, LAND_LINE = "#e6e2d6", "#b9b29c"  # site.css --land and --land-line


@dataclass(frozen=True)
class Basemap:
    level: int
    body: bytes
    digest: str
    extent: tuple[float, float, float, float]  # x, y, width, height in drawing units

    @property
    def name(self) -> str:
        return f"world-{self.level}-{self.digest}.svg"

    @property
    def url(self) -> str:
        return f"{URL_PREFIX}/{self.name}"


def level_for(tolerance: float) -> int:
    """The coarsest level whose detail a map drawn with `tolerance` still shows."""
    return max(level for level in LEVELS if level <= max(tolerance, LEVELS[0]))


_drawing = Lock()  # a burst of first pages waits for one drawing, not one each


def basemap(level: int) -> Basemap:
    """The drawing at `level` (computed once per process, on first use: about a second)."""
    if level not in LEVELS:
        raise ValueError(f"no basemap level {level}")
    with _drawing:
        return _draw(level)


@lru_cache(maxsize=len(LEVELS))
def _draw(level: int) -> Basemap:
    countries = load_countries()
    points = [(lon, lat) for country in countries for ring in country.rings for lon, lat in ring]
    x0 = min(lon for lon, _ in points) * SCALE
    x1 = max(lon for lon, _ in points) * SCALE
    y0 = -max(lat for _, lat in points) * SCALE
    y1 = -min(lat for _, lat in points) * SCALE
    extent = (round(x0), round(y0), round(x1 - x0), round(y1 - y0))
    paths = "".join(
        f'<path vector-effect="non-scaling-stroke" d="{d}"/>'
        for country in countries
        if (d := _path(country.rings, level))
    )
    # The page draws it with <use>, so its own style applies (fill, stroke, and strokes of
    # one screen width at any zoom, which an SVG shown as an <image> could not keep).
    body = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{extent[0]} {extent[1]} {extent[2]} {extent[3]}">'
        f'<g id="land" fill="{LAND}" stroke="{LAND_LINE}">{paths}</g></svg>'
    ).encode()
    return Basemap(level, body, hashlib.sha256(body).hexdigest()[:16], extent)


def by_name(name: str) -> Basemap | None:
    """The basemap a URL names, if it is one of ours at its current hash."""
    for level in LEVELS:
        if name.startswith(f"world-{level}-") and basemap(level).name == name:
            return basemap(level)
    return None


def _path(rings, tolerance: float) -> str:
    """Compact path data: whole units, relative moves, one point per `tolerance`."""
    parts = []
    for ring in rings:
        kept: list[tuple[int, int]] = []
        for lon, lat in ring:
            point = (round(lon * SCALE), round(-lat * SCALE))
            if not kept or abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
                kept.append(point)
        if len(set(kept)) < 3:
            continue
        steps = [f"M{kept[0][0]} {kept[0][1]}l"]
        for (px, py), (x, y) in zip(kept, kept[1:], strict=False):
            steps.append(f"{x - px} {y - py} ")
        parts.append("".join(steps).rstrip() + "z")
    return "".join(parts)
