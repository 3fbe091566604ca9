"""Offer back an unfinished answer kept from an earlier run (closed or killed mid-answer),
with the recording of a spoken answer if one was kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from coach.content import Question
from coach.tui.drafts import Draft
from coach.tui.stopwatch import format_seconds

PREVIEW_CHARS = 240


class ResumeDraftScreen(ModalScreen[str]):
    """Dismisses with "resume", "later" or "discard"."""

    CSS_PATH = "resume.tcss"
    BINDINGS = [
        Binding("escape", "choose('later')", "Later"),
        Binding("d", "choose('discard')", "Discard"),
    ]

    def __init__(self, draft: Draft, question: Question) -> None:
        super().__init__()
        self.draft = draft
        self.question = question

    def compose(self) -> ComposeResult:
        text = " ".join(self.draft.text.split())
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        words = len(self.draft.text.split())
        recording = ""
        if self.draft.recording:
            recording = ", and your recording"
            if not words:
                text = (
                    "A recording of your spoken answer, not transcribed yet: resume transcribes it."
                )
        with Vertical(id="resume-box"):
            yield Static(Content.styled("You have an unfinished answer", "bold"), id="resume-title")
            yield Static(
                Content.assemble(
                    ("Question: ", "$text-muted"),
                    (self.question.title, "bold"),
                    "\n",
                    (
                        f"{words} words, {format_seconds(self.draft.elapsed)} on the timer"
                        + recording,
                        "$text-muted",
                    ),
                )
            )
            yield Static(Content.styled(text, "italic"), id="resume-preview")
            with Horizontal(id="resume-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Later", id="later")
                yield Button("Discard", id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
