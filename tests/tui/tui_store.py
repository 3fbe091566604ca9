"""Saved attempts made through the store API: fixed grades, scores and dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tui_canned import ANSWER, canned_result

from coach.store import Attempt, Store


def result_dict(
    question: str, grade: int, overall: int, scores: dict[str, float] | None = None
) -> dict[str, Any]:
    """The canned result, as saved, for another question, grade and criterion scores."""
    result = canned_result()
    scores = scores or {}
    criteria = tuple(
        replace(c, score=scores.get(c.id, c.score), passed=scores.get(c.id, c.score) >= 0.5)
        for c in result.criteria
    )
    return replace(
        result, question=question, grade=grade, overall=overall, criteria=criteria
    ).to_dict()


def save(
    store: Store,
    question: str,
    grade: int,
    *,
    candidate: str = "me",
    overall: int | None = None,
    when: datetime | None = None,
    days_ago: float = 0,
    scores: dict[str, float] | None = None,
    seconds: float = 95.0,
    session_id: int | None = None,
) -> Attempt:
    submitted = when or datetime.now(UTC) - timedelta(days=days_ago)
    return store.save_attempt(
        result=result_dict(question, grade, overall if overall is not None else grade * 18, scores),
        answer=ANSWER,
        candidate=candidate,
        submitted_at=submitted,
        seconds_taken=seconds,
        target_seconds=120,
        scenario="A CFO you met once asks for an introduction.",
        session_id=session_id,
    )
