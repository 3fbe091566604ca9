"""Load an audio file: type (or paste) a path; Enter transcribes it into the answer."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from coach.speech.audio import FORMATS_HINT


def as_path(text: str) -> Path:
    """A typed or pasted path: quotes (from a file manager's copy) and ~ are handled."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return Path(text).expanduser()


class AudioFileScreen(ModalScreen[Path | None]):
    """Dismisses with the file's path, or None (escape)."""

    CSS_PATH = "audio_file.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, initial: str = "", kept_recording: Path | None = None) -> None:
        super().__init__()
        self.initial = initial
        self.kept_recording = kept_recording

    def compose(self) -> ComposeResult:
        with Vertical(id="audio-box"):
            yield Static(
                Content.assemble(
                    "Transcribe a recording of your answer into the editor, offline.\n",
                    (f"Any common audio file: {FORMATS_HINT}.", "$text-muted"),
                ),
                id="audio-intro",
            )
            if self.kept_recording is not None:
                yield Static(
                    Content.assemble(
                        ("Your kept recording is filled in: ", "$text-accent"),
                        "Enter transcribes it.",
                    ),
                    id="audio-kept",
                )
            yield Input(
                self.initial,
                placeholder="path to the audio file, e.g. ~/answer.m4a",
                id="audio-path",
            )
            yield Static(id="audio-error")

    def on_mount(self) -> None:
        box = self.query_one("#audio-box", Vertical)
        box.border_title = "Load an audio file"
        box.border_subtitle = "Enter transcribes · escape cancels"
        self.query_one("#audio-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._error("type the path of an audio file")
            return
        path = as_path(event.value)
        if not path.exists():
            self._error(f"{path}: file not found")
        elif path.is_dir():
            self._error(f"{path}: is a folder; name an audio file in it")
        else:
            self.dismiss(path)

    def _error(self, message: str) -> None:
        self.query_one("#audio-error", Static).update(Content.styled(message, "$text-error"))

    def action_cancel(self) -> None:
        self.dismiss(None)
