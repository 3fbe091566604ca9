"""Who is practising: switching to another candidate, or adding one.

`CandidateSwitching` is a part of `CoachApp` (a mixin): its actions are the app's
(`app.switch_candidate`, `app.new_candidate`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import App

from coach.store import StoreError
from coach.tui.messages import CandidateSwitched, StoreProblem
from coach.tui.practice import SessionRun
from coach.tui.screens.home import HomeScreen
from coach.tui.services import Services


class CandidateSwitching(App[None]):
    services: Services
    session_run: SessionRun | None
    _show_who: Callable[[], None]  # CoachApp's: the header

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
