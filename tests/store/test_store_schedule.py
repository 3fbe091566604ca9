"""Spaced repetition: weak answers come back tomorrow, strong ones in weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from coach.scoring import ScoreResult
from coach.store import Store
from coach.store.schedule import FIRST_INTERVAL, MAX_INTERVAL, ReviewState, replay, review

DAY = date(2026, 3, 2)


def test_weak_answers_come_back_tomorrow() -> None:
    for grade in (1, 2):
        state = review(ReviewState(), grade, DAY)
        assert state.due_on == DAY + timedelta(days=1)
        assert state.repetitions == 0


def test_strong_answers_come_back_in_weeks() -> None:
    assert review(ReviewState(), 5, DAY).due_on == DAY + timedelta(days=14)
    assert review(ReviewState(), 4, DAY).due_on == DAY + timedelta(days=6)
    assert review(ReviewState(), 3, DAY).due_on == DAY + timedelta(days=2)


def test_intervals_grow_with_good_answers_on_time() -> None:
    state = review(ReviewState(), 5, DAY)
    gaps = [state.interval_days]
    for _ in range(4):
        assert state.due_on is not None
        state = review(state, 5, state.due_on)
        gaps.append(state.interval_days)
    assert gaps == sorted(gaps) and gaps[-1] > 60
    assert all(g <= MAX_INTERVAL for g in gaps)


def test_a_weak_answer_resets_a_strong_streak() -> None:
    state = replay([(DAY, 5), (DAY + timedelta(days=14), 5)])
    assert state.interval_days > FIRST_INTERVAL[5]
    later = review(state, 1, DAY + timedelta(days=40))
    assert later.due_on == DAY + timedelta(days=41)
    assert later.repetitions == 0 and later.ease < state.ease


def test_cramming_earns_no_extra_interval() -> None:
    state = review(ReviewState(), 5, DAY)
    again = review(state, 5, DAY)  # the same day
    assert again.due_on == state.due_on and again.interval_days == state.interval_days


def test_ease_has_a_floor() -> None:
    state = replay([(DAY + timedelta(days=n), 1) for n in range(30)])
    assert state.ease == pytest.approx(1.3)


def test_review_rejects_bad_grades() -> None:
    with pytest.raises(ValueError):
        review(ReviewState(), 0, DAY)


def local_noon(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone()


def test_due_questions_follow_the_grades(store: Store, results: dict[str, ScoreResult]) -> None:
    weak, strong = results["weak"], results["strong_referral"]
    assert weak.grade <= 2 and strong.grade >= 4
    first = store.save_attempt(result=weak, answer="x", submitted_at=local_noon(DAY))
    store.save_attempt(result=strong, answer="y", submitted_at=local_noon(DAY))
    assert store.due_questions("me", DAY) == []
    tomorrow = [e.question_id for e in store.due_questions("me", DAY + timedelta(days=1))]
    assert tomorrow == ["build-network"]
    in_two_weeks = store.due_questions("me", DAY + timedelta(days=30))
    assert {e.question_id for e in in_two_weeks} == {"build-network", "referral-requests"}

    # A coach grades the weak answer 5: it no longer comes back tomorrow.
    store.set_human_grade(first.id, 5)
    assert store.due_questions("me", DAY + timedelta(days=1)) == []
    entry = {e.question_id: e for e in store.schedule("me")}["build-network"]
    assert entry.due_on == DAY + timedelta(days=14) and entry.last_grade == 5
    # ...and back to the scorer's grade when the coach's grade is cleared.
    store.set_human_grade(first.id, None)
    assert [e.question_id for e in store.due_questions("me", DAY + timedelta(days=1))] == [
        "build-network"
    ]


def test_a_better_answer_pushes_the_due_date_out(
    store: Store, results: dict[str, ScoreResult]
) -> None:
    store.save_attempt(result=results["weak"], answer="x", submitted_at=local_noon(DAY))
    assert store.schedule("me")[0].due_on == DAY + timedelta(days=1)
    store.save_attempt(
        result=results["strong"], answer="y", submitted_at=local_noon(DAY + timedelta(days=1))
    )
    entry = store.schedule("me")[0]
    assert entry.due_on >= DAY + timedelta(days=7)
    assert entry.reviews == 2 and entry.last_grade == results["strong"].grade


def test_schedules_are_per_candidate(store: Store, results: dict[str, ScoreResult]) -> None:
    store.add_candidate("ana")
    store.save_attempt(result=results["weak"], answer="x", submitted_at=local_noon(DAY))
    store.save_attempt(
        result=results["strong"], answer="y", candidate="ana", submitted_at=local_noon(DAY)
    )
    assert [e.candidate for e in store.due_questions("me", DAY + timedelta(days=1))] == ["me"]
    assert store.due_questions("ana", DAY + timedelta(days=1)) == []


def test_practice_order_puts_due_then_new_then_later(
    store: Store, results: dict[str, ScoreResult]
) -> None:
    store.save_attempt(result=results["weak"], answer="x", submitted_at=local_noon(DAY))
    store.save_attempt(result=results["strong_event"], answer="y", submitted_at=local_noon(DAY))
    ids = ["build-network", "convert-opportunities", "event-roi", "referral-requests"]
    order = store.practice_order("me", ids, DAY + timedelta(days=2))
    assert order == ["build-network", "convert-opportunities", "referral-requests", "event-roi"]


def test_the_schedule_is_a_replay_of_the_history(
    store: Store, results: dict[str, ScoreResult]
) -> None:
    for n, key in enumerate(["weak", "medium", "strong", "weak", "strong"]):
        store.save_attempt(
            result=results[key], answer="x", submitted_at=local_noon(DAY + timedelta(days=3 * n))
        )
    before = store.schedule("me")
    store.reschedule_all()
    assert store.schedule("me") == before
    expected = replay(
        [(a.submitted_at.astimezone().date(), a.effective_grade) for a in store.list_attempts()]
    )
    assert before[0].due_on == expected.due_on
    assert before[0].last_practised == store.list_attempts()[-1].submitted_at.astimezone(UTC)
