"""The practice app and its factory, shared by the `coach` command and the tests."""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import signal
import sys
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from coach.content import ContentError, ContentPack, load_pack
from coach.locations import bundled_content_dir, drafts_dir
from coach.tui.drafts import DraftStore
from coach.tui.engine import Engine, ModelState
from coach.tui.history import History, SessionHistory
from coach.tui.messages import ModelLoaded, OpenQuestion
from coach.tui.screens.answer import AnswerScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.results import ResultsScreen
from coach.tui.screens.resume import ResumeDraftScreen
from coach.tui.services import Services
from coach.tui.stopwatch import Clock
from coach.tui.threads import DaemonThreadExecutor

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


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


class CoachApp(App[None]):
    """Home -> answer -> results; the model loads in a worker after the first paint."""

    CSS_PATH = "app.tcss"
    TITLE = "coach"
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    model_state: reactive[ModelState] = reactive(ModelState.LOADING)

    def __init__(self, services: Services, *, handle_signals: bool = False) -> None:
        super().__init__()
        self.services = services
        self.handle_signals = handle_signals
        self.set_reactive(CoachApp.model_state, services.engine.state)

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
        """After the first frame: start the model, and offer back a draft left from last time."""
        if self.services.engine.ready:
            freeze_heap()
        else:
            self.load_model()
        drafts = self.services.drafts.all()
        if drafts:
            self._offer_draft(drafts[0].question_id)

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
        self.open_question(message.question_id, message.scenario, fresh=message.fresh)

    def open_question(
        self, question_id: str, scenario: str | None = None, *, fresh: bool = False
    ) -> None:
        """The answer screen for a question, with its kept draft unless `fresh`."""
        services = self.services
        question = services.question(question_id)
        if fresh:
            services.drafts.discard(question_id)
        draft = services.drafts.load(question_id)
        if scenario is None and draft is not None:
            scenario = draft.scenario
        screen = AnswerScreen(services, question, scenario, draft)
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

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.open_question(question_id)
            elif choice == "discard":
                self.services.drafts.discard(question_id)
                self.notify("Draft discarded.")
                if isinstance(self.screen, HomeScreen):
                    self.screen.refresh_status()

        self.push_screen(ResumeDraftScreen(draft, question), chosen)

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_home(self) -> None:
        if isinstance(self.screen, AnswerScreen):
            self.screen.action_leave()
        else:
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
        if isinstance(screen, HomeScreen):
            yield SystemCommand(
                "Draw a scenario",
                "A scenario prompt for the highlighted question",
                screen.action_draw_scenario,
            )
        if isinstance(screen, AnswerScreen):
            yield SystemCommand("Submit answer", "Score the answer (ctrl+s)", screen.action_submit)
            yield SystemCommand("Start or pause the timer", "ctrl+t", screen.action_toggle_timer)
        if isinstance(screen, ResultsScreen):
            yield SystemCommand("Retry", "Answer the same question again", screen.action_retry)
            yield SystemCommand("Next question", "Go on to the next question", screen.action_next)
        for number, question in enumerate(self.services.pack.questions, start=1):
            yield SystemCommand(
                f"Open question {number}: {question.title}",
                question.question,
                partial(self.open_question, question.id),
                discover=False,
            )


def create_app(
    *,
    pack: ContentPack | None = None,
    content_dir: Path | None = None,
    engine: Engine | None = None,
    drafts: Path | None = None,
    history: History | None = None,
    clock: Clock = time.monotonic,
    seed: int | None = None,
    theme: str | None = None,
    draft_delay: float = 0.5,
    live_delay: float = 0.6,
    handle_signals: bool = False,
) -> CoachApp:
    """The app with its parts; every part can be swapped (tests pass a fixed clock, a tmp
    drafts directory, a keyword-only or preloaded engine, a seed for the scenario draws)."""
    if pack is None:
        pack = load_pack(content_dir or bundled_content_dir())
    services = Services(
        pack=pack,
        engine=engine or Engine(pack),
        drafts=DraftStore(drafts or drafts_dir()),
        history=history or SessionHistory(),
        clock=clock,
        rng=random.Random(seed),
        draft_delay=draft_delay,
        live_delay=live_delay,
    )
    app = CoachApp(services, handle_signals=handle_signals)
    if theme:
        app.theme = theme
    return app


def run_app(args: argparse.Namespace) -> int:
    """`coach` with no arguments."""
    try:
        app = create_app(content_dir=getattr(args, "content", None), handle_signals=True)
    except ContentError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    try:
        app.run()
    finally:
        app.save_drafts()
    return app.return_code or 0
