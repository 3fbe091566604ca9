"""Where the app keeps the grades of this session.

This is the seam for the practice-history store (`coach.store`): anything with
`last_grade` and `record` plugs in through `create_app(history=...)`; an `Attempt` carries what
`Store.save_attempt` takes (result, answer, scenario, seconds taken, target seconds, the coach
session, and for a spoken answer its mode and delivery metrics). A history that keeps a schedule
also has `due()`, the question ids due today: the store's `CandidateHistory`, which
`create_app(store=...)` plugs in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

from coach.record import Record, record

if TYPE_CHECKING:  # annotations: the first frame does not wait for the scoring and speech code
    from coach.scoring import ScoreResult
    from coach.speech import Delivery


@record
class Attempt(Record):
    """One scored answer."""

    question_id: str
    answer: str
    seconds: float  # time on the answer timer
    result: ScoreResult
    scenario: str | None = None
    target_seconds: int | None = None
    session_id: int | None = None  # the coach session it was given in, if any
    mode: Literal["typed", "spoken", "file"] = "typed"  # spoken: the microphone or self-timed
    delivery: Delivery | None = None  # pace, fillers, pauses and time of a spoken answer


class History(Protocol):
    def last_grade(self, question_id: str) -> int | None:
        """The grade of the latest attempt at this question, if any."""
        ...

    def record(self, attempt: Attempt) -> None:
        """Keep a scored attempt."""
        ...


def due_questions(history: History) -> list[str]:
    """Question ids due for practice today, for a history that keeps a schedule (the store's
    `CandidateHistory.due`); none for one that does not."""
    due: Callable[[], list[str]] | None = getattr(history, "due", None)
    return list(due()) if due is not None else []


class SessionHistory:
    """Attempts held in memory for the life of the app."""

    def __init__(self) -> None:
        self.attempts: list[Attempt] = []

    def last_grade(self, question_id: str) -> int | None:
        for attempt in reversed(self.attempts):
            if attempt.question_id == question_id:
                return attempt.result.grade
        return None

    def record(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
