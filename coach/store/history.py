"""`CandidateHistory`: the store behind the TUI's `History` seam (`coach.tui.history`).

    history = CandidateHistory(open_store(), candidate="me", content_hash=pack.content_hash)
    create_app(history=history)

`record` takes any attempt-like object with `question_id`, `answer`, `seconds` and `result`
(a `ScoreResult`); `mode`, `delivery`, `scenario`, `target_seconds` and `session_id` are read
when present.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from coach.store.models import DEFAULT_CANDIDATE, MODES, Attempt, Mode
from coach.store.store import HasToDict, Store


class ScoredAnswer(Protocol):
    @property
    def question_id(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def seconds(self) -> float: ...
    @property
    def result(self) -> HasToDict: ...


class CandidateHistory:
    """One candidate's saved practice, shaped like the TUI's `History` protocol."""

    def __init__(
        self,
        store: Store,
        candidate: str = DEFAULT_CANDIDATE,
        content_hash: str = "",
        session_id: int | None = None,
    ) -> None:
        self.store = store
        self.candidate = candidate
        self.content_hash = content_hash
        self.session_id = session_id

    def last_grade(self, question_id: str) -> int | None:
        """The grade of the latest attempt at this question (a coach's grade wins), if any."""
        latest = self.store.list_attempts(candidate=self.candidate, question=question_id, limit=1)
        return latest[0].effective_grade if latest else None

    def record(self, attempt: ScoredAnswer) -> None:
        self.save(attempt)

    def save(self, attempt: ScoredAnswer) -> Attempt:
        """Save a scored answer; returns the stored attempt (with its id for notes/grades)."""
        mode: Any = getattr(attempt, "mode", "typed")
        return self.store.save_attempt(
            result=attempt.result,
            answer=attempt.answer,
            mode=mode if mode in MODES else _default_mode(),
            candidate=self.candidate,
            content_hash=self.content_hash,
            scenario=str(getattr(attempt, "scenario", "") or ""),
            seconds_taken=float(attempt.seconds) if attempt.seconds is not None else None,
            target_seconds=getattr(attempt, "target_seconds", None),
            delivery=getattr(attempt, "delivery", None),
            session_id=getattr(attempt, "session_id", None) or self.session_id,
        )

    def due(self, today: date | None = None) -> list[str]:
        """Question ids due for practice today, most overdue first."""
        return [e.question_id for e in self.store.due_questions(self.candidate, today)]


def _default_mode() -> Mode:
    return "typed"
