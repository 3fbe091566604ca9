"""Progress charts as inline SVG, drawn here: no scripts, no fonts or files from the network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.report.markup import Markup, join, selfclosing, tag

GRADE_COLOURS = {1: "#c0392b", 2: "#e67e22", 3: "#d4a017", 4: "#5b9b3a", 5: "#1e7d4f"}
INK, MUTED, GRID, ACCENT = "#1f2a37", "#6b7280", "#e5e7eb", "#2f5d8a"
FONT = "font-family:inherit"


@dataclass(frozen=True)
class Point:
    value: float
    label: str  # x-axis label (shown for a few points only)
    tooltip: str
    colour: str = ACCENT


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def rolling_mean(values: Sequence[float], window: int = 3) -> list[float]:
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1) : i + 1]
        out.append(sum(chunk) / len(chunk))
    return out


def line_chart(
    points: Sequence[Point],
    *,
    y_min: float,
    y_max: float,
    y_ticks: Sequence[float],
    title: str,
    width: int = 720,
    height: int = 220,
    tick_format: str = "{:g}",
    smooth: bool = False,
    bands: Sequence[tuple[float, float, str]] = (),
) -> Markup:
    """A line through `points` (evenly spaced: one per attempt) with dots, ticks and tooltips.

    `bands` shades horizontal ranges (low, high, colour); `smooth` draws a rolling mean line and
    leaves the raw points as faint dots.
    """
    left, right, top, bottom = 40, 24, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    span = (y_max - y_min) or 1.0

    def x_at(i: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + plot_w * i / (len(points) - 1)

    def y_at(v: float) -> float:
        v = min(max(v, y_min), y_max)
        return top + plot_h * (1 - (v - y_min) / span)

    parts: list[Markup] = []
    for low, high, colour in bands:
        parts.append(
            selfclosing(
                "rect",
                {
                    "x": left,
                    "y": _fmt(y_at(high)),
                    "width": plot_w,
                    "height": _fmt(y_at(low) - y_at(high)),
                    "fill": colour,
                },
            )
        )
    for tick in y_ticks:
        y = _fmt(y_at(tick))
        parts.append(
            selfclosing("line", {"x1": left, "x2": left + plot_w, "y1": y, "y2": y, "stroke": GRID})
        )
        parts.append(
            tag(
                "text",
                {
                    "x": left - 6,
                    "y": y,
                    "dy": "0.32em",
                    "text-anchor": "end",
                    "font-size": 11,
                    "fill": MUTED,
                    "style": FONT,
                },
                tick_format.format(tick),
            )
        )
    values = [p.value for p in points]
    line_values = rolling_mean(values) if smooth else values
    if len(points) > 1:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{_fmt(x_at(i))},{_fmt(y_at(v))}"
            for i, v in enumerate(line_values)
        )
        parts.append(
            selfclosing(
                "path",
                {
                    "d": path,
                    "fill": "none",
                    "stroke": ACCENT,
                    "stroke-width": 2.5,
                    "stroke-linejoin": "round",
                    "stroke-linecap": "round",
                },
            )
        )
    radius = 3 if smooth else 4.5
    for i, point in enumerate(points):
        parts.append(
            tag(
                "circle",
                {
                    "cx": _fmt(x_at(i)),
                    "cy": _fmt(y_at(point.value)),
                    "r": radius,
                    "fill": point.colour,
                    "fill-opacity": 0.55 if smooth else 1,
                    "stroke": "#fff",
                    "stroke-width": 1.2,
                },
                tag("title", None, point.tooltip),
            )
        )
    for i in _label_positions(len(points), max_labels=max(2, plot_w // 90)):
        parts.append(
            tag(
                "text",
                {
                    "x": _fmt(x_at(i)),
                    "y": height - 8,
                    "text-anchor": "middle",
                    "font-size": 11,
                    "fill": MUTED,
                    "style": FONT,
                },
                points[i].label,
            )
        )
    return _svg(width, height, title, parts)


def _svg(width: float, height: float, title: str, parts: list[Markup]) -> Markup:
    """The chart's outer element: scales to its column, titled for screen readers."""
    return tag(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": "100%",
            "role": "img",
            "aria-label": title,
            "class": "chart",
        },
        tag("title", None, title),
        join(parts),
    )


def _label_positions(count: int, max_labels: int) -> list[int]:
    if count <= 0:
        return []
    if count <= max_labels:
        return list(range(count))
    step = (count - 1) / (max_labels - 1)
    return sorted({round(i * step) for i in range(max_labels)})


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    best: float | None
    colour: str
    tooltip: str
    value_text: str


def bar_chart(
    bars: Sequence[Bar], *, max_value: float, title: str, width: int = 720, row: int = 26
) -> Markup:
    """Horizontal bars, one per row, with a thin marker at `best` (e.g. the best grade so far)."""
    label_w, value_w, pad = 300, 60, 6
    plot_w = width - label_w - value_w
    height = row * len(bars) + pad * 2
    parts: list[Markup] = []
    for step in range(int(max_value) + 1):
        x = _fmt(label_w + plot_w * step / max_value)
        parts.append(
            selfclosing("line", {"x1": x, "x2": x, "y1": pad, "y2": height - pad, "stroke": GRID})
        )
    for i, bar in enumerate(bars):
        y = pad + i * row
        text = bar.label if len(bar.label) <= 44 else bar.label[:43].rstrip() + "\u2026"
        parts.append(
            tag(
                "text",
                {
                    "x": label_w - 10,
                    "y": y + row / 2,
                    "dy": "0.32em",
                    "text-anchor": "end",
                    "font-size": 12.5,
                    "fill": INK,
                    "style": FONT,
                },
                text,
            )
        )
        bar_w = max(2.0, plot_w * min(bar.value, max_value) / max_value)
        parts.append(
            tag(
                "rect",
                {
                    "x": label_w,
                    "y": y + 5,
                    "width": _fmt(bar_w),
                    "height": row - 10,
                    "rx": 3,
                    "fill": bar.colour,
                },
                tag("title", None, bar.tooltip),
            )
        )
        if bar.best is not None and bar.best > bar.value:
            bx = _fmt(label_w + plot_w * min(bar.best, max_value) / max_value)
            parts.append(
                tag(
                    "line",
                    {
                        "x1": bx,
                        "x2": bx,
                        "y1": y + 3,
                        "y2": y + row - 3,
                        "stroke": INK,
                        "stroke-width": 2,
                        "stroke-dasharray": "3 2",
                    },
                    tag("title", None, f"best so far: {_fmt(bar.best)}"),
                )
            )
        parts.append(
            tag(
                "text",
                {
                    "x": width - value_w + 8,
                    "y": y + row / 2,
                    "dy": "0.32em",
                    "font-size": 12.5,
                    "fill": INK,
                    "style": FONT,
                },
                bar.value_text,
            )
        )
    return _svg(width, height, title, parts)
