"""Saving and listing attempts, notes, grades, candidates, trends and weak spots."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from coach.content import ContentPack
from coach.scoring import ScoreResult
from coach.store import Attempt, InvalidValue, NotFound, Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def save(
    store: Store,
    result: ScoreResult,
    *,
    days: float = 0,
    candidate: str = "me",
    answer: str = "an answer",
    **extra: object,
) -> Attempt:
    return store.save_attempt(
        result=result,
        answer=answer,
        candidate=candidate,
        submitted_at=T0 + timedelta(days=days),
        **extra,  # type: ignore[arg-type]
    )


def test_save_keeps_every_field(
    store: Store, results: dict[str, ScoreResult], pack: ContentPack
) -> None:
    result = results["medium"]
    delivery = {"wpm": 141.5, "pace": "good", "fillers": [{"word": "um", "t": 1.5}]}
    saved = store.save_attempt(
        result=result,
        answer="Typed answer\nwith two lines",
        mode="spoken",
        content_hash=pack.content_hash,
        scenario="You inherit 400 LinkedIn connections.",
        started_at=T0 - timedelta(seconds=95.5),
        submitted_at=T0,
        seconds_taken=95.5,
        target_seconds=120,
        delivery=delivery,
    )
    again = store.get_attempt(saved.id)
    assert again == saved
    assert again.candidate == "me" and again.question_id == "build-network"
    assert again.mode == "spoken" and again.answer == "Typed answer\nwith two lines"
    assert again.result == result.to_dict()
    assert (again.overall, again.grade) == (result.overall, result.grade)
    assert again.content_hash == pack.content_hash
    assert again.submitted_at == T0 and again.started_at == T0 - timedelta(seconds=95.5)
    assert again.seconds_taken == 95.5 and again.target_seconds == 120
    assert again.delivery == delivery
    assert again.scenario.startswith("You inherit")
    assert again.human_grade is None and again.coach_note == ""
    assert again.effective_grade == result.grade
    assert again.criterion_scores().keys() == {c.id for c in result.criteria}


def test_delivery_objects_with_to_dict_are_accepted(
    store: Store, results: dict[str, ScoreResult]
) -> None:
    class FakeDelivery:
        def to_dict(self) -> dict[str, object]:
            return {"wpm": 150.0, "duration_s": 80.0}

    saved = store.save_attempt(
        result=results["weak"], answer="x", mode="spoken", delivery=FakeDelivery()
    )
    assert saved.delivery == {"wpm": 150.0, "duration_s": 80.0}


def test_bad_values_are_refused(store: Store, results: dict[str, ScoreResult]) -> None:
    with pytest.raises(InvalidValue, match="mode"):
        store.save_attempt(result=results["weak"], answer="x", mode="shouted")  # type: ignore[arg-type]
    broken = {**results["weak"].to_dict(), "grade": 9}
    with pytest.raises(InvalidValue, match="grade"):
        store.save_attempt(result=broken, answer="x")
    with pytest.raises(InvalidValue, match="negative"):
        store.save_attempt(result=results["weak"], answer="x", seconds_taken=-1)
    with pytest.raises(NotFound, match="no candidate 'nobody'"):
        store.save_attempt(result=results["weak"], answer="x", candidate="nobody")
    assert store.list_attempts() == []


def test_list_filters(store: Store, results: dict[str, ScoreResult]) -> None:
    store.add_candidate("Ana")
    a = save(store, results["weak"], days=0)
    b = save(store, results["strong_referral"], days=1)
    c = save(store, results["medium"], days=2, candidate="ana")
    d = save(store, results["strong"], days=5)

    def ids(items: list[Attempt]) -> list[int]:
        return [x.id for x in items]

    assert ids(store.list_attempts()) == [a.id, b.id, c.id, d.id]
    assert ids(store.list_attempts(newest_first=True)) == [d.id, c.id, b.id, a.id]
    assert ids(store.list_attempts(candidate="me")) == [a.id, b.id, d.id]
    assert ids(store.list_attempts(candidate="ANA")) == [c.id]  # names ignore case
    assert ids(store.list_attempts(question="build-network")) == [a.id, c.id, d.id]
    assert ids(store.list_attempts(candidate="me", question="build-network")) == [a.id, d.id]
    assert ids(store.list_attempts(since=T0 + timedelta(days=1))) == [b.id, c.id, d.id]
    assert ids(store.list_attempts(until=T0 + timedelta(days=2))) == [a.id, b.id]
    assert ids(store.list_attempts(limit=2)) == [c.id, d.id]
    assert ids(store.list_attempts(since=T0 + timedelta(days=10))) == []
    with pytest.raises(NotFound, match="did you mean 'Ana'"):
        store.list_attempts(candidate="Anna")


def test_dates_filter_whole_local_days(store: Store, results: dict[str, ScoreResult]) -> None:
    noon = datetime.combine(date(2026, 3, 10), datetime.min.time()).astimezone() + timedelta(
        hours=12
    )
    first = store.save_attempt(result=results["weak"], answer="x", submitted_at=noon)
    second = store.save_attempt(
        result=results["weak"], answer="y", submitted_at=noon + timedelta(days=1)
    )
    assert [a.id for a in store.list_attempts(since=date(2026, 3, 10))] == [first.id, second.id]
    assert [a.id for a in store.list_attempts(since=date(2026, 3, 11))] == [second.id]
    assert [a.id for a in store.list_attempts(until=date(2026, 3, 10))] == [first.id]


def test_naive_times_are_local(store: Store, results: dict[str, ScoreResult]) -> None:
    naive = datetime(2026, 3, 10, 8, 30)
    saved = store.save_attempt(result=results["weak"], answer="x", submitted_at=naive)
    assert saved.submitted_at == naive.astimezone()


def test_notes_and_human_grades(store: Store, results: dict[str, ScoreResult]) -> None:
    saved = save(store, results["weak"])
    assert store.add_note(saved.id, "  Lead with a number.  ").coach_note == "Lead with a number."
    appended = store.add_note(saved.id, "Name the partner.", append=True)
    assert appended.coach_note == "Lead with a number.\n\nName the partner."
    assert store.add_note(saved.id, "").coach_note == ""
    graded = store.set_human_grade(saved.id, 4)
    assert graded.human_grade == 4 and graded.grade == results["weak"].grade
    assert graded.effective_grade == 4
    assert store.set_human_grade(saved.id, None).human_grade is None
    for bad in (0, 6, True):
        with pytest.raises(InvalidValue, match="1 to 5"):
            store.set_human_grade(saved.id, bad)
    with pytest.raises(NotFound, match="no attempt 999"):
        store.add_note(999, "x")
    with pytest.raises(NotFound):
        store.set_human_grade(999, 3)


def test_delete_attempt_moves_the_schedule(store: Store, results: dict[str, ScoreResult]) -> None:
    first = save(store, results["strong"], days=0)
    weak = save(store, results["weak"], days=20)
    assert store.schedule("me")[0].last_grade == results["weak"].grade
    store.delete_attempt(weak.id)
    assert store.schedule("me")[0].last_grade == first.grade
    store.delete_attempt(first.id)
    assert store.schedule("me") == []


def test_candidates_crud(store: Store, results: dict[str, ScoreResult]) -> None:
    ana = store.add_candidate("  Ana   Lima ", note="Sales lead")
    assert ana.name == "Ana Lima" and ana.note == "Sales lead"
    with pytest.raises(InvalidValue, match="already exists"):
        store.add_candidate("ana lima")
    for bad in ("", "   ", "x" * 61, "-q", "bell\x07"):
        with pytest.raises(InvalidValue):
            store.add_candidate(bad)
    save(store, results["weak"], candidate="Ana Lima")
    renamed = store.rename_candidate("ana lima", "Ana L.")
    assert renamed.id == ana.id
    assert store.list_attempts(candidate="Ana L.")[0].candidate == "Ana L."
    with pytest.raises(InvalidValue, match="already exists"):
        store.rename_candidate("Ana L.", "me")
    assert store.set_candidate_note("Ana L.", "Moved to EMEA").note == "Moved to EMEA"
    assert [c.name for c in store.list_candidates()] == ["me", "Ana L."]
    assert store.remove_candidate("Ana L.") == 1
    assert store.list_attempts() == [] and store.schedule("me") == []
    with pytest.raises(NotFound):
        store.get_candidate("Ana L.")


def test_the_default_profile_comes_back_when_needed(
    store: Store, results: dict[str, ScoreResult]
) -> None:
    store.remove_candidate("me")
    assert store.list_candidates() == []
    saved = store.save_attempt(result=results["weak"], answer="x")
    assert saved.candidate == "me"


def test_trends_and_weak_spots(store: Store, results: dict[str, ScoreResult]) -> None:
    weak = save(store, results["weak"], days=0)
    medium = save(store, results["medium"], days=1)
    strong = save(store, results["strong"], days=2)
    referral = save(store, results["strong_referral"], days=3)
    trends = store.trends("me")
    assert set(trends) >= {"overall", "grade", "metrics", "outcome_focus", "value_first"}
    overall = trends["overall"]
    assert [p.attempt_id for p in overall] == [weak.id, medium.id, strong.id, referral.id]
    assert [p.score for p in overall] == [
        float(a.overall) for a in (weak, medium, strong, referral)
    ]
    assert overall[0].when == T0 and overall[0].question_id == "build-network"
    metrics = store.trend("me", "metrics", question="build-network")
    assert [p.score for p in metrics] == [
        a.criterion_scores()["metrics"] for a in (weak, medium, strong)
    ]
    assert store.trend("me", "no-such-criterion") == []
    assert all(0 <= p.score <= 1 for p in metrics)

    weakest = store.weakest_criteria("me")
    assert [w.mean_score for w in weakest] == sorted(w.mean_score for w in weakest)
    assert all(w.attempts == 4 for w in weakest)
    only_last = store.weakest_criteria("me", last=1)
    assert all(w.attempts == 1 for w in only_last)

    questions = store.weakest_questions("me")
    assert [q.question_id for q in questions][-1] in {"build-network", "referral-requests"}
    by_id = {q.question_id: q for q in questions}
    assert by_id["build-network"].attempts == 3
    assert by_id["build-network"].last_grade == strong.grade
    assert by_id["build-network"].best_grade == max(weak.grade, medium.grade, strong.grade)
    assert by_id["build-network"].due_on is not None


def test_attempts_are_frozen(store: Store, results: dict[str, ScoreResult]) -> None:
    saved = save(store, results["weak"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        saved.answer = "changed"  # type: ignore[misc]
