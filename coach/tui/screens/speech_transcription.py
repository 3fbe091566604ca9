"""`TranscribingScreen`, the base class of `SpeakingScreen`: the transcription job and its worker.

Every way of answering aloud ends in a transcription (a fresh recording, an audio file, the
recording kept from last time), so the job, its thread worker, the messages it posts back and
the landing of the transcript in the editor sit here, under the flows in `answer_speech`, with
the state they share (the phase, the take, the kept recording).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual import work
from textual.screen import Screen
from textual.widgets import TextArea

from coach.clock import clock
from coach.content import Question
from coach.speech import (
    Recording,
    SpeechError,
    TranscriptionCancelled,
    transcribe,
)
from coach.tui.drafts import Draft
from coach.tui.services import Services
from coach.tui.stopwatch import Stopwatch
from coach.tui.voice import Take, TakeMode, keep_recording, take_of
from coach.tui.voice_messages import (
    RecordingKept,
    Transcribed,
    TranscriptionFailed,
    TranscriptionProgress,
)
from coach.tui.widgets.answer_timer import AnswerTimer
from coach.tui.widgets.speech_panel import SpeechPanel, Tone

Phase = Literal["idle", "opening", "recording", "transcribing", "self-timed"]


@dataclass(frozen=True, eq=False)
class TranscriptionJob:
    """One transcription: of a fresh recording (kept to `keep_at` first) or of a file."""

    job: int
    mode: TakeMode
    source: Recording | Path
    cancel: threading.Event
    keep_at: Path | None = None  # where to keep a fresh recording before transcribing it
    transcribe: bool = True  # False: keep the recording only (stopped with escape)


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


class TranscribingScreen(Screen[None]):
    """A spoken answer's state and its transcription, for `SpeakingScreen` to build on."""

    # Set by AnswerScreen; a take replaces `stopwatch` with the recording's or the clock's.
    services: Services
    question: Question
    draft_text: str
    stopwatch: Stopwatch

    def __init__(self, draft: Draft | None) -> None:
        super().__init__()
        self.take: Take | None = Take.from_dict(draft.take) if draft else None
        self.kept_recording: Path | None = (
            Path(draft.recording) if draft is not None and draft.recording else None
        )
        self.phase: Phase = "idle"
        self._job = 0
        self._cancel: threading.Event | None = None

    # ------------------------------------------------------------------ what AnswerScreen gives

    @property
    def editor(self) -> TextArea:
        return self.query_one("#answer", TextArea)

    @property
    def timer(self) -> AnswerTimer:
        return self.query_one("#timer", AnswerTimer)

    @property
    def speech(self) -> SpeechPanel:
        return self.query_one("#speech", SpeechPanel)

    def stage_draft(self, text: str | None = None) -> None:
        raise NotImplementedError

    def _save_draft(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ state

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.refresh_bindings()

    def _use_stopwatch(self, stopwatch: Stopwatch, paused_hint: str) -> None:
        self.stopwatch = stopwatch
        self.timer.use(stopwatch, paused_hint)

    # ------------------------------------------------------------------ transcription

    def _transcribe(
        self,
        source: Recording | Path,
        mode: TakeMode,
        *,
        keep_at: Path | None = None,
        transcribe: bool = True,
    ) -> None:
        if self._cancel is not None:
            self._cancel.set()  # a transcription still running is replaced
        self._job += 1
        self._cancel = threading.Event()
        job = TranscriptionJob(self._job, mode, source, self._cancel, keep_at, transcribe)
        if transcribe:
            self._set_phase("transcribing")
            recording = isinstance(source, Recording) or mode == "spoken"
            name = source.name if isinstance(source, Path) else "your recording"
            self.speech.show(
                f"Transcribing {name}… (the speech model loads the first time)",
                "escape cancels; the recording is kept" if recording else "escape cancels",
                tone="active",
                progress=True,
            )
            self.speech.set_progress(None)
        self.transcribe_take(job)

    @work(thread=True, exclusive=True, group="transcribe")
    def transcribe_take(self, job: TranscriptionJob) -> None:
        kept: Path | None = None
        source = job.source
        if isinstance(source, Recording) and job.keep_at is not None:
            try:
                kept = keep_recording(source, job.keep_at)
                self.post_message(RecordingKept(job.job, kept))
            except OSError as exc:
                reason = f"cannot keep the recording in {job.keep_at} ({exc.strerror or exc})"
                self.post_message(RecordingKept(job.job, None, reason))
        elif isinstance(source, Path) and job.mode == "spoken":
            kept = source  # the kept recording, offered back
        if not job.transcribe:
            return

        def progress(fraction: float) -> None:
            self.post_message(TranscriptionProgress(job.job, fraction))

        try:
            audio = source.samples_16k() if isinstance(source, Recording) else source
            # `transcribe` is looked up in this module when called: the tests hold a
            # transcription by replacing `coach.tui.screens.speech_transcription.transcribe`.
            transcript = transcribe(
                audio,
                progress=progress,
                cancel=job.cancel,
                name="the recording" if job.mode == "spoken" else None,
            )
        except TranscriptionCancelled:
            self.post_message(TranscriptionFailed(job.job, "transcription cancelled", True))
            return
        except SpeechError as exc:
            self.post_message(TranscriptionFailed(job.job, str(exc)))
            return
        except Exception as exc:  # whatever breaks, the screen and the recording stay
            reason = f"transcription failed ({type(exc).__name__}: {exc})"
            self.post_message(TranscriptionFailed(job.job, reason))
            return
        source_name = str(source) if job.mode == "file" else ""
        self.post_message(
            Transcribed(job.job, take_of(transcript, job.mode, recording=kept, source=source_name))
        )

    def on_recording_kept(self, message: RecordingKept) -> None:
        if message.path is None:
            self.notify(message.error, title="Recording not kept", severity="error", timeout=12)
            return
        self.kept_recording = message.path
        self.stage_draft()
        self._save_draft()
        if message.job == self._job and self.phase == "idle":  # stopped with escape
            seconds = self.take.seconds if self.take is not None else 0.0
            self.speech.show(
                f"Recording stopped and kept ({clock(seconds)}).",
                "ctrl+o, Enter transcribes it · ctrl+r records again · or type what you said",
            )

    def on_transcription_progress(self, message: TranscriptionProgress) -> None:
        if message.job == self._job and self.phase == "transcribing":
            self.speech.set_progress(message.fraction)

    def on_transcription_failed(self, message: TranscriptionFailed) -> None:
        if message.job != self._job:
            return
        self._set_phase("idle")
        kept = self.kept_recording is not None
        tone: Tone = "warning"
        if message.cancelled:
            status = "Transcription cancelled."
        else:
            tone = "error"
            status = f"Could not transcribe: {message.reason}"
            self.notify(message.reason, title="Transcription failed", severity="error")
        if kept:
            hint = (
                "Your recording is kept beside the draft: ctrl+o then Enter tries again, "
                "or type what you said."
            )
        else:
            hint = "ctrl+o tries another file · ctrl+g self-timed · or type your answer"
        self.speech.show(status, hint, tone=tone)

    def on_transcribed(self, message: Transcribed) -> None:
        if message.job != self._job:
            return
        self._set_phase("idle")
        self.land_take(message.take)

    def land_take(self, take: Take) -> None:
        """Put a transcribed take's text in the editor (undoable) and its length on the timer."""
        self.take = take
        if take.recording is not None:
            self.kept_recording = take.recording
        self.timer.pause()
        self._use_stopwatch(Stopwatch(self.services.clock, take.seconds), "spoken answer")
        text = take.transcript.text if take.transcript is not None else ""
        editor = self.editor
        replaced = has_words(editor.text) and editor.text.strip() != text.strip()
        editor.replace(text, (0, 0), editor.document.end)
        editor.move_cursor(editor.document.end)
        editor.focus()
        if replaced:
            self.notify(
                "The transcript replaced the text that was there; ctrl+z brings it back.",
                title="Transcript",
            )
        words = len(text.split())
        self.speech.show(
            f"Transcribed {take.label}: {clock(take.seconds)} of audio, {words} words.",
            "Correct anything misheard, then ctrl+s scores it with delivery feedback.",
        )
        self.stage_draft()
        self._save_draft()
