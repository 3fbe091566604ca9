"""A one-line microphone level meter: `Mic ▮▮▮▮▮▮▯▯▯▯▯▯`, louder in the warning colours.

Set `level` (0..1, as `Recorder.level` reports it: -60..0 dBFS) from the UI thread; the screen
polls the recorder, so the audio thread never touches the widget.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

ON, OFF = "▮", "▯"
QUIET, LOUD = 0.15, 0.9  # below: probably not reaching the microphone; above: clipping soon


class LevelMeter(Widget):
    DEFAULT_CSS = """
    LevelMeter {
        height: 1;
        width: 1fr;
    }
    """

    level: reactive[float] = reactive(0.0)

    def __init__(self, cells: int = 24, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cells = cells
        self.peak = 0.0  # the loudest level shown since the meter was reset

    def reset(self) -> None:
        self.peak = 0.0
        self.level = 0.0

    def validate_level(self, level: float) -> float:
        return min(1.0, max(0.0, level))

    def watch_level(self, level: float) -> None:
        self.peak = max(self.peak, level)

    @property
    def lit(self) -> int:
        """How many cells are lit now."""
        return round(self.level * self.cells)

    def render(self) -> Content:
        lit = self.lit
        parts: list[tuple[str, str]] = [("Mic ", "bold")]
        for cell in range(self.cells):
            share = (cell + 1) / self.cells
            if cell >= lit:
                parts.append((OFF, "$text-muted"))
            elif share > LOUD:
                parts.append((ON, "$text-error"))
            elif share > 0.7:
                parts.append((ON, "$text-warning"))
            else:
                parts.append((ON, "$text-success"))
        if self.level < QUIET:
            parts.append(("  quiet", "$text-muted"))
        elif self.level > LOUD:
            parts.append(("  loud", "$text-warning"))
        return Content.assemble(*parts)
