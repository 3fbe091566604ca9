"""Where to save the tuned rubric: a .yaml file (the shared rubric with the lab's numbers) or a
folder (a tuned copy of the whole pack). Whatever is overwritten is backed up first."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

MAX_LISTED = 6


SaveTarget = tuple[Path, bool]  # where, and True for a copy of the whole pack (a folder)


class SaveRubricScreen(ModalScreen[SaveTarget | None]):
    CSS_PATH = "save_rubric.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: str, changes: Sequence[str]) -> None:
        super().__init__()
        self.default = default
        self.changes = list(changes)

    def compose(self) -> ComposeResult:
        listed = [Content(f"• {change}") for change in self.changes[:MAX_LISTED]]
        if len(self.changes) > MAX_LISTED:
            listed.append(
                Content.styled(f"… and {len(self.changes) - MAX_LISTED} more", "$text-muted")
            )
        if not listed:
            listed = [
                Content.styled(
                    "No number moved yet: the copy will match the rubric.", "$text-warning"
                )
            ]
        with Vertical(id="save-box"):
            yield Static(Content.styled("Save the tuned rubric", "bold"))
            yield Static(Content("\n").join(listed), id="save-changes")
            yield Input(self.default, id="save-path")
            yield Static(
                Content.styled(
                    "A .yaml file gets the shared rubric; a folder (ending in /) a copy of the "
                    "whole pack. The rubric in use is never changed; a file overwritten is backed "
                    "up first. Enter saves, escape cancels.",
                    "$text-muted",
                ),
                id="save-help",
            )

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            path = Path(os.path.expanduser(text))
            self.dismiss((path, text.endswith(("/", os.sep)) or path.is_dir()))

    def action_cancel(self) -> None:
        self.dismiss(None)
