"""Spaced repetition, SM-2 style: weak answers come back tomorrow, strong ones in weeks.

The state of a question is a pure function of its graded attempts in order, so it is recomputed
by replaying them (after a new attempt, a coach's grade or an import) and never drifts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from coach.record import Record, record

START_EASE = 2.5
MIN_EASE = 1.3
MAX_INTERVAL = 180  # days
PASS_GRADE = 3  # grades 1-2 are weak: due tomorrow
# First interval after a passing answer (graduation), by grade.
FIRST_INTERVAL = {3: 2, 4: 6, 5: 14}


@record
class ReviewState(Record):
    """Where one question stands in a candidate's spaced review."""

    repetitions: int = 0  # passing answers in a row, spaced out
    interval_days: int = 0
    ease: float = START_EASE
    due_on: date | None = None
    last_grade: int = 0
    reviews: int = 0


def review(state: ReviewState, grade: int, on: date) -> ReviewState:
    """The state after an answer graded 1-5 on day `on`."""
    if not 1 <= grade <= 5:
        raise ValueError(f"grade must be 1 to 5, got {grade}")
    reviews = state.reviews + 1
    if grade < PASS_GRADE:
        ease = _next_ease(state.ease, grade)
        return ReviewState(0, 1, ease, on + timedelta(days=1), grade, reviews)
    first = FIRST_INTERVAL[grade]
    if state.repetitions == 0:
        ease = _next_ease(state.ease, grade)
        return ReviewState(1, first, ease, on + timedelta(days=first), grade, reviews)
    if state.due_on is not None and on < state.due_on:
        # Practised again before it was due: no credit for cramming, but never sooner than the
        # first step for this grade.
        due = max(state.due_on, on + timedelta(days=first))
        return ReviewState(state.repetitions, state.interval_days, state.ease, due, grade, reviews)
    ease = _next_ease(state.ease, grade)
    growth = {3: 1.2, 4: ease, 5: ease * 1.3}[grade]
    interval = min(MAX_INTERVAL, max(state.interval_days + 1, round(state.interval_days * growth)))
    return ReviewState(
        state.repetitions + 1, interval, ease, on + timedelta(days=interval), grade, reviews
    )


def replay(grades: Iterable[tuple[date, int]]) -> ReviewState:
    """The state after these (day, grade) answers, oldest first."""
    state = ReviewState()
    for on, grade in grades:
        state = review(state, grade, on)
    return state


def _next_ease(ease: float, grade: int) -> float:
    q = grade  # SM-2 quality, 0-5; our grades are 1-5
    return round(max(MIN_EASE, ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)), 4)
