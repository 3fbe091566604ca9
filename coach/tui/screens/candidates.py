"""Who is practising: pick a candidate, or type a new name to add one."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coach.store import StoreError
from coach.tui.messages import CandidateAdded, CandidateRefused, CandidatesLoaded
from coach.tui.practice import Practice


class CandidateScreen(ModalScreen[str | None]):
    """Dismisses with the chosen (or new) candidate's name, or None."""

    CSS_PATH = "candidates.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("a", "add", "Add candidate"),
    ]

    def __init__(self, practice: Practice) -> None:
        super().__init__()
        self.practice = practice

    def compose(self) -> ComposeResult:
        with Vertical(id="candidate-box"):
            yield Static(Content.styled("Who is practising?", "bold"), id="candidate-title")
            yield OptionList(id="candidate-list")
            yield Input(placeholder="New candidate's name, then Enter", id="new-candidate")
            yield Static(id="candidate-problem")
            yield Static(
                Content.styled("Enter picks · a adds · escape cancels", "$text-muted"),
                id="candidate-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#candidate-list", OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="candidates")
    def load(self) -> None:
        try:
            self.post_message(CandidatesLoaded(self.practice.candidates()))
        except StoreError as exc:
            self.post_message(CandidateRefused(str(exc)))

    def on_candidates_loaded(self, message: CandidatesLoaded) -> None:
        current = self.practice.candidate
        options = [
            Option(
                Content.assemble(
                    ("● " if c.name == current else "  ", "$text-accent"),
                    (c.name, "bold" if c.name == current else ""),
                ),
                id=c.name,
            )
            for c in message.candidates
        ]
        listing = self.query_one("#candidate-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        names = [c.name for c in message.candidates]
        if current in names:
            listing.highlighted = names.index(current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if name:
            self.add(name)

    @work(thread=True, exclusive=True, group="candidates")
    def add(self, name: str) -> None:
        try:
            candidate = self.practice.add_candidate(name)
        except StoreError as exc:
            self.post_message(CandidateRefused(str(exc)))
            return
        self.post_message(CandidateAdded(candidate.name))

    def on_candidate_added(self, message: CandidateAdded) -> None:
        self.dismiss(message.name)

    def on_candidate_refused(self, message: CandidateRefused) -> None:
        self.query_one("#candidate-problem", Static).update(
            Content.styled(message.reason, "$text-error")
        )

    def action_add(self) -> None:
        self.query_one("#new-candidate", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
