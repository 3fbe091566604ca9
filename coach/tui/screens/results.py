"""Results: grade and score, every criterion with its evidence highlighted in the answer,
the STAR map, mistakes, talking points, time against target, and the model answer beside it.
A spoken answer adds the delivery panel (pace, fillers, pauses, speaking time) under the score."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, Tab, Tabs

from coach.content import Question
from coach.scoring import ScoreResult
from coach.speech import Delivery
from coach.tui.messages import EvidenceFocused, OpenQuestion
from coach.tui.services import Services
from coach.tui.stopwatch import format_seconds
from coach.tui.widgets.delivery_panel import DeliveryPanel
from coach.tui.widgets.feedback_list import FeedbackList
from coach.tui.widgets.star_text import AnswerText, ModelAnswerText

NARROW = "-narrow"


def grade_style(grade: int) -> str:
    if grade >= 4:
        return "bold $text-success"
    if grade == 3:
        return "bold $text-warning"
    return "bold $text-error"


def summary(result: ScoreResult, question: Question, seconds: float) -> Content:
    over = seconds > question.target_seconds
    first = Content.assemble(
        (f"Grade {result.grade}/5", grade_style(result.grade)),
        ("  ", ""),
        (f"{result.overall}/100", "bold"),
        ("  time ", "$text-muted"),
        (format_seconds(seconds), "bold $text-warning" if over else "bold"),
        (f" of {format_seconds(question.target_seconds)}", "$text-muted"),
        (" (over)" if over else "", "$text-warning"),
        (f"  {result.word_count} words", "$text-muted"),
        (f"  similarity to model {result.model_answer_similarity:.2f}", "$text-muted")
        if result.semantic
        else ("", ""),
    )
    notes = list(result.notes)
    if not result.semantic:
        notes = [n for n in notes if "semantic" not in n]
        notes.insert(0, "scored with keyword checks only (the model is unavailable)")
    if result.off_topic and not any("address" in n for n in notes):
        notes.append("the answer does not seem to address this question")
    if not notes:
        return first
    return Content("\n").join([first, Content.styled("! " + "; ".join(notes), "$text-warning")])


def analysed_note(result: ScoreResult) -> str:
    if result.truncated:
        return "… the rest of the answer was not analysed (too long)."
    return ""


class ResultsScreen(Screen[None]):
    CSS_PATH = "results.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, NARROW), (100, "-wide")]
    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next question"),
        Binding("m", "toggle_model", "Model answer"),
        Binding("escape,h", "home", "Home", key_display="esc"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        services: Services,
        question: Question,
        answer: str,
        seconds: float,
        result: ScoreResult,
        *,
        delivery: Delivery | None = None,
        delivery_source: str = "",
        timed_only: bool = False,
    ) -> None:
        """`delivery` (a spoken answer's): `delivery_source` says where it was measured, and
        `timed_only` that it comes from a clock, not from audio (no pauses)."""
        super().__init__()
        self.services = services
        self.question = question
        self.answer = answer
        self.seconds = seconds
        self.result = result
        self.delivery = delivery
        self.delivery_source = delivery_source or "spoken"
        self.timed_only = timed_only

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(summary(self.result, self.question, self.seconds), id="summary")
        if self.delivery is not None:
            yield DeliveryPanel(
                self.delivery, self.delivery_source, timed_only=self.timed_only, id="delivery"
            )
        with Horizontal(id="body"):
            yield FeedbackList(self.result, id="feedback")
            with Vertical(id="compare"):
                yield Tabs(
                    Tab("Your answer", id="tab-yours"),
                    Tab("Model answer", id="tab-model"),
                    id="compare-tabs",
                )
                with Horizontal(id="panes"):
                    with Vertical(id="yours"):
                        yield Label("Your answer", classes="pane-title")
                        yield AnswerText(
                            self.result.sentences, analysed_note(self.result), id="answer-text"
                        )
                    with Vertical(id="model"):
                        yield Label("Model answer", classes="pane-title")
                        yield ModelAnswerText(self.question, id="model-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Results: {self.question.title}"
        self.query_one("#feedback", FeedbackList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_model":
            return self.has_class(NARROW)  # side by side when wide: nothing to toggle
        return True

    def on_resize(self) -> None:
        self.refresh_bindings()

    # ------------------------------------------------------------------ evidence

    def on_evidence_focused(self, message: EvidenceFocused) -> None:
        self.query_one("#answer-text", AnswerText).evidence = message.sentences
        if message.sentences and self.has_class("-show-model"):
            self.query_one("#compare-tabs", Tabs).active = "tab-yours"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        self.set_class(event.tab.id == "tab-model", "-show-model")

    # ------------------------------------------------------------------ actions

    def action_toggle_model(self) -> None:
        tabs = self.query_one("#compare-tabs", Tabs)
        tabs.active = "tab-yours" if tabs.active == "tab-model" else "tab-model"

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Retry", "Answer the same question again", self.action_retry)
        yield SystemCommand("Next question", "Go on to the next question", self.action_next)

    def action_retry(self) -> None:
        self.post_message(OpenQuestion(self.question.id, fresh=True))

    def action_next(self) -> None:
        following = self.services.next_question(self.question.id)
        self.post_message(OpenQuestion(following.id))

    def action_home(self) -> None:
        self.dismiss()
