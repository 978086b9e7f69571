"""Country outlines for the partnership maps, decoded from the vendored world-atlas TopoJSON.

Only the server reads the file: maps are sent as inline SVG, so the browser fetches nothing
(no tiles, no third party). Coordinates stay in degrees (longitude, latitude); the SVG
projection is done by svg_map.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from publisher.errors import StoreError

WORLD_ATLAS = (
    Path(__file__).resolve().parent / "static" / "vendor" / "world-atlas" / "countries-50m.json"
)

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Country:
    iso_numeric: str
    name: str
    rings: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@lru_cache(maxsize=1)
def load_countries(path: Path = WORLD_ATLAS) -> tuple[Country, ...]:
    """Every country of the atlas with its outer and inner rings, in degrees."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read the vendored world atlas {path}: {exc}") from None
    arcs = _decode_arcs(topology["arcs"], topology["transform"])
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # null geometries carry no outline
            continue
        rings = tuple(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        if not rings:
            continue
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        countries.append(
            Country(
                iso_numeric=str(geometry.get("id", "")),
                name=str(geometry.get("properties", {}).get("name", "")),
                rings=rings,
                bbox=(min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return tuple(countries)


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
