"""`CandidateHistory` plugs the store into the TUI's `History` seam."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from coach.scoring import ScoreResult
from coach.store import CandidateHistory, Store


@dataclass(frozen=True)
class Answer:
    question_id: str
    answer: str
    seconds: float
    result: ScoreResult
    mode: str = "spoken"
    delivery: Any = None


def test_record_and_last_grade(store: Store, results: dict[str, ScoreResult]) -> None:
    store.add_candidate("ana")
    history = CandidateHistory(store, "ana", content_hash="abc")
    assert history.last_grade("build-network") is None
    history.record(Answer("build-network", "weak", 61.5, results["weak"], delivery={"wpm": 120}))
    assert history.last_grade("build-network") == results["weak"].grade
    saved = history.save(Answer("build-network", "strong", 90.0, results["strong"]))
    assert history.last_grade("build-network") == results["strong"].grade
    store.set_human_grade(saved.id, 2)
    assert history.last_grade("build-network") == 2
    first = store.list_attempts(candidate="ana")[0]
    assert first.mode == "spoken" and first.seconds_taken == 61.5 and first.delivery == {"wpm": 120}
    assert first.content_hash == "abc"
    assert history.due(date.today() + timedelta(days=1)) == ["build-network"]


def test_it_fits_the_tui_protocol(store: Store, results: dict[str, ScoreResult]) -> None:
    tui_history = pytest.importorskip("coach.tui.history")
    history: Any = CandidateHistory(store)
    attempt = tui_history.Attempt(
        question_id="event-roi", answer="x", seconds=30.0, result=results["strong_event"]
    )
    history.record(attempt)
    assert history.last_grade("event-roi") == results["strong_event"].grade
    assert store.list_attempts()[0].mode == "typed"
