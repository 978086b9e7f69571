"""Country outlines decoded from the vendored world-atlas TopoJSON (Natural Earth 1:50m), and
the distance from a point to a country.

Two readers share it: the web layer draws the partnership maps' basemap from the outlines
(publisher/web/svg_map.py), and the importer checks that a partner's position lies in the
partner's country. Coordinates stay in degrees (longitude, latitude).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from publisher.errors import InputError

WORLD_ATLAS = (
    Path(__file__).resolve().parent
    / "web"
    / "static"
    / "vendor"
    / "world-atlas"
    / "countries-50m.json"
)
ATLAS_VERSION = "2.0.2"
_EARTH_RADIUS_KM = 6371.0

Ring = tuple[tuple[float, float], ...]
Box = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

# Natural Earth draws who controls the ground ("de facto"); the dataset's countries are
# ISO 3166-1 codes, whose subdivisions (ISO 3166-2) include the areas below. Each row gives an
# atlas feature (by name, as the atlas writes it), the box of it that is meant (None: all of
# it) and the ISO 3166-1 numeric code of the country that area also counts for. Nothing is
# taken away from the feature: the check asks whether a position is plausibly in a country,
# it does not rule on sovereignty.
# - Crimea: ISO 3166-2:UA lists UA-43 (Avtonomna Respublika Krym) and UA-40 (Sevastopol); UN
#   General Assembly resolution 68/262 (2014). The atlas draws it as a ring of Russia; the
#   box ends at 36.6°E, between Kerch (36.57°E) and the Taman peninsula (36.62°E).
# - Western Sahara: ISO 3166-1 gives it its own code (EH, 732), bounded to the north by the
#   27°40'N parallel. The atlas draws the area west of the Moroccan berm as Morocco, and
#   "W. Sahara" only east of it, so Dakhla or Laayoune would be hundreds of km away.
# - N. Cyprus: ISO 3166-2:CY lists Keryneia (CY-06) and the north of Lefkosia and Ammochostos.
# - Somaliland: ISO 3166-2:SO lists Awdal, Woqooyi Galbeed, Togdheer, Sanaag and Sool.
# The atlas gives the last two no id, so without this they would belong to no country.
_ISO_AREAS: tuple[tuple[str, Box | None, str], ...] = (
    ("Russia", (32.0, 44.0, 36.6, 46.3), "804"),
    ("Morocco", (-18.0, 20.0, -8.0, 27.0 + 40 / 60), "732"),
    ("N. Cyprus", None, "196"),
    ("Somaliland", None, "706"),
)


@dataclass(frozen=True)
class Country:
    iso_numeric: str
    name: str
    rings: tuple[Ring, ...]
    bbox: Box


@dataclass(frozen=True)
class Outline:
    """A country's rings in the ISO 3166 view, each with its bounding box."""

    rings: tuple[Ring, ...]
    boxes: tuple[Box, ...]


@lru_cache(maxsize=1)
def load_countries(path: Path = WORLD_ATLAS) -> tuple[Country, ...]:
    """Every feature of the atlas with its outer and inner rings, in degrees, as drawn."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        arcs = _decode_arcs(topology["arcs"], topology["transform"])
        geometries = topology["objects"]["countries"]["geometries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read the vendored world atlas: {exc}", file=str(path)) from None
    countries = []
    for geometry in geometries:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # null geometries carry no outline
            continue
        rings = tuple(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        if rings:
            countries.append(
                Country(
                    iso_numeric=str(geometry.get("id", "")),
                    name=str(geometry.get("properties", {}).get("name", "")),
                    rings=rings,
                    bbox=_bbox(rings),
                )
            )
    return tuple(countries)


@lru_cache(maxsize=1)
def load_iso_outlines(path: Path = WORLD_ATLAS) -> dict[str, Outline]:
    """The rings of each country by ISO 3166-1 alpha-3 code, in the ISO 3166 view (see
    _ISO_AREAS): Crimea counts for Ukraine, Western Sahara west of the berm for Western
    Sahara, N. Cyprus for Cyprus, Somaliland for Somalia."""
    countries = load_countries(path)
    by_numeric: dict[str, list[Ring]] = {}
    for country in countries:
        if country.iso_numeric:
            by_numeric.setdefault(country.iso_numeric, []).extend(country.rings)
    for name, box, numeric in _ISO_AREAS:
        for feature in (c for c in countries if c.name == name):
            clipped = (ring if box is None else _clip(ring, box) for ring in feature.rings)
            by_numeric.setdefault(numeric, []).extend(ring for ring in clipped if ring)
    outlines = {}
    for numeric, rings in sorted(by_numeric.items()):
        record = pycountry.countries.get(numeric=numeric)
        if record is not None:
            outlines[record.alpha_3] = Outline(tuple(rings), tuple(_bbox((r,)) for r in rings))
    return outlines


def distance_to_country_km(
    lat: float, lon: float, iso3: str, path: Path = WORLD_ATLAS
) -> float | None:
    """How far (km) the point lies from the outline of country `iso3` (ISO 3166-1 alpha-3):
    0 inside, None when the atlas has no outline for that code."""
    outline = load_iso_outlines(path).get(iso3)
    if outline is None:
        return None
    if _inside(lat, lon, outline):
        return 0.0
    return _distance_to_rings_km(lat, lon, outline.rings)


def _inside(lat: float, lon: float, outline: Outline) -> bool:
    """Even-odd rule over every ring: a hole (a lake, an enclave) counts as outside, an island
    in it as inside. A ring unwrapped past ±180° is tried with the point shifted by 360°."""
    crossings = 0
    for ring, (min_lon, min_lat, max_lon, max_lat) in zip(
        outline.rings, outline.boxes, strict=True
    ):
        if not min_lat <= lat <= max_lat:
            continue
        for x in (lon, lon + 360.0, lon - 360.0):
            if min_lon <= x <= max_lon:
                crossings += _crossings(x, lat, ring)
                break
    return crossings % 2 == 1


def _crossings(x: float, y: float, ring: Ring) -> int:
    """How many edges of the ring a ray from (x, y) towards +x crosses."""
    count = 0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            count += 1
    return count


def _distance_to_rings_km(lat: float, lon: float, rings: tuple[Ring, ...]) -> float:
    """Distance to the nearest edge: the nearest point of each edge is found on a plane
    tangent at the point (equirectangular: exact enough for tens of km, an upper bound
    beyond), and the distance to it measured on the sphere."""
    scale = math.cos(math.radians(lat))
    best, nearest = math.inf, (lat, lon)
    for ring in rings:
        if not ring:
            continue
        # The ring is continuous (unwrapped); only its first vertex is brought within 180° of
        # the point, so that no edge is cut in two across the plane.
        shift = _wrapped(ring[0][0] - lon) - (ring[0][0] - lon)
        points = [((x - lon + shift) * scale, y - lat) for x, y in ring]
        for a, b in zip(points, points[1:], strict=False):
            px, py = _nearest_on_segment(a, b)
            squared = px * px + py * py
            if squared < best:
                best, nearest = squared, (lat + py, lon + (px / scale if scale else 0.0))
    return _haversine_km(lat, lon, *nearest)


def _nearest_on_segment(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The point of segment ab nearest the origin."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(a[0] * dx + a[1] * dy) / length))
    return a[0] + t * dx, a[1] + t * dy


def _wrapped(degrees: float) -> float:
    return (degrees + 180.0) % 360.0 - 180.0


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _bbox(rings: tuple[Ring, ...]) -> Box:
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _clip(ring: Ring, box: Box) -> Ring:
    """The part of a ring inside a box (Sutherland-Hodgman, one side of the box at a time);
    edges along the box's sides may be left, which neither the inside test nor the
    distance minds."""
    min_lon, min_lat, max_lon, max_lat = box
    sides = (
        (0, min_lon, True),
        (0, max_lon, False),
        (1, min_lat, True),
        (1, max_lat, False),
    )
    points = list(ring)
    for axis, limit, keep_above in sides:
        if not points:
            break

        def inside(p: tuple[float, float], axis=axis, limit=limit, above=keep_above) -> bool:
            return p[axis] >= limit if above else p[axis] <= limit

        clipped: list[tuple[float, float]] = []
        for previous, current in zip(points[-1:] + points[:-1], points, strict=True):
            if inside(current) != inside(previous):
                t = (limit - previous[axis]) / (current[axis] - previous[axis])
                clipped.append(
                    (
                        previous[0] + t * (current[0] - previous[0]),
                        previous[1] + t * (current[1] - previous[1]),
                    )
                )
            if inside(current):
                clipped.append(current)
        points = clipped
    return tuple(points)


def _decode_arcs(
    raw_arcs: list[list[list[int]]], transform: dict[str, list[float]]
) -> list[list[tuple[float, float]]]:
    """Undo TopoJSON quantisation: positions are delta-encoded integers on a grid."""
    scale_x, scale_y = transform["scale"]
    shift_x, shift_y = transform["translate"]
    decoded = []
    for arc in raw_arcs:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> Ring:
    """Join a ring's arcs; a negative index ~i means arc i walked backwards."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their junction point; keep it once.
        points.extend(arc[1:] if points else arc)
    return _unwrapped(points)


def _unwrapped(points: list[tuple[float, float]]) -> Ring:
    """Keep a ring that crosses the antimeridian continuous (e.g. Chukotka at 190° rather
    than -170°), so that no edge jumps across the whole map."""
    # The shift applies to every later point of the ring until it crosses back.
    if not points:
        return ()
    result = [points[0]]
    shift = 0.0
    for (previous_lon, previous_lat), (lon, lat) in zip(points, points[1:], strict=False):
        step = lon - previous_lon
        if abs(lat) > 85 and abs(previous_lat) > 85:
            pass  # Antarctica's edge along the pole really spans every longitude
        elif step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        result.append((lon + shift, lat))
    return tuple(result)
