"""Snapshots of home, answer and results at 80x24 and 120x40 (and results in the light theme).

Deterministic: a fixed clock, a seeded scenario draw, a canned score (the rubric can change
without moving these), no cursor blink. Update with `pytest tests/tui --snapshot-update` and
look at the SVGs in `__snapshots__/` before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea
from tui_canned import ANSWER
from tui_helpers import open_question, settle

from coach.tui.engine import Engine
from coach.tui.stopwatch import FakeClock

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[Pilot[None]], Awaitable[None]]


def answering(clock: FakeClock, seconds: float, submit: bool = False) -> Steps:
    """Open question 2 with a drawn scenario, type the canned answer over `seconds`."""

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("down", "s")  # draw a scenario for question 2 (seeded)
        await open_question(pilot, 2)
        editor = pilot.app.screen.query_one("#answer", TextArea)
        editor.cursor_blink = False
        await pilot.press(*ANSWER[:2])  # the timer starts with the first key
        clock.advance(seconds)
        editor.insert(ANSWER[2:])
        await settle(pilot, "live")
        if submit:
            await pilot.press("ctrl+s")
            await settle(pilot, "submit")

    return steps


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, make_app, canned_engine: Engine, size: tuple[int, int]) -> None:
    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("down", "s")  # a drawn scenario shows in the preview

    assert snap_compare(make_app(engine=canned_engine), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_answer(snap_compare, make_app, canned_engine, clock, size) -> None:
    app = make_app(engine=canned_engine)
    assert snap_compare(app, terminal_size=size, run_before=answering(clock, 75))


def test_answer_over_time(snap_compare, make_app, canned_engine, clock) -> None:
    app = make_app(engine=canned_engine)
    assert snap_compare(app, terminal_size=(80, 24), run_before=answering(clock, 135))


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, make_app, canned_engine, clock, size) -> None:
    app = make_app(engine=canned_engine)
    assert snap_compare(app, terminal_size=size, run_before=answering(clock, 75, submit=True))


def test_results_light_theme(snap_compare, make_app, canned_engine, clock) -> None:
    app = make_app(engine=canned_engine, theme="textual-light")
    assert snap_compare(app, terminal_size=(120, 40), run_before=answering(clock, 75, submit=True))


def test_results_model_answer_tab_at_80_columns(snap_compare, make_app, canned_engine, clock):
    app = make_app(engine=canned_engine)
    steps = answering(clock, 75, submit=True)

    async def then_model(pilot: Pilot[None]) -> None:
        await steps(pilot)
        await pilot.press("m")

    assert snap_compare(app, terminal_size=(80, 24), run_before=then_model)
