"""The answer screen's strip for spoken answers: what is happening (recording, transcribing,
self-timed), the level meter or the transcription's progress, and the keys that apply now.

Hidden until speech is used. The screen decides what to say; this widget only lays it out.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from coach.tui.widgets.level_meter import LevelMeter

Tone = Literal["info", "active", "warning", "error"]
TONE_STYLES: dict[Tone, str] = {
    "info": "bold",
    "active": "bold $text-accent",
    "warning": "bold $text-warning",
    "error": "bold $text-error",
}


class SpeechPanel(Vertical):
    DEFAULT_CSS = """
    SpeechPanel {
        height: auto;
        padding: 0 1;
        background: $boost;
        display: none;
    }
    SpeechPanel.-shown {
        display: block;
    }
    SpeechPanel.-error {
        background: $error-muted;
    }
    SpeechPanel #speech-gauges, SpeechPanel #speech-level, SpeechPanel #speech-progress {
        height: 1;
        display: none;
    }
    SpeechPanel.-meter #speech-gauges, SpeechPanel.-progress #speech-gauges,
    SpeechPanel.-meter #speech-level, SpeechPanel.-progress #speech-progress {
        display: block;
    }
    SpeechPanel #speech-progress, SpeechPanel #speech-progress Bar {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="speech-status")
        with Horizontal(id="speech-gauges"):
            yield LevelMeter(id="speech-level")
            yield ProgressBar(total=100, show_eta=False, id="speech-progress")
        yield Static(id="speech-hint")

    @property
    def meter(self) -> LevelMeter:
        return self.query_one("#speech-level", LevelMeter)

    @property
    def progress(self) -> ProgressBar:
        return self.query_one("#speech-progress", ProgressBar)

    @property
    def status_text(self) -> str:
        return str(self.query_one("#speech-status", Static).render())

    @property
    def hint_text(self) -> str:
        return str(self.query_one("#speech-hint", Static).render())

    def show(
        self,
        status: str | Content,
        hint: str | Content = "",
        *,
        tone: Tone = "info",
        meter: bool = False,
        progress: bool = False,
    ) -> None:
        """Show one status line (and a line of keys), with the meter or the progress bar."""
        line = Content.styled(status, TONE_STYLES[tone]) if isinstance(status, str) else status
        self.query_one("#speech-status", Static).update(line)
        hint_line = Content.styled(hint, "$text-muted") if isinstance(hint, str) else hint
        hint_widget = self.query_one("#speech-hint", Static)
        hint_widget.update(hint_line)
        hint_widget.display = bool(hint_line.plain)
        self.set_class(meter, "-meter")
        self.set_class(progress, "-progress")
        self.set_class(tone == "error", "-error")
        self.add_class("-shown")

    def set_progress(self, fraction: float | None) -> None:
        """The transcription's progress (0..1); None: not known yet (the bar pulses)."""
        if fraction is None:
            self.progress.update(total=None)
        else:
            self.progress.update(total=100, progress=round(100 * min(1.0, max(0.0, fraction))))

    def hide(self) -> None:
        self.remove_class("-shown", "-meter", "-progress", "-error")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")
