"""Coordinates: parsing the CSV's decimal degrees and great-circle distances."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

_DECIMAL = re.compile(r"-?\d{1,3}(\.\d+)?")
_EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, order=True)
class Point:
    """A WGS84 position, kept as the exact decimal text of the source (no float rounding)."""

    lat: Decimal
    long: Decimal


def coordinate_problem(text: str, limit: int) -> str | None:
    """Why one decimal-degree cell is unusable ('missing' or 'invalid'), or None if fine."""
    text = text.strip()
    if not text:
        return "missing"
    if not _DECIMAL.fullmatch(text) or abs(Decimal(text)) > limit:
        return "invalid"
    return None


def parse_point(lat_text: str, long_text: str) -> Point | None:
    """The point of two decimal-degree strings, or None if either is missing or out of range."""
    lat_text, long_text = lat_text.strip(), long_text.strip()
    if not (_DECIMAL.fullmatch(lat_text) and _DECIMAL.fullmatch(long_text)):
        return None
    lat, long = Decimal(lat_text), Decimal(long_text)
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None
    return Point(lat, long)


def distance_km(a: Point, b: Point) -> float:
    """Haversine distance; plenty precise for telling towns 30 km apart from 300 km apart."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlong = math.radians(b.long - a.long)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlong / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))
