"""A coach's note on a saved attempt: write it, ctrl+s saves, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from coach.store import Attempt as SavedAttempt


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the note text ("" clears it), or None when cancelled."""

    CSS_PATH = "note.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, attempt: SavedAttempt, question: str) -> None:
        super().__init__()
        self.attempt = attempt
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(
                Content.assemble(
                    ("Coach's note on attempt ", "bold"),
                    (f"#{self.attempt.id}", "bold $text-accent"),
                    (f"  {self.question}, grade {self.attempt.grade}/5", "$text-muted"),
                )
            )
            yield TextArea(self.attempt.coach_note, id="note-text", soft_wrap=True)
            yield Static(
                Content.styled("ctrl+s saves (empty clears it), escape cancels", "$text-muted")
            )

    def on_mount(self) -> None:
        editor = self.query_one("#note-text", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note-text", TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
