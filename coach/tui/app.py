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
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from coach.content import ContentError, ContentPack, load_pack
from coach.locations import bundled_content_dir, drafts_dir
from coach.store import DEFAULT_CANDIDATE, Store, StoreError, open_store
from coach.tui.candidate_switch import CandidateSwitching
from coach.tui.drafts import DraftStore
from coach.tui.engine import Engine, ModelState
from coach.tui.history import History, SessionHistory
from coach.tui.messages import ModelLoaded, OpenQuestion, StoreProblem
from coach.tui.palette import app_commands
from coach.tui.practice import Practice, SessionRun
from coach.tui.screens.home import HomeScreen
from coach.tui.services import Services
from coach.tui.session_flow import SessionFlow
from coach.tui.startup import LATER_SCREENS, freeze_heap
from coach.tui.startup import imported as imported  # part of this module's interface too
from coach.tui.stopwatch import Clock
from coach.tui.threads import DaemonThreadExecutor

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

STORE_ACTIONS = ("history", "switch_candidate", "new_candidate", "coach_session", "drill_due")
SESSION_ACTIONS = ("continue_session", "end_session")


class CoachApp(SessionFlow, CandidateSwitching, App[None]):
    """Home -> answer -> results; the model loads in a worker after the first paint.

    With the practice store (`services.practice`): history, candidates (`CandidateSwitching`),
    coach sessions and the due drill (`SessionFlow`). A running coach session lives here
    (`session_run`): "next" on one of its results goes on to its next question, and after the
    last one to the session summary. The command palette's entries are in `palette`.
    """

    CSS_PATH = ["app.tcss", "screens/home.tcss"]
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
        self.drawn = False  # the first frame is on screen (on_ready)
        self.quit_when_drawn = False
        self.set_reactive(CoachApp.model_state, services.engine.state)
        self._show_who()

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if sys.platform == "win32":
            return driver
        from textual.drivers.linux_driver import LinuxDriver

        from coach.tui.terminal import HangUpSafeDriver

        return HangUpSafeDriver if driver is LinuxDriver else driver

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(DaemonThreadExecutor())  # where @work(thread=True) runs
        if self.handle_signals:
            for sig in SIGNALS:
                loop.add_signal_handler(sig, self.terminate, sig)

    def get_default_screen(self) -> Screen[None]:
        # The home screen's CSS comes with the app's (CSS_PATH): Textual does not read the
        # CSS_PATH of a default screen, and pushing home over an empty default screen instead
        # cost the first paint some 60 ms (a second screen laid out, every style parsed again).
        return HomeScreen(self.services)

    def on_unmount(self) -> None:
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in SIGNALS:
                loop.remove_signal_handler(sig)

    def on_ready(self) -> None:
        """After the first frame: import the other screens and start the model, and offer back
        a draft left from last time."""
        self.drawn = True
        if self.quit_when_drawn:
            self.exit()
            return
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
        while len(self.screen_stack) > 1:  # home is the bottom screen
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

    # ------------------------------------------------------------------ title

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

    def on_store_problem(self, message: StoreProblem) -> None:
        self.notify(message.reason, title=message.title, severity="error", timeout=12)

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
        if not self.drawn:
            # A ctrl+q typed while coach started: exiting before the first frame breaks
            # Textual's own widgets still mounting (the header's title), so leave right after it.
            self.quit_when_drawn = True
            return
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
        yield from app_commands(self, screen)


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
        gc.enable()  # `coach` turned it off for the imports (coach.cli.command.open_app)
        try:
            app.run()
        finally:
            app.save_drafts()
        return app.return_code or 0
    finally:
        store.close()
