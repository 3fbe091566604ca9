"""The app's entries in the command palette (ctrl+p), after Textual's own."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

if TYPE_CHECKING:  # the app imports this module
    from coach.tui.app import CoachApp


def app_commands(app: CoachApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """The practice actions on offer now, then `screen`'s own commands, then one hidden entry
    per question (found by typing, not listed)."""
    yield SystemCommand("Help", "How the practice flow works, and the keys", app.action_help)
    yield SystemCommand("Home", "Back to the list of questions", app.action_home)
    yield SystemCommand(
        "Random drill",
        "Practise a random question with a scenario prompt",
        app.action_random_drill,
    )
    if app.services.practice is not None:
        yield from _practice_commands(app)
    yield SystemCommand(
        "Rubric lab",
        "Check the rubric against hand-graded answers and tune it (l)",
        app.action_rubric_lab,
    )
    # Each screen names its own commands (`palette_commands`) while it is showing.
    screen_commands = getattr(screen, "palette_commands", None)
    if screen_commands is not None:
        yield from screen_commands()
    for number, question in enumerate(app.services.pack.questions, start=1):
        yield SystemCommand(
            f"Open question {number}: {question.title}",
            question.question,
            partial(app.open_question, question.id),
            discover=False,
        )


def _practice_commands(app: CoachApp) -> Iterator[SystemCommand]:
    """History, the due drill, and the session or candidate commands: with the store only."""
    yield SystemCommand(
        "History", "Your attempts, trends and weakest spots (h)", app.action_history
    )
    yield SystemCommand(
        "Drill due",
        "Practise the questions due today, most overdue first (d)",
        app.action_drill_due,
    )
    if app.session_run is None:
        yield SystemCommand(
            "Coach session",
            "Run a saved plan, n random questions or due first, then a summary (p)",
            app.action_coach_session,
        )
        yield SystemCommand(
            "Switch candidate", "Practise as someone else (c)", app.action_switch_candidate
        )
        yield SystemCommand("New candidate", "Add someone to practise as", app.action_new_candidate)
    else:
        yield SystemCommand(
            "Continue session",
            "Back to the session's current question (n on home)",
            app.action_continue_session,
        )
        yield SystemCommand(
            "End session",
            "Finish now and see the session summary (e on home)",
            app.action_end_session,
        )
