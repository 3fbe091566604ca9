"""History: saved attempts with filters, the trend of every criterion, the weak spots; open an
attempt's result again; a coach adds a note or a grade 1-5 to the highlighted attempt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from coach.store import Attempt as SavedAttempt
from coach.store import StoreError
from coach.tui.labels import grade_style
from coach.tui.messages import (
    AttemptUpdated,
    CandidatesLoaded,
    HistoryLoaded,
    StoreProblem,
)
from coach.tui.practice import HistoryFilter, HistoryView, Practice
from coach.tui.screens.note import NoteScreen
from coach.tui.screens.past_result import PastResultScreen
from coach.tui.services import Services
from coach.tui.widgets.attempt_table import AttemptTable, question_label, when
from coach.tui.widgets.trend_panel import TrendPanel, short_name

ALL = "*"
PERIODS: list[tuple[str, int]] = [
    ("All time", 0),
    ("Today", 1),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
]


def since_for(days: int, today: date | None = None) -> date | None:
    """The first day of a period of `days` days ending today; None for all time."""
    if days <= 0:
        return None
    return (today or date.today()) - timedelta(days=days - 1)


class HistoryScreen(Screen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("n", "note", "Note"),
        Binding("1", "grade(1)", "Grade", key_display="1-5"),
        Binding("2", "grade(2)", "Grade 2", show=False),
        Binding("3", "grade(3)", "Grade 3", show=False),
        Binding("4", "grade(4)", "Grade 4", show=False),
        Binding("5", "grade(5)", "Grade 5", show=False),
        Binding("0", "grade(0)", "Clear grade", show=False),
        Binding("f", "filters", "Filters"),
        Binding("escape", "back", "Back", key_display="esc"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, services: Services, practice: Practice) -> None:
        super().__init__()
        self.services = services
        self.practice = practice
        self.filter = HistoryFilter(candidate=practice.candidate)
        self.view: HistoryView | None = None
        self._keep: int | None = None  # the attempt to keep the cursor on after a reload

    def compose(self) -> ComposeResult:
        pack = self.services.pack
        questions = [(Content("Every question"), ALL)] + [
            (Content(question_label(pack, q.id)), q.id) for q in pack.questions
        ]
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                [(self.filter.candidate, self.filter.candidate)],
                value=self.filter.candidate,
                allow_blank=False,
                compact=True,
                id="filter-candidate",
            )
            yield Select(
                questions, value=ALL, allow_blank=False, compact=True, id="filter-question"
            )
            yield Select(PERIODS, value=0, allow_blank=False, compact=True, id="filter-since")
        with Horizontal(id="history-body"):
            with Vertical(id="attempts-pane"):
                yield AttemptTable(pack, id="attempts")
                yield Static(id="attempt-detail")
            with Vertical(id="progress-pane"):
                yield TrendPanel(id="trends")
                yield Static(id="weakest")
        yield Footer()

    @property
    def table(self) -> AttemptTable:
        return self.query_one("#attempts", AttemptTable)

    def on_mount(self) -> None:
        self.sub_title = "History"
        self.query_one("#attempts-pane").border_title = "Attempts"
        self.query_one("#progress-pane").border_title = "Progress"
        self.table.focus()
        self.load_candidates()
        self.load(self.filter)

    def on_screen_resume(self) -> None:
        if self.view is not None:  # back from an attempt: a note or grade may have changed
            self.load(self.filter)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="history")
    def load(self, wanted: HistoryFilter) -> None:
        try:
            view = self.practice.history_view(wanted)
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc)))
            return
        self.post_message(HistoryLoaded(view))

    @work(thread=True, exclusive=True, group="history-candidates")
    def load_candidates(self) -> None:
        try:
            candidates = self.practice.candidates()
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc)))
            return
        self.post_message(CandidatesLoaded(candidates))

    def on_candidates_loaded(self, message: CandidatesLoaded) -> None:
        select: Select[str] = self.query_one("#filter-candidate", Select)
        current = self.filter.candidate
        names = [c.name for c in message.candidates] or [current]
        if current not in names:
            names.append(current)
        with self.prevent(Select.Changed):
            select.set_options([(name, name) for name in names])
            select.value = current

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        if message.view.filter != self.filter:
            return  # an older filter's answer
        self.view = message.view
        table = self.table
        keep = self._keep
        if keep is None and table.selected is not None:
            keep = table.selected.id
        table.show(message.view.attempts, keep)
        self._keep = None
        self.query_one("#trends", TrendPanel).show(message.view.trends)
        self.query_one("#weakest", Static).update(self._weakest(message.view))
        self._show_detail()

    def _weakest(self, view: HistoryView) -> Content:
        if not view.attempts:
            return Content.styled("Answer a question and your progress shows here.", "$text-muted")
        parts: list[Content] = [Content.styled("Weakest criteria", "bold")]
        for weak in view.weakest_criteria[:2]:
            parts.append(
                Content.assemble(
                    f"{short_name(weak.criterion)} ",
                    (f"{weak.mean_score:.2f} ({weak.pass_rate:.0%} pass)", "$text-muted"),
                )
            )
        parts.append(Content.styled("Weakest questions", "bold"))
        for progress in view.weakest_questions[:2]:
            parts.append(
                Content.assemble(
                    f"{question_label(self.services.pack, progress.question_id, 21)} ",
                    (f"{progress.last_grade}/5", grade_style(progress.last_grade)),
                )
            )
        return Content("\n").join(parts)

    def _show_detail(self) -> None:
        detail = self.query_one("#attempt-detail", Static)
        attempt = self.table.selected
        if attempt is None:
            detail.update(
                Content.styled("No attempts for this filter yet.", "$text-muted")
                if self.view is not None
                else Content.styled("Loading…", "$text-muted")
            )
            return
        coach = (
            Content.assemble(("Coach grade ", "$text-muted"), (f"{attempt.human_grade}/5", "bold"))
            if attempt.human_grade is not None
            else Content.styled("no coach grade", "$text-muted")
        )
        note = (
            Content.assemble(("Note: ", "$text-muted"), attempt.coach_note)
            if attempt.coach_note
            else Content.styled("No coach's note", "$text-muted")
        )
        first = Content.assemble(
            (f"#{attempt.id} ", "$text-muted"),
            when(attempt),
            (f"  {attempt.mode}  ", "$text-muted"),
            coach,
        )
        detail.update(Content("\n").join([first, note]))

    # ------------------------------------------------------------------ events

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_attempt(self.table.selected)

    def on_select_changed(self, event: Select.Changed) -> None:
        candidate = self.query_one("#filter-candidate", Select).value
        question = self.query_one("#filter-question", Select).value
        days = self.query_one("#filter-since", Select).value
        wanted = HistoryFilter(
            candidate=str(candidate) if isinstance(candidate, str) else self.filter.candidate,
            question=str(question) if isinstance(question, str) and question != ALL else None,
            since=since_for(days if isinstance(days, int) else 0),
        )
        if wanted != self.filter:
            self.filter = wanted
            self.load(wanted)

    def on_attempt_updated(self, message: AttemptUpdated) -> None:
        """Reload: a coach's grade moves the trend and the due date (home redraws on return)."""
        self._keep = message.attempt.id
        self.load(self.filter)

    # ------------------------------------------------------------------ actions

    def open_attempt(self, attempt: SavedAttempt | None) -> None:
        if attempt is None:
            return
        try:
            question = self.services.question(attempt.question_id)
        except KeyError:
            self.notify(
                f"Question {attempt.question_id!r} is not in this content pack.",
                title="Cannot show this attempt",
                severity="warning",
            )
            return
        self.app.push_screen(PastResultScreen(self.services, question, attempt))

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand(
            "Coach's note", "Add a note to the highlighted attempt (n)", self.action_note
        )
        yield SystemCommand("Filters", "Filter by candidate, question, date (f)", self.action_filters)

    def action_note(self) -> None:
        attempt = self.table.selected
        if attempt is None:
            return

        def chosen(note: str | None) -> None:
            if note is not None:
                self.save_note(attempt.id, note)

        label = question_label(self.services.pack, attempt.question_id)
        self.app.push_screen(NoteScreen(attempt, label), chosen)

    def action_grade(self, grade: int) -> None:
        attempt = self.table.selected
        if attempt is not None:
            self.save_grade(attempt.id, grade or None)

    def action_filters(self) -> None:
        self.query_one("#filter-candidate", Select).focus()

    def action_back(self) -> None:
        if not self.table.has_focus:
            self.table.focus()  # escape leaves the filters first
            return
        self.dismiss()

    @work(thread=True, group="history-save")
    def save_note(self, attempt_id: int, note: str) -> None:
        try:
            attempt = self.practice.set_note(attempt_id, note)
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc), "Note not saved"))
            return
        self.post_message(AttemptUpdated(attempt))

    @work(thread=True, group="history-save")
    def save_grade(self, attempt_id: int, grade: int | None) -> None:
        try:
            attempt = self.practice.set_human_grade(attempt_id, grade)
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc), "Grade not saved"))
            return
        self.post_message(AttemptUpdated(attempt))
