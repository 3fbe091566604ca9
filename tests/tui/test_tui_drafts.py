"""Drafts as a candidate meets them: the answer time they keep, and who may read them."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Static
from tui_helpers import open_question, text_of, type_text

from coach.speech import Recording
from coach.tui.drafts import DraftStore
from coach.tui.screens.answer import AnswerScreen
from coach.tui.screens.resume import ResumeDraftScreen
from coach.tui.stopwatch import FakeClock
from coach.tui.voice import keep_recording

pytestmark = pytest.mark.anyio


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_draft_keeps_the_answer_time_and_the_timer_goes_on_after_a_restart(
    make_app, clock: FakeClock, drafts_path: Path
) -> None:
    first = make_app()
    async with first.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 9)
        await type_text(pilot, "I rebuilt my network")
        clock.advance(75)  # a while of typing
        await type_text(pilot, " in Singapore.")
        await pilot.pause(0.2)  # the draft reaches the disk as it is typed
        typed = DraftStore(drafts_path).load("new-market")
        assert typed is not None and typed.elapsed == pytest.approx(75)
        clock.advance(5)  # thinking: the timer runs on
        await pilot.press("ctrl+q")
    saved = DraftStore(drafts_path).load("new-market")
    assert saved is not None and saved.elapsed == pytest.approx(80)

    second = make_app()
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        offer = second.screen
        assert isinstance(offer, ResumeDraftScreen)
        shown = " ".join(str(w.render()) for w in offer.query("#resume-box Static"))
        assert "1:20 on the timer" in shown
        await pilot.press("enter")  # Resume
        await pilot.pause()
        screen = second.screen
        assert isinstance(screen, AnswerScreen)
        assert "Time 1:20 / " in text_of(pilot, "#timer")
        await type_text(pilot, " We won two deals.")
        clock.advance(10)
        screen.timer.refresh_time()
        assert "Time 1:30 / " in text_of(pilot, "#timer"), "the timer goes on from 1:20"
        await pilot.press("ctrl+q")
    resumed = DraftStore(drafts_path).load("new-market")
    assert resumed is not None and resumed.elapsed == pytest.approx(90)


async def test_drafts_are_readable_by_their_owner_only(make_app, drafts_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 4)
        await type_text(pilot, "Within a day of the event I sent each contact a note.")
        await pilot.pause(0.2)
    assert mode(drafts_path) == 0o700
    [draft] = drafts_path.iterdir()
    assert draft.name == "event-follow-up.json" and mode(draft) == 0o600


def test_a_kept_recording_makes_the_drafts_folder_private(drafts_path: Path) -> None:
    """A spoken answer may be the first thing written there (the recording before its draft)."""
    one_second = Recording(np.zeros(16_000, dtype=np.float32), 16_000)
    kept = keep_recording(one_second, DraftStore(drafts_path).recording_path("event-roi"))
    assert mode(drafts_path) == 0o700 and mode(kept) == 0o600


async def test_a_draft_folder_open_to_others_is_tightened_when_the_app_opens_it(
    make_app, drafts_path: Path
) -> None:
    drafts_path.mkdir(mode=0o755)
    drafts_path.chmod(0o755)  # whatever the umask
    old = drafts_path / "build-network.json"
    old.write_text('{"question_id": "build-network", "text": "I met a CFO."}', encoding="utf-8")
    old.chmod(0o644)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert mode(drafts_path) == 0o700
        assert mode(old) == 0o600
        assert isinstance(app.screen, ResumeDraftScreen), "the draft is still offered back"
        assert "I met a CFO." in str(app.screen.query_one("#resume-preview", Static).render())


async def test_the_answer_time_is_saved_while_the_candidate_thinks(
    make_app, clock: FakeClock, drafts_path: Path
) -> None:
    """A terminal killed while nobody types still finds the time on the timer in the draft."""
    app = make_app(timer_save_interval=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 2)
        await type_text(pilot, "I met a partner at a trade show.")
        await pilot.pause(0.2)
        clock.advance(40)  # thinking, no keystroke
        await pilot.pause(0.3)
        saved = DraftStore(drafts_path).load("convert-opportunities")
        assert saved is not None and saved.elapsed == pytest.approx(40)
