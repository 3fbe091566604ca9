"""Answer: the question on top, the editor, a timer and a live STAR checklist beside it.

This module is the typed answer: timing, the draft, the live checklist and scoring. Answering
aloud (recording, self-timed, audio files) lives in `SpeakingScreen`, its base class, in
`answer_speech`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Header, Static, TextArea
from textual.worker import get_current_worker

from coach.content import Question
from coach.scoring import EmptyAnswer
from coach.tui.drafts import Draft
from coach.tui.engine import ModelState
from coach.tui.history import Attempt
from coach.tui.messages import AnswerScored, LiveScored, ScoringFailed
from coach.tui.screens.answer_speech import SpeakingScreen
from coach.tui.screens.results import ResultsScreen
from coach.tui.screens.speech_transcription import has_words
from coach.tui.services import Services
from coach.tui.stopwatch import Stopwatch, format_seconds
from coach.tui.widgets.answer_timer import AnswerTimer
from coach.tui.widgets.speech_panel import SpeechPanel
from coach.tui.widgets.star_checklist import StarChecklist

PLACEHOLDER = (
    "Tell one real story: the situation, your task, what you did, and the result "
    "with numbers. The timer starts when you type; ctrl+s submits."
)


class AnswerScreen(SpeakingScreen):
    CSS_PATH = "answer.tcss"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Score", priority=True),
        Binding("escape", "leave", "Home"),
        Binding("escape", "stop_speech", "Stop"),
        Binding("ctrl+t", "toggle_timer", "Timer", show=False),  # the timer says ctrl+t
        Binding("ctrl+r", "speak", "Speak"),
        Binding("ctrl+r", "stop_recording", "Stop recording"),
        Binding("ctrl+g", "self_timed", "Self-timed"),
        Binding("ctrl+g", "stop_self_timed", "Stop clock"),
        Binding("ctrl+o", "audio_file", "Audio file"),
        Binding("ctrl+c", "copy_or_keep", "Copy", show=False, priority=True),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(
        self,
        services: Services,
        question: Question,
        scenario: str | None,
        draft: Draft | None,
        session_id: int | None = None,
    ) -> None:
        super().__init__(draft)
        self.services = services
        self.question = question  # its target_seconds is the time limit (a session's, if any)
        self.scenario = scenario
        self.session_id = session_id  # the coach session this answer belongs to, if any
        self.draft_text = draft.text if draft else ""
        self.stopwatch = Stopwatch(services.clock, draft.elapsed if draft else 0.0)
        self._version = 0
        self._save_timer: Timer | None = None
        self._live_timer: Timer | None = None
        self._submitting = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        number = self.services.pack.question_ids().index(self.question.id) + 1
        yield Header()
        with Vertical(id="question-box"):
            yield Static(
                Content.assemble((f"Q{number} ", "bold $text-primary"), self.question.title),
                id="question-title",
            )
            yield Static(self.question.question, id="question-text", markup=False)
            if self.scenario:
                yield Static(
                    Content.assemble(("Scenario: ", "bold $text-accent"), self.scenario),
                    id="scenario",
                )
        with Horizontal(id="work"):
            yield TextArea(
                self.draft_text,
                id="answer",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=PLACEHOLDER,
            )
            with Vertical(id="side"):
                yield AnswerTimer(self.stopwatch, self.question.target_seconds, id="timer")
                yield StarChecklist(id="checklist")
                yield Static(id="word-count")
        yield SpeechPanel(id="speech")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Answer"
        self.query_one("#answer", TextArea).border_title = "Your answer"
        editor = self.editor
        editor.focus()
        editor.move_cursor(editor.document.end)
        self._show_word_count(self.draft_text)
        self.watch(self.app, "model_state", self._model_state_changed)
        if self.draft_text:
            self.notify(
                f"Restored your draft ({format_seconds(self.stopwatch.elapsed())} on the timer).",
                title="Draft restored",
            )
        self._restore_take()
        self.set_interval(self.services.timer_save_interval, self._save_running_time)

    def _save_running_time(self) -> None:
        if self.stopwatch.running and self.editor.text.strip() and not self._submitting:
            self.stage_draft()
            self._save_draft()

    # ------------------------------------------------------------------ typing

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        text = self.editor.text
        self._version += 1
        if (
            text != self.draft_text
            and not self.stopwatch.running
            and not self._submitting
            and self.take is None  # a spoken answer's time is its recording's (or the clock's)
            and self.phase == "idle"
        ):
            self.timer.start()
        self.timer.refresh_time()
        self._show_word_count(text)
        self.stage_draft(text)
        if self._save_timer is None:
            self._save_timer = self.set_timer(self.services.draft_delay, self._save_draft)
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(self.services.live_delay, self._rescore)

    def _show_word_count(self, text: str) -> None:
        count = len(text.split())
        self.query_one("#word-count", Static).update(
            Content.styled(f"{count} word{'s' if count != 1 else ''}", "$text-muted")
        )

    def stage_draft(self, text: str | None = None) -> None:
        self.services.drafts.stage(
            Draft(
                question_id=self.question.id,
                text=self.editor.text if text is None else text,
                elapsed=self.stopwatch.elapsed(),
                scenario=self.scenario,
                saved_at=time.time(),
                take=self.take.to_dict() if self.take is not None else None,
                recording=str(self.kept_recording) if self.kept_recording else None,
            )
        )

    def on_unmount(self) -> None:
        self._rescue_speech()
        self.services.drafts.flush()  # however the screen went away, the staged draft is kept

    def _save_draft(self) -> None:
        self._save_timer = None
        for error in self.services.drafts.flush():
            self.notify(error, title="Draft not saved", severity="error")

    # ------------------------------------------------------------------ live checklist

    def _model_state_changed(self, state: ModelState) -> None:
        self.query_one("#checklist", StarChecklist).state = state
        if state is not ModelState.LOADING:
            self._rescore()

    def _rescore(self) -> None:
        self._live_timer = None
        if self.services.engine.ready and not self._submitting:
            self.score_live(self._version, self.editor.text)

    @work(thread=True, exclusive=True, group="live")
    def score_live(self, version: int, text: str) -> None:
        worker = get_current_worker()
        try:
            result = self.services.engine.score(
                self.question.id, text, cancelled=lambda: worker.is_cancelled
            )
        except EmptyAnswer:
            result = None
        if not worker.is_cancelled:
            self.post_message(LiveScored(self.question.id, version, result))

    def on_live_scored(self, message: LiveScored) -> None:
        if message.version != self._version:
            return  # the draft changed since; a newer score is on its way
        checklist = self.query_one("#checklist", StarChecklist)
        if message.result is None:
            checklist.parts = None
        else:
            checklist.parts = {part: s.present for part, s in message.result.star.items()}

    # ------------------------------------------------------------------ actions

    def action_copy_or_keep(self) -> None:
        """ctrl+c copies a selection; without one (the reflex to quit) it saves the draft."""
        editor = self.editor
        if editor.selected_text:
            editor.action_copy()
            return
        self.stage_draft()
        self._save_draft()
        self.notify(
            "Your draft is saved. ctrl+q quits, escape goes home; both keep it.",
            title="Draft saved",
        )

    def action_toggle_timer(self) -> None:
        self.timer.toggle()

    def action_leave(self) -> None:
        """Back home; the draft stays on disk and is offered again."""
        if self.phase != "idle":  # escape stops what is going on first
            self.action_stop_speech()
            return
        self.timer.pause()
        self.stage_draft()
        self._save_draft()
        if has_words(self.editor.text):
            self.notify(
                "Your draft is kept: open the question again to continue.", title="Draft saved"
            )
        self.dismiss()

    def action_submit(self) -> None:
        text = self.editor.text
        if not has_words(text):
            self.notify(
                "There is nothing to score yet: type your answer, then press ctrl+s.",
                title="Empty answer",
                severity="warning",
            )
            return
        if self._submitting:
            return
        if self.phase == "self-timed":
            self.action_stop_self_timed()  # the clock stops where the answer was submitted
        elif self.phase != "idle":
            busy = "recording" if self.phase in ("opening", "recording") else "transcribing"
            self.notify(
                f"Still {busy}: ctrl+r stops the recording, escape stops either; "
                "then ctrl+s scores the transcript.",
                title="Not yet",
                severity="warning",
            )
            return
        self._submitting = True
        self.timer.pause()
        self.stage_draft(text)
        self._save_draft()
        self.query_one("#work").loading = True
        if not self.services.engine.ready:
            self.notify("Scoring as soon as the model has loaded…", title="Scoring")
        self.score_answer(text, self.stopwatch.elapsed())

    @work(thread=True, exclusive=True, group="submit")
    def score_answer(self, text: str, seconds: float) -> None:
        worker = get_current_worker()
        try:
            result = self.services.engine.score(
                self.question.id, text, cancelled=lambda: worker.is_cancelled
            )
        except EmptyAnswer as exc:
            self.post_message(ScoringFailed(self.question.id, str(exc)))
            return
        except Exception as exc:  # keep the app (and the draft) alive whatever the scorer hits
            self.post_message(ScoringFailed(self.question.id, f"{type(exc).__name__}: {exc}"))
            return
        if result is not None and not worker.is_cancelled:
            self.post_message(AnswerScored(self.question.id, text, seconds, result))

    def on_scoring_failed(self, message: ScoringFailed) -> None:
        self._submitting = False
        self.query_one("#work").loading = False
        self.notify(message.reason, title="Could not score", severity="error")

    def on_answer_scored(self, message: AnswerScored) -> None:
        services = self.services
        take = self.take
        delivery = None
        if take is not None:
            fillers = services.pack.rubric_for(self.question.id).language.fillers
            delivery = take.delivery(message.answer, fillers, self.question.target_seconds)
        attempt = Attempt(
            message.question_id,
            message.answer,
            message.seconds,
            message.result,
            scenario=self.scenario,
            target_seconds=self.question.target_seconds,
            session_id=self.session_id,
            mode=take.store_mode if take is not None else "typed",
            delivery=delivery,
        )
        try:
            services.history.record(attempt)
        except Exception as exc:  # the history store failed: the result is still shown
            self.notify(str(exc), title="Attempt not saved", severity="error", timeout=12)
        services.drafts.discard(message.question_id)  # and the kept recording
        self.kept_recording = None
        self.app.switch_screen(
            ResultsScreen(
                services,
                self.question,
                message.answer,
                message.seconds,
                message.result,
                delivery=delivery,
                delivery_source=take.label if take is not None else "",
                timed_only=take.timed_only if take is not None else False,
            )
        )

    # ------------------------------------------------------------------ palette, speech

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Submit answer", "Score the answer (ctrl+s)", self.action_submit)
        yield SystemCommand("Start or pause the timer", "ctrl+t", self.action_toggle_timer)
        yield from self.speech_commands()
