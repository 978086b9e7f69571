"""Horizontal bar charts laid out on the server, drawn as inline SVG by the templates.

Server-side SVG needs no script, follows the page's colours and stays readable by screen
readers (each chart also ships its figures as a table).
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 270
VALUE_WIDTH = 60
BAR_HEIGHT = 24
GAP = 8


@dataclass(frozen=True)
class ChartItem:
    label: str
    count: int
    href: str | None = None


@dataclass(frozen=True)
class Bar:
    item: ChartItem
    label: str  # shortened to fit the label column
    y: float
    width: float


@dataclass
class BarChart:
    title: str
    items: list[ChartItem]
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def build_bar_chart(title: str, items: list[ChartItem], *, limit: int = 15) -> BarChart:
    """Bars scaled to the largest count, longest first, at most `limit` of them."""
    shown = sorted(items, key=lambda i: (-i.count, i.label))[:limit]
    largest = max((i.count for i in shown), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest if largest else 0.0
    bars = [
        Bar(
            item=item,
            label=_shorten(item.label, 27),
            y=GAP + index * (BAR_HEIGHT + GAP),
            width=max(2.0, item.count * scale),
        )
        for index, item in enumerate(shown)
    ]
    return BarChart(
        title=title,
        items=shown,
        bars=bars,
        width=WIDTH,
        height=GAP + len(bars) * (BAR_HEIGHT + GAP),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
