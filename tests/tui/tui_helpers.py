"""Small steps the Pilot tests share: open a question, type, wait for a worker group."""

from __future__ import annotations

import asyncio
import contextlib
import time

from textual.command import CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Static, TextArea
from textual.worker import WorkerCancelled

from coach.tui.app import CoachApp
from coach.tui.screens.answer import AnswerScreen
from coach.tui.widgets.question_list import QuestionList

STORY = (
    "In 2022 I joined a fintech startup that had no pipeline with mid-market CFOs. "
    "My task was to build a network that would source qualified deals within two quarters. "
    "I hosted a monthly roundtable for twelve finance leaders and shared a benchmark report "
    "before asking for anything. "
    "I followed up within 48 hours with a tailored note and introduced two of them to partners. "
    "As a result we sourced $1.2M in pipeline and closed three deals worth $400k, "
    "a 30% win rate."
)


def coach(pilot: Pilot[None]) -> CoachApp:
    assert isinstance(pilot.app, CoachApp)
    return pilot.app


async def settle(pilot: Pilot[None], *groups: str) -> None:
    """Let timers fire, then wait until no worker of `groups` is left to run.

    A live check replaced by a newer one (an exclusive group) ends cancelled, which is normal
    here; a worker that started meanwhile is waited for too. Only `groups`: never the model
    loader unless asked (an empty list would make Textual wait for every worker)."""
    await pilot.pause(0.15)
    app = pilot.app
    while busy := [w for w in app.workers if w.group in groups and not w.is_finished]:
        for worker in busy:
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
    await pilot.pause()


async def open_question(pilot: Pilot[None], number: int) -> AnswerScreen:
    """From home, move to question `number` (1-based) with the arrow keys and press Enter."""
    questions = pilot.app.screen.query_one("#questions", QuestionList)
    questions.focus()
    await pilot.press("home", *(["down"] * (number - 1)), "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AnswerScreen), screen
    return screen


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type a few keys for real, paste the rest (typing hundreds of keys is slow in Pilot)."""
    head, tail = text[:4], text[4:]
    await pilot.press(*head)
    if tail:
        editor = pilot.app.screen.query_one("#answer", TextArea)
        editor.insert(tail)
    await pilot.pause()


def text_of(pilot: Pilot[None], selector: str) -> str:
    """The plain text a Static shows."""
    widget = pilot.app.screen.query_one(selector, Static)
    return str(widget.render())


class LoopStalls:
    """Measures the longest the event loop went without running (a frozen UI), in seconds."""

    def __init__(self, tick: float = 0.005) -> None:
        self.tick = tick
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(self.tick)
            now = time.monotonic()
            self.worst = max(self.worst, now - last - self.tick)
            last = now

    def __enter__(self) -> LoopStalls:
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def visible_text(widget: Widget) -> str:
    """What the widget shows on screen now (clipped to its laid-out size)."""
    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def palette_entries(pilot: Pilot[None]) -> list[str]:
    """The command palette's entries over the showing screen (the palette is closed again)."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    assert isinstance(pilot.app.screen, CommandPalette)
    listed = [str(o.prompt) for o in pilot.app.screen.query_one(OptionList).options]
    await pilot.press("escape")
    await pilot.pause()
    return listed
