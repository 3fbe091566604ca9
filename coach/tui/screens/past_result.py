"""A saved attempt's result, read-only: the results screen as it was, opened from the history,
with when it was given and the coach's grade and note on top, and for a spoken attempt the
delivery panel read back from the figures the store kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from textual.app import SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from coach.content import Question
from coach.speech import Delivery
from coach.store import Attempt as SavedAttempt
from coach.tui.screens.results import ResultsScreen
from coach.tui.services import Services
from coach.tui.stored_result import result_from_dict


def attempt_line(attempt: SavedAttempt) -> Content:
    when = attempt.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M")
    parts = [
        Content.assemble(
            ("Saved attempt ", "$text-muted"),
            (f"#{attempt.id}", "bold"),
            (f"  {when}  {attempt.mode}  {attempt.candidate}", "$text-muted"),
            (
                (f"  coach grade {attempt.human_grade}/5", "bold $text-accent")
                if attempt.human_grade is not None
                else ("", "")
            ),
        )
    ]
    if attempt.scenario:
        parts.append(Content.assemble(("Scenario: ", "$text-muted"), attempt.scenario))
    if attempt.coach_note:
        parts.append(Content.assemble(("Coach's note: ", "bold $text-accent"), attempt.coach_note))
    return Content("\n").join(parts)


def saved_delivery(attempt: SavedAttempt) -> Delivery | None:
    """The delivery of a saved spoken attempt; None for a typed one, or for figures too damaged
    to read (the rest of the result still shows)."""
    if not attempt.delivery:
        return None
    try:
        return Delivery.from_dict(attempt.delivery)
    except (TypeError, ValueError):
        return None


def delivery_source(attempt: SavedAttempt, delivery: Delivery) -> str:
    if not delivery.from_audio:
        return "timed only"
    return "the audio file" if attempt.mode == "file" else "your recording"


class PastResultScreen(ResultsScreen):
    """Retry and next are off; escape goes back to the history."""

    CSS_PATH = ["results.tcss", "past_result.tcss"]  # type: ignore[assignment]
    BINDINGS = [Binding("escape,h", "home", "Back", key_display="esc")]

    def __init__(self, services: Services, question: Question, attempt: SavedAttempt) -> None:
        limit = attempt.target_seconds or question.target_seconds
        delivery = saved_delivery(attempt)
        super().__init__(
            services,
            dataclasses.replace(question, target_seconds=limit),
            attempt.answer,
            attempt.seconds_taken or 0.0,
            result_from_dict(attempt.result),
            delivery=delivery,
            delivery_source=delivery_source(attempt, delivery) if delivery else "",
        )
        self.attempt = attempt

    def on_mount(self) -> None:
        self.mount(Static(attempt_line(self.attempt), id="past-info"), after="#summary")
        self.call_after_refresh(self._title)

    def _title(self) -> None:
        self.sub_title = f"Saved result: {self.question.title}"

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield from ()  # retry and next are off for a saved result

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "next"):
            return False
        return super().check_action(action, parameters)
