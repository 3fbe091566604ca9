"""Snapshots of the history screen, a session summary and the rubric lab at 80x24.

Deterministic: attempts saved through the store API with fixed dates (shown in UTC), the
canned result, the lab scorer that reads its scores from the labels file. Update with
`pytest tests/tui --snapshot-update` and look at the SVGs before committing them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_tui_lab import LABELS
from textual.pilot import Pilot
from textual.widgets import Input
from tui_canned import canned_result
from tui_fakes import LabScorer
from tui_helpers import settle
from tui_store import save

from coach.content import ContentPack
from coach.store import PlanItem, PlanStep, SessionPlan, Store
from coach.tui.engine import Engine
from coach.tui.screens.session_summary import SessionSummaryScreen

SIZE = (80, 24)


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Show times in UTC whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def day(d: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, d, hour, 15, tzinfo=UTC)


def test_history(snap_compare, make_app, store: Store, utc: None) -> None:
    store.add_candidate("ana")
    low = {"metrics": 0.3, "outcome_focus": 0.4, "value_first": 0.5, "follow_up": 0.1}
    mid = {"metrics": 0.7, "outcome_focus": 0.6, "value_first": 0.55, "follow_up": 0.2}
    high = {"metrics": 0.9, "outcome_focus": 0.85, "value_first": 0.8, "follow_up": 0.45}
    save(store, "build-network", 2, candidate="ana", overall=31, when=day(3), scores=low)
    graded = save(store, "event-roi", 3, candidate="ana", overall=52, when=day(5), scores=mid)
    save(store, "build-network", 3, candidate="ana", overall=58, when=day(9), scores=mid)
    save(store, "convert-opportunities", 4, candidate="ana", overall=71, when=day(12), scores=high)
    store.set_human_grade(graded.id, 2)
    store.add_note(graded.id, "Counts events; ask what they produced.")
    app = make_app(store=store, candidate="ana")

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await settle(pilot, "history", "history-candidates")
        await pilot.press("down", "down")  # the attempt a coach graded and noted

    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


def test_session_summary(snap_compare, make_app, store: Store, utc: None) -> None:
    questions = ("build-network", "referral-requests", "event-roi")
    plan = SessionPlan("Monday drill", items=tuple(PlanItem(q) for q in questions), seconds=90)
    steps = [PlanStep(q, 90) for q in questions]
    session = store.start_session("me", plan=plan, steps=steps, started_at=day(10, 9))
    scores = {"metrics": 0.8, "outcome_focus": 0.7, "value_first": 0.6, "follow_up": 0.25}
    save(store, "build-network", 4, overall=70, when=day(10), seconds=84, session_id=session.id)
    save(
        store,
        "referral-requests",
        3,
        overall=55,
        when=day(10, 11),
        seconds=112,
        scores=scores,
        session_id=session.id,
    )
    store.end_session(session.id, ended_at=day(10, 12))
    app = make_app(store=store)

    async def show(pilot: Pilot[None]) -> None:
        await pilot.pause()
        practice = app.services.practice
        assert practice is not None
        summary = practice.summary(store.get_session(session.id))
        await app.push_screen(SessionSummaryScreen(summary))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_rubric_lab(
    snap_compare, make_app, pack: ContentPack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "labels.yaml").write_text(LABELS, encoding="utf-8")
    app = make_app(engine=Engine.from_scorer(LabScorer(pack, canned_result())))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        pilot.app.screen.query_one("#labels-path", Input).value = "labels.yaml"
        await pilot.press("enter")
        await settle(pilot, "lab")
        await pilot.press(*["minus"] * 5)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


def test_home_with_history(snap_compare, make_app, store: Store) -> None:
    """Grades from the store, due marks, the candidate in the header, the store's keys."""
    store.add_candidate("ana")
    save(store, "build-network", 2, candidate="ana", days_ago=3)
    save(store, "event-roi", 5, candidate="ana", days_ago=3)
    save(store, "convert-opportunities", 4, candidate="ana", days_ago=1)
    app = make_app(store=store, candidate="ana")
    assert snap_compare(app, terminal_size=SIZE)


def test_history_light_theme(snap_compare, make_app, store: Store, utc: None) -> None:
    store.add_candidate("ana")
    save(store, "build-network", 2, candidate="ana", overall=31, when=day(3))
    save(store, "build-network", 4, candidate="ana", overall=66, when=day(6))
    app = make_app(store=store, candidate="ana", theme="textual-light")

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await settle(pilot, "history", "history-candidates")

    assert snap_compare(app, terminal_size=SIZE, run_before=steps)
