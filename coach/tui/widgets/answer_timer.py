"""Elapsed time against the question's target; turns to the warning colour when over time."""

from __future__ import annotations

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from coach.tui.stopwatch import Stopwatch, format_seconds

TICK_SECONDS = 0.5


class AnswerTimer(Static):
    """Shows a `Stopwatch`; `start`/`pause` drive it, `refresh_time` redraws it.

    `use` puts another stopwatch on show (a recording's length, the self-timed clock);
    `paused_hint` is the line shown under a paused clock.
    """

    PAUSED_HINT = "paused (type or ctrl+t)"

    DEFAULT_CSS = """
    AnswerTimer {
        height: 2;
        padding: 0 1;
        background: $boost;
    }
    AnswerTimer.-over {
        background: $warning-muted;
        color: $text-warning;
        text-style: bold;
    }
    """

    def __init__(self, stopwatch: Stopwatch, target_seconds: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stopwatch = stopwatch
        self.target_seconds = target_seconds
        self.paused_hint = self.PAUSED_HINT
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        self._ticker = self.set_interval(TICK_SECONDS, self.refresh_time, pause=True)
        if self.stopwatch.running:
            self._ticker.resume()
        self.refresh_time()

    @property
    def over_time(self) -> bool:
        return self.stopwatch.elapsed() > self.target_seconds

    def start(self) -> None:
        self.stopwatch.start()
        if self._ticker is not None:
            self._ticker.resume()
        self.refresh_time()

    def pause(self) -> None:
        self.stopwatch.pause()
        if self._ticker is not None:
            self._ticker.pause()
        self.refresh_time()

    def use(self, stopwatch: Stopwatch, paused_hint: str = PAUSED_HINT) -> None:
        """Show `stopwatch` from now on (started if it runs), with `paused_hint` when paused."""
        self.stopwatch = stopwatch
        self.paused_hint = paused_hint
        if self._ticker is not None:
            if stopwatch.running:
                self._ticker.resume()
            else:
                self._ticker.pause()
        self.refresh_time()

    def toggle(self) -> None:
        if self.stopwatch.running:
            self.pause()
        else:
            self.start()

    def refresh_time(self) -> None:
        elapsed = self.stopwatch.elapsed()
        over = elapsed > self.target_seconds
        self.set_class(over, "-over")
        clock = f"Time {format_seconds(elapsed)} / {format_seconds(self.target_seconds)}"
        if over:
            status = f"over time by {format_seconds(elapsed - self.target_seconds)}"
        elif self.stopwatch.running:
            status = "running"
        elif elapsed > 0:
            status = self.paused_hint
        else:
            status = "starts when you type"
        self.update(
            Content.assemble((clock, "bold"), "\n", (status, "" if over else "$text-muted"))
        )
