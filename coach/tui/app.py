"""The practice app and its factory, shared by the `coach` command and the tests."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import importlib
import random
import signal
import sys
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from coach.content import ContentError, ContentPack, load_pack
from coach.locations import bundled_content_dir, drafts_dir
from coach.store import DEFAULT_CANDIDATE, SessionPlan, Store, StoreError, open_store
from coach.tui.drafts import DraftStore
from coach.tui.engine import Engine, ModelState
from coach.tui.history import History, SessionHistory, due_questions
from coach.tui.messages import (
    CandidateSwitched,
    ModelLoaded,
    OpenQuestion,
    SessionFinished,
    SessionStarted,
    StoreProblem,
)
from coach.tui.practice import Practice, SessionRun, due_plan
from coach.tui.screens.home import HomeScreen
from coach.tui.services import Services
from coach.tui.stopwatch import Clock
from coach.tui.threads import DaemonThreadExecutor

if TYPE_CHECKING:  # the app imports the screens other than home where it opens them
    from coach.tui.screens.results import ResultsScreen

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

# The first frame needs the home screen only: the app imports every other screen where it opens
# it, and after the first frame a worker imports these in the background (`warm_up_screens`),
# so that the first Enter, h or l does not wait for them either.
LATER_SCREENS = (
    "answer",
    "results",
    "past_result",
    "history",
    "lab",
    "help",
    "resume",
    "candidates",
    "session_plan",
    "session_summary",
)


def imported(screen_module: str) -> bool:
    """Whether `coach.tui.screens.<screen_module>` is imported yet.

    A check such as "is an answer screen open?" asks this first rather than import the screen's
    module for nothing: until its module is imported, no such screen can be open.
    """
    return f"coach.tui.screens.{screen_module}" in sys.modules


_heap_frozen = False


def freeze_heap() -> None:
    """Move the loaded model's objects out of the garbage collector's sight.

    Otherwise a full collection walks the whole model (0.5 s or more on a small machine), and it
    can fall on the UI thread in the middle of typing. Once per process: what is loaded then
    stays for good.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


STORE_ACTIONS = ("history", "switch_candidate", "new_candidate", "coach_session", "drill_due")
SESSION_ACTIONS = ("continue_session", "end_session")


class CoachApp(App[None]):
    """Home -> answer -> results; the model loads in a worker after the first paint.

    With the practice store (`services.practice`): history, candidates, coach sessions and the
    due drill. A running coach session lives here (`session_run`): "next" on one of its results
    goes on to its next question, and after the last one to the session summary.
    """

    CSS_PATH = "app.tcss"
    TITLE = "coach"
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    model_state: reactive[ModelState] = reactive(ModelState.LOADING)
    session_label: reactive[str] = reactive("")  # "Session X: question 2 of 3" while one runs

    def __init__(self, services: Services, *, handle_signals: bool = False) -> None:
        super().__init__()
        self.services = services
        self.handle_signals = handle_signals
        self.session_run: SessionRun | None = None
        self.set_reactive(CoachApp.model_state, services.engine.state)
        self._show_who()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(DaemonThreadExecutor())  # where @work(thread=True) runs
        # Pushed rather than returned from get_default_screen: Textual 8 skips the CSS_PATH of a
        # default screen.
        self.push_screen(HomeScreen(self.services))
        if self.handle_signals:
            for sig in SIGNALS:
                loop.add_signal_handler(sig, self.terminate, sig)

    def on_unmount(self) -> None:
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in SIGNALS:
                loop.remove_signal_handler(sig)

    def on_ready(self) -> None:
        """After the first frame: import the other screens and start the model, and offer back
        a draft left from last time."""
        self.warm_up_screens()
        if self.services.engine.ready:
            freeze_heap()
        else:
            self.load_model()
        practice = self.services.practice
        if practice is not None and practice.created:
            self.notify(
                f"New candidate {practice.candidate!r} created; c switches candidate.",
                title="Candidate",
            )
        drafts = self.services.drafts.all()
        if drafts:
            self._offer_draft(drafts[0].question_id)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up_screens(self) -> None:
        """Import the screens the first frame did not need. Best effort: a screen that cannot be
        imported fails again, with its error, when it is opened."""
        for name in LATER_SCREENS:
            try:
                importlib.import_module(f"coach.tui.screens.{name}")
            except Exception:
                return

    # ------------------------------------------------------------------ model

    @work(thread=True, exclusive=True, group="model")
    def load_model(self) -> None:
        worker = get_current_worker()
        state = self.services.engine.load()
        freeze_heap()
        if not worker.is_cancelled:
            self.post_message(ModelLoaded(state, self.services.engine.problem))

    def on_model_loaded(self, message: ModelLoaded) -> None:
        self.model_state = message.state
        if message.state is ModelState.UNAVAILABLE:
            self.notify(
                f"{message.problem}. Scoring uses keyword checks only.",
                title="Scoring model unavailable",
                severity="warning",
                timeout=12,
            )

    # ------------------------------------------------------------------ navigation

    def on_open_question(self, message: OpenQuestion) -> None:
        if not message.fresh and self._on_session_result():
            self.next_in_session()  # "next" on a session question's result
            return
        self.open_question(message.question_id, message.scenario, fresh=message.fresh)

    def open_question(
        self, question_id: str, scenario: str | None = None, *, fresh: bool = False
    ) -> None:
        """The answer screen for a question, with its kept draft unless `fresh`.

        The current question of a running session opens with the session's time limit, its
        drawn scenario, and the session's id on the attempt.
        """
        from coach.tui.screens.answer import AnswerScreen
        from coach.tui.screens.results import ResultsScreen  # imported by the answer screen

        services = self.services
        question = services.question(question_id)
        session_id: int | None = None
        run = self.session_run
        step = run.current if run is not None else None
        if run is not None and step is not None and step.question_id == question_id:
            session_id = run.session.id
            if step.seconds:
                question = dataclasses.replace(question, target_seconds=step.seconds)
            if scenario is None:
                scenario = run.scenarios.get(run.index)
        if fresh:
            services.drafts.discard(question_id)
        draft = services.drafts.load(question_id)
        if scenario is None and draft is not None:
            scenario = draft.scenario
        screen = AnswerScreen(services, question, scenario, draft, session_id)
        if isinstance(self.screen, ResultsScreen):
            self.switch_screen(screen)
        else:
            self.go_home()
            self.push_screen(screen)

    def go_home(self) -> None:
        self.save_drafts()
        while len(self.screen_stack) > 1 and not isinstance(self.screen_stack[-1], HomeScreen):
            self.pop_screen()

    def _offer_draft(self, question_id: str) -> None:
        draft = self.services.drafts.load(question_id)
        if draft is None:
            return
        try:
            question = self.services.question(question_id)
        except KeyError:
            return  # a draft for a question no longer in the pack

        from coach.tui.screens.resume import ResumeDraftScreen

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.open_question(question_id)
            elif choice == "discard":
                self.services.drafts.discard(question_id)
                self.notify("Draft discarded.")
                if isinstance(self.screen, HomeScreen):
                    self.screen.refresh_status()

        self.push_screen(ResumeDraftScreen(draft, question), chosen)

    # ------------------------------------------------------------------ candidates and title

    def _show_who(self) -> None:
        """The candidate (and the session's progress) in the header, on every screen."""
        parts = [self.TITLE]
        practice = self.services.practice
        if practice is not None:
            parts.append(practice.candidate)
        run = self.session_run
        if run is not None and not run.done:
            parts.append(f"{run.name} {run.index + 1}/{len(run.steps)}")
            self.session_label = f"Session {run.name}: question {run.index + 1} of {len(run.steps)}"
        else:
            self.session_label = ""
        self.title = " · ".join(parts)

    def action_switch_candidate(self, add: bool = False) -> None:
        practice = self.services.practice
        if practice is None:
            return
        if self.session_run is not None:
            self.notify(
                "A coach session is running: end it first (e on the home screen).",
                title="Candidate",
                severity="warning",
            )
            return

        from coach.tui.screens.candidates import CandidateScreen

        def chosen(name: str | None) -> None:
            if name:
                self.switch_candidate(name)

        screen = CandidateScreen(practice)
        self.push_screen(screen, chosen)
        if add:
            self.call_after_refresh(screen.action_add)

    def action_new_candidate(self) -> None:
        self.action_switch_candidate(add=True)

    @work(thread=True, exclusive=True, group="candidate")
    def switch_candidate(self, name: str) -> None:
        practice = self.services.practice
        assert practice is not None
        try:
            practice.switch(name)
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc), "Candidate"))
            return
        self.post_message(CandidateSwitched(practice.candidate))

    def on_candidate_switched(self, message: CandidateSwitched) -> None:
        self._show_who()
        self.notify(f"Practising as {message.name}.", title="Candidate")
        self._refresh_home()

    def _refresh_home(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_status()

    def on_store_problem(self, message: StoreProblem) -> None:
        self.notify(message.reason, title=message.title, severity="error", timeout=12)

    # ------------------------------------------------------------------ coach sessions

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
        run, result = self.session_run, self._new_result(self.screen)
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

    # ------------------------------------------------------------------ history and lab

    def action_history(self) -> None:
        from coach.tui.screens.history import HistoryScreen

        practice = self.services.practice
        if practice is None or isinstance(self.screen, HistoryScreen):
            return
        self.go_home()
        self.push_screen(HistoryScreen(self.services, practice))

    def action_rubric_lab(self) -> None:
        from coach.tui.screens.lab import LabScreen

        if isinstance(self.screen, LabScreen):
            return
        self.go_home()
        self.push_screen(LabScreen(self.services))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in STORE_ACTIONS:
            return self.services.practice is not None
        if action in SESSION_ACTIONS:
            return self.session_run is not None
        return True

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_home(self) -> None:
        if imported("answer"):
            from coach.tui.screens.answer import AnswerScreen

            if isinstance(self.screen, AnswerScreen):
                self.screen.action_leave()
                return
        self.go_home()

    def action_random_drill(self) -> None:
        self.go_home()
        home = self.screen
        if isinstance(home, HomeScreen):
            home.action_random_drill()

    async def action_quit(self) -> None:
        self.save_drafts()
        self.exit()

    def action_help_quit(self) -> None:
        """ctrl+c outside the editor: keep the draft safe, then say how to quit."""
        self.save_drafts()
        super().action_help_quit()

    def save_drafts(self) -> None:
        if imported("answer"):
            from coach.tui.screens.answer import AnswerScreen

            for screen in self.screen_stack:
                if isinstance(screen, AnswerScreen) and screen.is_mounted:
                    screen.stage_draft()
        self.services.drafts.flush()

    def terminate(self, signum: int = signal.SIGTERM) -> None:
        """SIGTERM, SIGHUP (terminal closed) or SIGINT: save the draft, then leave."""
        self.save_drafts()
        self.exit(return_code=128 + signum)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "How the practice flow works, and the keys", self.action_help)
        yield SystemCommand("Home", "Back to the list of questions", self.action_home)
        yield SystemCommand(
            "Random drill",
            "Practise a random question with a scenario prompt",
            self.action_random_drill,
        )
        if self.services.practice is not None:
            yield SystemCommand(
                "History", "Your attempts, trends and weakest spots (h)", self.action_history
            )
            yield SystemCommand(
                "Drill due",
                "Practise the questions due today, most overdue first (d)",
                self.action_drill_due,
            )
            if self.session_run is None:
                yield SystemCommand(
                    "Coach session",
                    "Run a saved plan, n random questions or due first, then a summary (p)",
                    self.action_coach_session,
                )
                yield SystemCommand(
                    "Switch candidate", "Practise as someone else (c)", self.action_switch_candidate
                )
                yield SystemCommand(
                    "New candidate", "Add someone to practise as", self.action_new_candidate
                )
            else:
                yield SystemCommand(
                    "Continue session",
                    "Back to the session's current question (n on home)",
                    self.action_continue_session,
                )
                yield SystemCommand(
                    "End session",
                    "Finish now and see the session summary (e on home)",
                    self.action_end_session,
                )
        yield SystemCommand(
            "Rubric lab",
            "Check the rubric against hand-graded answers and tune it (l)",
            self.action_rubric_lab,
        )
        # Each screen names its own commands (`palette_commands`) while it is showing.
        screen_commands = getattr(screen, "palette_commands", None)
        if screen_commands is not None:
            yield from screen_commands()
        for number, question in enumerate(self.services.pack.questions, start=1):
            yield SystemCommand(
                f"Open question {number}: {question.title}",
                question.question,
                partial(self.open_question, question.id),
                discover=False,
            )

    def _new_result(self, screen: Screen[object]) -> ResultsScreen | None:
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


def create_app(
    *,
    pack: ContentPack | None = None,
    content_dir: Path | None = None,
    engine: Engine | None = None,
    drafts: Path | None = None,
    history: History | None = None,
    store: Store | None = None,
    candidate: str | None = None,
    clock: Clock = time.monotonic,
    seed: int | None = None,
    theme: str | None = None,
    draft_delay: float = 0.5,
    live_delay: float = 0.6,
    timer_save_interval: float = 5.0,
    handle_signals: bool = False,
) -> CoachApp:
    """The app with its parts; every part can be swapped (tests pass a fixed clock, a tmp
    drafts directory, a keyword-only or preloaded engine, a seed for the scenario draws, a
    store on a tmp database).

    With `store`, attempts are saved for `candidate` (default "me", created when missing) and
    history, candidates, sessions and the due drill are on. Raises `StoreError` for a store
    that cannot be read or a candidate name it refuses.
    """
    if pack is None:
        pack = load_pack(content_dir or bundled_content_dir())
    practice = Practice(store, pack, candidate or DEFAULT_CANDIDATE) if store is not None else None
    if history is None:
        history = practice.history if practice is not None else SessionHistory()
    services = Services(
        pack=pack,
        engine=engine or Engine(pack),
        drafts=DraftStore(drafts or drafts_dir()),
        history=history,
        clock=clock,
        rng=random.Random(seed),
        draft_delay=draft_delay,
        live_delay=live_delay,
        timer_save_interval=timer_save_interval,
        practice=practice,
    )
    app = CoachApp(services, handle_signals=handle_signals)
    if theme:
        app.theme = theme
    return app


def run_app(args: argparse.Namespace) -> int:
    """`coach` with no verb: `--candidate NAME` (default "me"), `--db PATH` (default COACH_DB,
    then the platform data folder), `--content DIR`. A database that cannot be opened (damaged,
    locked, too new) is one line on stderr and exit 2; it is never overwritten."""
    try:
        pack = load_pack(getattr(args, "content", None) or bundled_content_dir())
    except ContentError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    try:
        store = open_store(getattr(args, "db", None))
    except StoreError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    try:
        try:
            app = create_app(
                pack=pack,
                store=store,
                candidate=getattr(args, "candidate", None) or DEFAULT_CANDIDATE,
                handle_signals=True,
            )
        except StoreError as exc:
            print(f"coach: {exc}", file=sys.stderr)
            return 2
        # The modules, the content pack and the app stay for good: out of the garbage collector's
        # sight, the full collection that otherwise falls in the first frame does not walk them.
        gc.freeze()
        gc.enable()  # `coach` turned it off for the imports (coach.cli.open_app)
        try:
            app.run()
        finally:
            app.save_drafts()
        return app.return_code or 0
    finally:
        store.close()
