"""Where the app keeps the grades of this session.

This is the seam for the practice-history store (`coach.store`): anything with
`last_grade` and `record` plugs in through `create_app(history=...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coach.scoring import ScoreResult


@dataclass(frozen=True)
class Attempt:
    """One scored answer."""

    question_id: str
    answer: str
    seconds: float
    result: ScoreResult


class History(Protocol):
    def last_grade(self, question_id: str) -> int | None:
        """The grade of the latest attempt at this question, if any."""
        ...

    def record(self, attempt: Attempt) -> None:
        """Keep a scored attempt."""
        ...


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
