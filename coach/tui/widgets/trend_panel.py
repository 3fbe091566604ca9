"""Progress over time: one `Sparkline` per criterion and one for the overall score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Sparkline, Static

from coach.content import CRITERION_IDS
from coach.tui.labels import name_of

SERIES = ("overall", *CRITERION_IDS)
SHORT_NAMES = {
    "overall": "Overall",
    "metrics": "Metrics",
    "outcome_focus": "Outcome",
    "value_first": "Value 1st",
    "follow_up": "Follow-up",
}


def short_name(series: str) -> str:
    """A series' name in ten characters or fewer (the panel is narrow at 80 columns)."""
    return SHORT_NAMES.get(series) or name_of(series)


def _value(series: str, values: Sequence[float]) -> Content:
    if not values:
        return Content.styled("-", "$text-muted")
    last = values[-1]
    text = f"{last:.0f}" if series == "overall" else f"{last:.2f}"
    if len(values) > 1:
        change = last - values[0]
        if abs(change) > (0.5 if series == "overall" else 0.005):
            arrow = "↑" if change > 0 else "↓"
            return Content.assemble(text, (arrow, "$text-success" if change > 0 else "$text-error"))
    return Content(text)


class TrendRow(Horizontal):
    """A series' name, its sparkline (oldest to newest) and its latest value."""

    DEFAULT_CSS = """
    TrendRow { height: 1; }
    TrendRow > .trend-name { width: 10; color: $text-muted; }
    TrendRow > Sparkline { width: 1fr; min-width: 6; }
    TrendRow > .trend-value { width: 6; padding-left: 1; }
    """

    def __init__(self, series: str) -> None:
        super().__init__(id=f"trend-{series}")
        self.series = series

    def compose(self) -> ComposeResult:
        yield Label(short_name(self.series), classes="trend-name")
        yield Sparkline([], summary_function=lambda bucket: sum(bucket) / len(bucket))
        yield Static(_value(self.series, ()), classes="trend-value")

    def show(self, values: Sequence[float]) -> None:
        self.query_one(Sparkline).data = list(values)
        self.query_one(".trend-value", Static).update(_value(self.series, values))


class TrendPanel(Vertical):
    """Set the series with `show({"overall": [...], "metrics": [...], ...})`."""

    DEFAULT_CSS = """
    TrendPanel { height: auto; }
    TrendPanel > #trend-caption { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("no attempts yet", id="trend-caption")
        for series in SERIES:
            yield TrendRow(series)

    def show(self, trends: Mapping[str, Sequence[float]]) -> None:
        count = len(trends.get("overall", ()))
        caption = (
            f"{count} attempt{'s' if count != 1 else ''}, old → new"
            if count
            else ("no attempts yet")
        )
        self.query_one("#trend-caption", Static).update(caption)
        for row in self.query(TrendRow):
            row.show(trends.get(row.series, ()))

    def values(self, series: str) -> list[float]:
        data = self.query_one(f"#trend-{series}", TrendRow).query_one(Sparkline).data
        return list(data or ())
