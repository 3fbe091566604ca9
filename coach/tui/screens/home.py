"""Home: the ten questions with their last grade and due marks; draw a scenario, open one, a
random drill, the due drill, a coach session, the history, the rubric lab."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from coach.content import Question
from coach.tui.engine import ModelState
from coach.tui.history import due_questions
from coach.tui.messages import OpenQuestion
from coach.tui.services import Services
from coach.tui.stopwatch import format_seconds
from coach.tui.widgets.question_list import QuestionList


def model_line(state: ModelState, problem: str) -> Content:
    if state is ModelState.LOADING:
        return Content.styled("Scoring model: warming up… (you can start now)", "$text-muted")
    if state is ModelState.READY:
        return Content.styled("Scoring model: ready", "$text-success")
    return Content.styled(
        f"Scoring model unavailable - keyword checks only. {problem}", "$text-warning"
    )


class HomeScreen(Screen[None]):
    """The app's default screen. Its `home.tcss` is read with the app's CSS (`CoachApp.CSS_PATH`):
    Textual reads no CSS_PATH of a default screen."""

    BINDINGS = [
        Binding("s", "draw_scenario", "Scenario"),
        Binding("r", "random_drill", "Random"),
        Binding("d", "app.drill_due", "Due"),
        Binding("p", "app.coach_session", "Session"),
        Binding("n", "app.continue_session", "Continue session"),
        Binding("e", "app.end_session", "End session"),
        Binding("h", "app.history", "History"),
        Binding("c", "app.switch_candidate", "Who"),  # short: the footer fits 80 columns
        Binding("l", "app.rubric_lab", "Lab"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit", show=False),  # and ctrl+q anywhere
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.scenarios: dict[str, str] = {}  # question id -> drawn scenario prompt

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="model-status")
        yield Static(id="session-status")
        yield QuestionList(self.services.pack.questions, id="questions")
        with VerticalScroll(id="preview"):
            yield Static(id="preview-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Practice: professional networking"
        self.query_one("#questions", QuestionList).border_title = "Questions"
        self.query_one("#preview", VerticalScroll).border_title = "Question"
        self.watch(self.app, "model_state", self._show_model_state)
        self.watch(self.app, "session_label", self._show_session)
        self.refresh_status()

    def on_screen_resume(self) -> None:
        self.refresh_status()

    def _show_model_state(self, state: ModelState) -> None:
        self.query_one("#model-status", Static).update(
            model_line(state, self.services.engine.problem)
        )

    def _show_session(self, label: str) -> None:
        status = self.query_one("#session-status", Static)
        status.display = bool(label)
        status.update(
            Content.assemble(
                (label, "bold $text-accent"), ("  n continues, e ends it", "$text-muted")
            )
        )

    def refresh_status(self) -> None:
        """Redraw the grades, draft and due markers (after an answer, a draft saved elsewhere,
        a coach's grade or a change of candidate). Quick indexed reads of the store."""
        history = self.services.history
        ids = self.services.pack.question_ids()
        try:
            grades = {qid: history.last_grade(qid) for qid in ids}
            due = set(due_questions(history))
        except Exception as exc:  # a damaged or locked store: say so, keep the app going
            grades, due = {}, set()
            self.notify(str(exc), title="Practice history unavailable", severity="error")
        drafts = {d.question_id for d in self.services.drafts.all()}
        self.query_one("#questions", QuestionList).show_status(grades, drafts, due)
        self._show_preview()

    @property
    def question(self) -> Question | None:
        return self.query_one("#questions", QuestionList).highlighted_question

    def _show_preview(self) -> None:
        question = self.question
        if question is None:
            return
        scenario = self.scenarios.get(question.id)
        parts = [
            Content.styled(question.question, "bold"),
            Content.assemble(("Scenario: ", "bold $text-accent"), scenario)
            if scenario
            else Content.styled("Enter opens it; s draws a scenario prompt first.", "$text-muted"),
            Content.assemble(
                ("Target time: ", "$text-muted"), format_seconds(question.target_seconds)
            ),
            Content.assemble(("Why it is asked: ", "$text-muted"), question.why_asked),
        ]
        self.query_one("#preview-text", Static).update(Content("\n").join(parts))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        question = self.question
        if question is not None:
            self.post_message(OpenQuestion(question.id, self.scenarios.get(question.id)))

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand(
            "Draw a scenario",
            "A scenario prompt for the highlighted question",
            self.action_draw_scenario,
        )

    def action_draw_scenario(self) -> None:
        question = self.question
        if question is None:
            return
        self.scenarios[question.id] = self.services.draw_scenario(
            question, self.scenarios.get(question.id)
        )
        self._show_preview()

    def action_random_drill(self) -> None:
        question = self.services.rng.choice(self.services.pack.questions)
        self.scenarios[question.id] = self.services.draw_scenario(question)
        self.query_one("#questions", QuestionList).highlighted = self.services.pack.questions.index(
            question
        )
        self.post_message(OpenQuestion(question.id, self.scenarios[question.id]))
