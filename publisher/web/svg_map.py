"""A partnership map drawn as inline SVG: a city, its partners, lines between them, over the
world basemap (publisher.web.basemap, a static image fetched once) stretched to this map's
equirectangular projection; no tiles, no script needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from publisher.web.basemap import SCALE, basemap, level_for

ASPECT = 2.0  # width / height of the drawing
TARGET_PIXELS = 900.0  # the width the map is usually displayed at, to size the simplification


@dataclass(frozen=True)
class MapPoint:
    label: str
    lat: float
    lon: float
    href: str | None = None
    detail: str = ""  # shown in the tooltip, e.g. the country


@dataclass(frozen=True)
class PlacedPoint:
    point: MapPoint
    x: float
    y: float
    label_side: str = "right"  # "right", "left", or "" when the label would hide another


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PlacedBasemap:
    """The world basemap's drawing, stretched by `kx` to this map's projection."""

    url: str
    kx: float


@dataclass
class PartnershipMap:
    view_box: str
    basemap: PlacedBasemap
    centre: PlacedPoint | None
    partners: list[PlacedPoint]
    lines: list[str]
    radius: float
    font_size: float
    stroke: float
    labelled: bool
    graticule: list[str] = field(default_factory=list)


def build_partnership_map(
    centre: MapPoint | None, partners: list[MapPoint], *, label_limit: int = 30
) -> PartnershipMap:
    """Project the points, frame them, and keep only the outlines that fall in the frame."""
    points = ([centre] if centre else []) + partners
    if not points:
        raise ValueError("a map needs at least one point")
    mean_lat = sum(p.lat for p in points) / len(points)
    # Standard parallel at the points' mean latitude so shapes are not stretched too much there.
    kx = max(0.35, math.cos(math.radians(max(-70.0, min(70.0, mean_lat)))))

    def project(lon: float, lat: float) -> tuple[float, float]:
        return lon * SCALE * kx, -lat * SCALE

    xs, ys = zip(*(project(p.lon, p.lat) for p in points), strict=True)
    min_x, max_x, min_y, max_y = _framed(min(xs), max(xs), min(ys), max(ys))
    width = max_x - min_x
    frame = (min_x, min_y, max_x, max_y)
    # A point per this many units is all the map shows at the width it is displayed at.
    world = basemap(level_for(width / TARGET_PIXELS * 1.2 / kx))
    placed_world = PlacedBasemap(world.url, kx)
    radius, font_size = width / 150, width / 65
    placed_centre = PlacedPoint(centre, *project(centre.lon, centre.lat)) if centre else None
    placed = _place_labels(
        [PlacedPoint(p, *project(p.lon, p.lat)) for p in partners],
        placed_centre,
        radius,
        font_size,
    )
    lines = [_curve(placed_centre, partner) for partner in placed] if placed_centre else []
    return PartnershipMap(
        view_box=f"{min_x:.1f} {min_y:.1f} {width:.1f} {max_y - min_y:.1f}",
        basemap=placed_world,
        centre=placed_centre,
        partners=placed,
        lines=lines,
        radius=radius,
        font_size=font_size,
        stroke=width / 900,
        labelled=len(partners) <= label_limit,
        graticule=_graticule(frame, project),
    )


def _label_box(x: float, y: float, text: str, size: float, side: str) -> Box:
    """Approximate box of a label drawn beside a point (average glyph ~0.6 em wide)."""
    width = len(text) * size * 0.6
    if side == "right":
        return (x + size * 0.4, y - size * 0.6, x + size * 0.4 + width, y + size * 0.6)
    return (x - size * 0.4 - width, y - size * 0.6, x - size * 0.4, y + size * 0.6)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(
    points: list[PlacedPoint], centre: PlacedPoint | None, radius: float, size: float
) -> list[PlacedPoint]:
    """Put each label right or left of its point where it hides no other label or point;
    labels that fit nowhere are left out (the point keeps its tooltip)."""
    taken: list[Box] = [(p.x - radius, p.y - radius, p.x + radius, p.y + radius) for p in points]
    if centre is not None:
        taken.append(
            _label_box(
                centre.x - radius, centre.y + radius * 2.5, centre.point.label, size * 1.3, "left"
            )
        )
        taken.append(
            (
                centre.x - 2 * radius,
                centre.y - 2 * radius,
                centre.x + 2 * radius,
                centre.y + 2 * radius,
            )
        )
    placed = []
    # Farthest points first: they sit in emptier parts of the map.
    order = sorted(points, key=lambda p: -abs(p.x - (centre.x if centre else 0)))
    for point in order:
        side = ""
        for candidate in ("right", "left"):
            box = _label_box(
                point.x + (radius if candidate == "right" else -radius),
                point.y,
                point.point.label,
                size,
                candidate,
            )
            own = (point.x - radius, point.y - radius, point.x + radius, point.y + radius)
            if not any(_overlaps(box, other) for other in taken if other != own):
                taken.append(box)
                side = candidate
                break
        placed.append(PlacedPoint(point.point, point.x, point.y, side))
    by_identity = {id(p.point): p for p in placed}
    return [by_identity[id(p.point)] for p in points]


def _framed(min_x: float, max_x: float, min_y: float, max_y: float) -> tuple[float, ...]:
    """Pad the points' box, give it a minimum size and the drawing's aspect ratio."""
    # At least ~20 by 10 degrees: closer, the 1:50m outlines look coarse.
    width = max((max_x - min_x) * 1.4, 20 * SCALE)
    height = max((max_y - min_y) * 1.35, 10 * SCALE)
    if width / height < ASPECT:
        width = height * ASPECT
    else:
        height = width / ASPECT
    cx, cy = (min_x + max_x) / 2, (min_y + max_y) / 2
    return cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2


def _curve(start: PlacedPoint, end: PlacedPoint) -> str:
    """A gentle arc between two points, easier to tell apart than straight lines."""
    mx, my = (start.x + end.x) / 2, (start.y + end.y) / 2
    dx, dy = end.x - start.x, end.y - start.y
    cx, cy = mx - dy * 0.15, my + dx * 0.15
    return f"M{start.x:.1f},{start.y:.1f}Q{cx:.1f},{cy:.1f} {end.x:.1f},{end.y:.1f}"


def _graticule(frame: tuple[float, ...], project) -> list[str]:
    """Meridians and parallels every 10 or 30 degrees, depending on the zoom."""
    fx0, fy0, fx1, fy1 = frame
    step = 10 if (fx1 - fx0) < 120 * SCALE else 30
    lines = []
    for lon in range(-180, 181, step):
        x, _ = project(lon, 0)
        if fx0 <= x <= fx1:
            lines.append(f"M{x:.1f},{fy0:.1f}V{fy1:.1f}")
    for lat in range(-80, 81, step):
        _, y = project(0, lat)
        if fy0 <= y <= fy1:
            lines.append(f"M{fx0:.1f},{y:.1f}H{fx1:.1f}")
    return lines
