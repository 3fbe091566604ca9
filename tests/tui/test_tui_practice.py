"""The practice store in the app: attempts saved and shown, due marks, candidates, the history
screen, coach sessions, and opening the store from the `coach` command."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual.widgets import OptionList, TextArea
from tui_helpers import STORY, open_question, palette_entries, settle, text_of, type_text
from tui_store import save

from coach.content import ContentPack
from coach.store import PlanItem, SessionPlan, Store
from coach.tui.screens.answer import AnswerScreen
from coach.tui.screens.candidates import CandidateScreen
from coach.tui.screens.history import HistoryScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.note import NoteScreen
from coach.tui.screens.past_result import PastResultScreen
from coach.tui.screens.results import ResultsScreen
from coach.tui.screens.session_plan import SessionPlanScreen
from coach.tui.screens.session_summary import SessionSummaryScreen
from coach.tui.widgets.attempt_table import AttemptTable
from coach.tui.widgets.trend_panel import TrendPanel

pytestmark = pytest.mark.anyio


def rows(app_screen: object) -> list[str]:
    assert isinstance(app_screen, HomeScreen)
    return [str(o.prompt) for o in app_screen.query_one("#questions", OptionList).options]


async def answer(pilot, number: int | None = None, text: str = STORY) -> ResultsScreen:
    """Open question `number` from home (or answer the screen already open), then submit."""
    if number is not None:
        await open_question(pilot, number)
    await type_text(pilot, text)
    await pilot.press("ctrl+s")
    await settle(pilot, "submit")
    screen = pilot.app.screen
    assert isinstance(screen, ResultsScreen), screen
    return screen


async def test_an_attempt_is_saved_and_shows_on_home_and_in_the_history(
    make_app, canned_engine, store: Store, pack: ContentPack, clock
) -> None:
    app = make_app(engine=canned_engine, store=store, candidate="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.title == "coach · ana"
        await pilot.press("down", "s")  # a scenario for question 2
        screen = await open_question(pilot, 2)
        scenario = screen.scenario
        await pilot.press(*"In")
        clock.advance(75)
        await answer(pilot, text=STORY)

        [saved] = store.list_attempts(candidate="ana")
        assert saved.question_id == "convert-opportunities" and saved.grade == 4
        assert saved.mode == "typed" and saved.answer.startswith("In") and STORY in saved.answer
        assert saved.scenario == scenario and scenario
        assert saved.seconds_taken == pytest.approx(75) and saved.target_seconds == 120
        assert saved.content_hash == pack.content_hash and saved.session_id is None

        await pilot.press("escape")
        await pilot.pause()
        assert "grade 4/5" in rows(app.screen)[1]

        await pilot.press("h")
        await settle(pilot, "history", "history-candidates")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one(AttemptTable)
        assert table.row_count == 1 and table.selected == saved
        trends = history.query_one(TrendPanel)
        assert trends.values("overall") == [68.0]
        assert trends.values("follow_up") == [pytest.approx(0.1)]
        assert "Follow-up" in text_of(pilot, "#weakest")  # the weakest criterion, named
        assert "Turning network" in text_of(pilot, "#weakest")  # and the weakest question
        on_history = await palette_entries(pilot)
        for action in ("Coach's note", "Filters"):
            assert any(action in item for item in on_history), (action, on_history)

        await pilot.press("enter")  # the saved result, read-only
        await pilot.pause()
        past = app.screen
        assert isinstance(past, PastResultScreen)
        assert "Grade 4/5" in text_of(pilot, "#summary")
        assert "time 1:15 of 2:00" in text_of(pilot, "#summary")
        assert past.result.criteria == canned_engine.run(lambda s: s.score(2, "")).criteria
        assert not past.check_action("retry", ()) and not past.check_action("next", ())
        on_past = await palette_entries(pilot)
        assert not any("Retry" in item or "Next question" in item for item in on_past), on_past
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is history


async def test_a_coach_grades_and_notes_an_attempt_in_the_history(make_app, store: Store) -> None:
    saved = save(store, "event-roi", 4, candidate="me", days_ago=1)
    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "grade 4/5" in rows(app.screen)[2]
        await pilot.press("h")
        await settle(pilot, "history", "history-candidates")
        await pilot.press("2")
        await settle(pilot, "history-save", "history")
        assert store.get_attempt(saved.id).human_grade == 2
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one("#note-text", TextArea).insert("Lead with the pipeline number.")
        await pilot.press("ctrl+s")
        await settle(pilot, "history-save", "history")
        assert store.get_attempt(saved.id).coach_note == "Lead with the pipeline number."
        assert "Lead with the pipeline number." in text_of(pilot, "#attempt-detail")
        assert "Coach grade 2/5" in text_of(pilot, "#attempt-detail")
        await pilot.press("escape")
        await pilot.pause()
        assert "grade 2/5" in rows(app.screen)[2]  # a coach's grade wins on home too
        assert " due " in rows(app.screen)[2]  # graded 2 yesterday: due again today


async def test_due_marks_follow_the_grades(make_app, canned_engine, store: Store) -> None:
    save(store, "convert-opportunities", 2, days_ago=3)  # weak: due the next day
    save(store, "event-roi", 5, days_ago=3)  # strong: due in two weeks
    save(store, "build-network", 4, days_ago=8)  # due six days after: two days ago
    app = make_app(engine=canned_engine, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = rows(app.screen)
        assert " due " in before[0] and " due " in before[1]
        assert " due " not in before[2] and " due " not in before[3]
        await answer(pilot, 2)  # the canned answer to question 2 earns a 4
        await pilot.press("escape")
        await pilot.pause()
        after = rows(app.screen)
        assert " due " not in after[1] and "grade 4/5" in after[1]
        assert " due " in after[0]


async def test_a_session_runs_two_questions_and_ends_on_the_summary(
    make_app, store: Store, clock
) -> None:
    store.save_plan(
        SessionPlan(
            "Two for ana",
            items=(PlanItem("build-network", 90), PlanItem("referral-requests")),
        )
    )
    app = make_app(store=store, candidate="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot, "plans")
        assert isinstance(app.screen, SessionPlanScreen)
        plans = app.screen.query_one("#plans", OptionList)
        await pilot.press("down", "down")  # past the two quick plans
        assert plans.highlighted_option is not None
        assert plans.highlighted_option.id == "plan:Two for ana"
        assert "Building a network" in text_of(pilot, "#plan-detail")
        await pilot.press("enter")
        await settle(pilot, "session")

        first = app.screen
        assert isinstance(first, AnswerScreen)
        assert first.question.id == "build-network"
        assert first.question.target_seconds == 90  # the plan's time limit
        assert first.scenario in first.question.scenarios
        assert app.title == "coach · ana · Two for ana 1/2"
        await pilot.press(*"In")
        clock.advance(100)  # over the limit
        await answer(pilot)
        await pilot.press("n")
        await pilot.pause()

        second = app.screen
        assert isinstance(second, AnswerScreen)
        assert second.question.id == "referral-requests"
        assert second.question.target_seconds == 120  # the question's own target
        assert app.title == "coach · ana · Two for ana 2/2"
        await answer(pilot)
        await pilot.press("n")
        await settle(pilot, "session")

        summary = app.screen
        assert isinstance(summary, SessionSummaryScreen)
        assert app.title == "coach · ana"
        grades = [row.attempt.grade for row in summary.summary.rows if row.attempt]
        assert len(grades) == 2
        assert f"Total {sum(grades)}/10" in text_of(pilot, "#session-total")
        assert "Weakest criterion" in text_of(pilot, "#session-total")

        [session] = store.list_sessions("ana")
        assert session.ended_at is not None and session.plan_name == "Two for ana"
        attempts = store.list_attempts(session=session.id)
        assert [a.question_id for a in attempts] == ["build-network", "referral-requests"]
        assert attempts[0].target_seconds == 90 and attempts[0].seconds_taken == pytest.approx(100)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#session-status").display


async def test_a_quick_session_can_be_left_and_ended_early(make_app, store: Store) -> None:
    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot, "plans")
        await pilot.press("enter")  # quick: 3 random questions
        await settle(pilot, "session")
        assert isinstance(app.screen, AnswerScreen)
        asked = app.screen.question.id
        await answer(pilot)
        await pilot.press("escape")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "question 1 of 3" in text_of(pilot, "#session-status")
        await pilot.press("n")  # continue: the same question again
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and app.screen.question.id == asked
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await settle(pilot, "session")
        summary = app.screen
        assert isinstance(summary, SessionSummaryScreen)
        assert [row.attempt is not None for row in summary.summary.rows] == [True, False, False]
        assert "1 of 3 answered" in text_of(pilot, "#session-total")


async def test_drill_due_runs_the_due_questions_in_order(make_app, store: Store) -> None:
    save(store, "event-roi", 1, days_ago=5)  # due four days ago
    save(store, "new-market", 2, days_ago=2)  # due yesterday
    save(store, "build-network", 5, days_ago=1)  # not due
    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await settle(pilot, "session")
        assert isinstance(app.screen, AnswerScreen)
        assert app.screen.question.id == "event-roi"
        run = app.session_run
        assert run is not None
        assert [s.question_id for s in run.steps] == ["event-roi", "new-market"]


async def test_drill_due_with_nothing_due_says_so(make_app, store: Store) -> None:
    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Nothing is due" in n.message for n in app._notifications)


async def test_switching_and_adding_candidates(make_app, canned_engine, store: Store) -> None:
    store.add_candidate("bo")
    save(store, "build-network", 3, candidate="bo")
    app = make_app(engine=canned_engine, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.title == "coach · me"
        assert "grade" not in rows(app.screen)[0]
        await pilot.press("c")
        await settle(pilot, "candidates")
        assert isinstance(app.screen, CandidateScreen)
        listing = app.screen.query_one("#candidate-list", OptionList)
        assert [o.id for o in listing.options] == ["me", "bo"]  # in the order they came
        assert listing.highlighted == 0  # who practises now
        await pilot.press("down", "enter")
        await settle(pilot, "candidate")
        assert isinstance(app.screen, HomeScreen)
        assert app.title == "coach · bo"
        assert "grade 3/5" in rows(app.screen)[0]

        await pilot.press("c")
        await settle(pilot, "candidates")
        await pilot.press("a", *"Cy")
        await pilot.press("enter")
        await settle(pilot, "candidates")
        await settle(pilot, "candidate")
        assert app.title == "coach · Cy"
        await answer(pilot, 2)
        assert [a.candidate for a in store.list_attempts(question="convert-opportunities")] == [
            "Cy"
        ]

        await pilot.press("escape", "c")
        await settle(pilot, "candidates")
        await pilot.press("a", *"bo", "enter")  # taken: said in the modal, which stays
        await settle(pilot, "candidates")
        assert isinstance(app.screen, CandidateScreen)
        assert "already exists" in text_of(pilot, "#candidate-problem")


async def test_without_a_store_the_history_actions_are_off(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "p", "c", "d")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.title == "coach"


def test_a_damaged_database_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    from coach.tui.app import run_app

    db = tmp_path / "coach.sqlite3"
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    code = run_app(argparse.Namespace(db=db, candidate="ana", content=None))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("coach: ") and str(db) in err
    assert "Traceback" not in err
    assert db.read_bytes() == junk  # never overwritten


def test_a_bad_candidate_name_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    from coach.tui.app import run_app

    code = run_app(argparse.Namespace(db=tmp_path / "db", candidate="-x", content=None))
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "must not start with '-'" in err


async def test_the_palette_lists_the_practice_actions(make_app, store: Store) -> None:
    from textual.command import CommandPalette

    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        listed = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        for action in (
            "History",
            "Drill due",
            "Coach session",
            "Switch candidate",
            "New candidate",
            "Rubric lab",
        ):
            assert any(action in item for item in listed), (action, listed)
        await pilot.press(*"history")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, "history", "history-candidates")
        assert isinstance(app.screen, HistoryScreen)


async def test_a_quick_session_takes_its_size_from_the_count(make_app, store: Store) -> None:
    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await settle(pilot, "plans")
        await pilot.press("tab")  # to the count: focus selects it, typing replaces it
        await pilot.press("2", "enter")  # Enter goes back to the list
        assert "2 questions, random" in text_of(pilot, "#plan-detail")
        await pilot.press("enter")
        await settle(pilot, "session")
        run = app.session_run
        assert run is not None and len(run.steps) == 2
