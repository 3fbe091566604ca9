"""Coach sessions and the due drill: a run of questions, one after another, then a summary.

`SessionFlow` is a part of `CoachApp` (a mixin): its actions are the app's (`app.coach_session`,
`app.drill_due`, `app.continue_session`, `app.end_session`) and it handles the app's session
messages. The running session is the app's `session_run`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.screen import Screen

from coach.store import SessionPlan, StoreError
from coach.tui.history import due_questions
from coach.tui.messages import SessionFinished, SessionStarted, StoreProblem
from coach.tui.practice import SessionRun, due_plan
from coach.tui.services import Services
from coach.tui.startup import imported

if TYPE_CHECKING:  # the screens other than home are imported where they open
    from coach.tui.screens.results import ResultsScreen


class SessionFlow(App[None]):
    services: Services
    session_run: SessionRun | None
    # CoachApp's own: the answer screen for a question, back home, and the header.
    open_question: Callable[[str, str | None], None]
    go_home: Callable[[], None]
    _show_who: Callable[[], None]

    def action_coach_session(self) -> None:
        practice = self.services.practice
        if practice is None:
            return
        if self.session_run is not None:
            self.notify("A session is running: n continues it, e ends it.", title="Coach session")
            return

        from coach.tui.screens.session_plan import SessionPlanScreen

        def chosen(plan: SessionPlan | None) -> None:
            if plan is not None:
                self.start_session(plan)

        self.push_screen(SessionPlanScreen(practice), chosen)

    def action_drill_due(self) -> None:
        if self.services.practice is None:
            return
        if self.session_run is not None:
            self.notify("A session is running: n continues it, e ends it.", title="Drill due")
            return
        try:
            due = due_questions(self.services.history)
        except StoreError as exc:
            self.notify(str(exc), title="Drill due", severity="error")
            return
        if not due:
            self.notify(
                "Nothing is due today: every question you practised is scheduled later.",
                title="Drill due",
            )
            return
        self.start_session(due_plan(len(due)))

    @work(thread=True, exclusive=True, group="session")
    def start_session(self, plan: SessionPlan) -> None:
        practice = self.services.practice
        assert practice is not None
        try:
            run = practice.start_session(plan, self.services.rng)
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc), "Coach session"))
            return
        self.post_message(SessionStarted(run))

    def on_session_started(self, message: SessionStarted) -> None:
        run = message.run
        self.session_run = run
        self._show_who()
        count = len(run.steps)
        self.notify(
            f"{count} question{'s' if count != 1 else ''}, each with its time limit. "
            "After each result, n goes on; e on the home screen ends the session.",
            title=f"Session {run.name}",
        )
        self._open_step()

    def _on_session_result(self) -> bool:
        """True on the result of the running session's current question."""
        run, result = self.session_run, new_result(self.screen)
        if run is None or run.current is None or result is None:
            return False
        return result.question.id == run.current.question_id

    def _open_step(self) -> None:
        run = self.session_run
        if run is None or run.current is None:
            return
        question = self.services.question(run.current.question_id)
        if run.index not in run.scenarios:
            run.scenarios[run.index] = self.services.draw_scenario(question)
        self.open_question(question.id, run.scenarios[run.index])

    def next_in_session(self) -> None:
        run = self.session_run
        if run is None:
            return
        if run.advance() is None:
            self.action_end_session()
            return
        self._show_who()
        self._open_step()

    def action_continue_session(self) -> None:
        if self.session_run is not None:
            self._open_step()

    def action_end_session(self) -> None:
        run = self.session_run
        if run is not None:
            self.finish_session(run)

    @work(thread=True, exclusive=True, group="session")
    def finish_session(self, run: SessionRun) -> None:
        practice = self.services.practice
        assert practice is not None
        try:
            summary = practice.finish_session(run)
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc), "Coach session"))
            return
        self.post_message(SessionFinished(summary))

    def on_session_finished(self, message: SessionFinished) -> None:
        from coach.tui.screens.session_summary import SessionSummaryScreen

        self.session_run = None
        self._show_who()
        self.go_home()
        self.push_screen(SessionSummaryScreen(message.summary))


def new_result(screen: Screen[object]) -> ResultsScreen | None:
    """`screen` if it is a results screen, unless a saved attempt's (a PastResultScreen,
    opened from the history: retry and next are off there)."""
    if not imported("results"):
        return None
    from coach.tui.screens.results import ResultsScreen

    if not isinstance(screen, ResultsScreen):
        return None
    if imported("past_result"):
        from coach.tui.screens.past_result import PastResultScreen

        if isinstance(screen, PastResultScreen):
            return None
    return screen
