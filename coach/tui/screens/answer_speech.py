"""The answer screen's spoken half: `SpeakingScreen`, the base class of `AnswerScreen`.

The strip under the editor (`SpeechPanel`) says what is going on and which keys apply:

- ctrl+r records from the microphone with a level meter, the timer running on the audio; ctrl+r
  again stops, and the transcript lands in the editor (editable), from a thread worker with a
  progress bar that escape cancels. The recording is kept beside the draft first, so a failed
  transcription or a killed app loses nothing; it is offered back with the draft.
- ctrl+g runs the self-timed clock while the candidate answers aloud (no microphone needed);
  then they paste or type what they said.
- ctrl+o transcribes an audio file.

The take (`coach.tui.voice.Take`) gives the results screen its delivery panel. The bindings stay
on `AnswerScreen`, beside the typing ones, so the footer keeps their order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual import work
from textual.app import SystemCommand
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import TextArea

from coach.content import Question
from coach.speech import (
    NoMicrophone,
    Recorder,
    Recording,
    SpeechError,
    Transcript,
    TranscriptionCancelled,
    transcribe,
)
from coach.speech.audio import Samples
from coach.speech.delivery import clock
from coach.tui.drafts import Draft
from coach.tui.screens.audio_file import AudioFileScreen
from coach.tui.services import Services
from coach.tui.stopwatch import Stopwatch
from coach.tui.voice import Take, TakeMode, keep_recording, take_of
from coach.tui.voice_messages import (
    RecordingKept,
    RecordingRefused,
    RecordingStarted,
    Transcribed,
    TranscriptionFailed,
    TranscriptionProgress,
)
from coach.tui.widgets.answer_timer import AnswerTimer
from coach.tui.widgets.speech_panel import SpeechPanel, Tone

Phase = Literal["idle", "opening", "recording", "transcribing", "self-timed"]
LEVEL_POLL_SECONDS = 0.1
MIN_RECORDING_S = 0.3  # shorter: nothing was said (a double press)
OTHER_WAYS = "ctrl+g: self-timed, answer aloud then type it · ctrl+o: an audio file"
SPEECH_ACTIONS = {
    # action -> the phases it applies in (a False from check_action hides it from the footer)
    "speak": ("idle", "opening", "transcribing", "self-timed"),
    "stop_recording": ("recording",),
    "self_timed": ("idle", "opening", "recording", "transcribing"),
    "stop_self_timed": ("self-timed",),
    "leave": ("idle",),
    "stop_speech": ("opening", "recording", "transcribing", "self-timed"),
}


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


class SpeakingScreen(Screen[None]):
    """Recording, self-timed answers and transcription, for `AnswerScreen` to build on."""

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
        self.recorder: Recorder | None = None
        self._heard = 0.0  # the loudest level since the meter last looked (audio thread)
        self._level_timer: Timer | None = None
        self._recording_stopwatch: Stopwatch | None = None  # runs on the recorded audio
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

    def transcribe_audio(
        self,
        audio: Samples | Path,
        *,
        progress: Callable[[float], None],
        cancel: threading.Event,
        name: str | None,
    ) -> Transcript:
        # `transcribe` is looked up in this module when called: the tests hold a transcription
        # by replacing `coach.tui.screens.answer_speech.transcribe`.
        return transcribe(audio, progress=progress, cancel=cancel, name=name)

    # ------------------------------------------------------------------ state

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phases = SPEECH_ACTIONS.get(action)
        if phases is None:
            return True
        if self.phase not in phases:
            return False  # the other binding of this key applies now
        if action in ("speak", "self_timed") and self.phase != "idle":
            return None  # shown, but busy with another way of answering
        return True

    def speech_commands(self) -> Iterator[SystemCommand]:
        """The command palette's entries for answering aloud, as they apply now."""
        phase = self.phase
        if phase == "idle":
            yield SystemCommand(
                "Speak your answer", "Record from the microphone (ctrl+r)", self.action_speak
            )
            yield SystemCommand(
                "Self-timed answer",
                "Answer aloud against the clock, then type what you said (ctrl+g)",
                self.action_self_timed,
            )
            yield SystemCommand(
                "Load an audio file",
                "Transcribe a wav, mp3, m4a or ogg (ctrl+o)",
                self.action_audio_file,
            )
            kept = self.kept_recording
            if kept is not None and (self.take is None or self.take.transcript is None):
                yield SystemCommand(
                    "Transcribe the kept recording",
                    f"{kept.name}: into the editor",
                    self.action_transcribe_kept,
                )
        elif phase == "recording":
            yield SystemCommand(
                "Stop recording", "Stop and transcribe (ctrl+r)", self.action_stop_recording
            )
            yield SystemCommand(
                "Stop recording, transcribe later",
                "Keep the audio beside the draft (escape)",
                self.action_stop_speech,
            )
        elif phase == "transcribing":
            yield SystemCommand(
                "Cancel transcription", "The recording stays kept (escape)", self.action_stop_speech
            )
        elif phase == "self-timed":
            yield SystemCommand("Stop the self-timed clock", "ctrl+g", self.action_stop_self_timed)

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.refresh_bindings()

    def _use_stopwatch(self, stopwatch: Stopwatch, paused_hint: str) -> None:
        self.stopwatch = stopwatch
        self.timer.use(stopwatch, paused_hint)

    def _restore_take(self) -> None:
        """A spoken answer kept in the draft: say so, and transcribe a recording left untouched
        (the app was closed or killed before its transcript came)."""
        take, kept = self.take, self.kept_recording
        if take is not None:
            self.timer.paused_hint = "spoken answer" if take.mode != "self-timed" else "self-timed"
        if kept is None or (take is not None and take.transcript is not None):
            if take is not None:
                self.speech.show(
                    f"Spoken answer kept ({take.label}, {clock(take.seconds)}).",
                    "ctrl+s scores it with delivery feedback; ctrl+r or ctrl+g starts again.",
                )
            return
        if not has_words(self.draft_text):
            self.notify("Transcribing the recording you kept from last time.", title="Recording")
            self._transcribe(kept, "spoken")
        else:
            self.speech.show(
                f"A recording of this answer is kept ({kept.name}), not transcribed.",
                "ctrl+o then Enter transcribes it (replacing the text; ctrl+z undoes).",
                tone="warning",
            )

    # ------------------------------------------------------------------ microphone

    def action_speak(self) -> None:
        """ctrl+r: record the answer from the microphone."""
        if self.phase != "idle":
            return
        recorder = self.services.voice.recorder(on_level=self._on_level)
        # The timer runs on the audio itself (started before the first block comes in): it
        # shows how much has been recorded.
        stopwatch = Stopwatch(lambda: recorder.elapsed_s)
        stopwatch.start()
        self.recorder = recorder
        self._recording_stopwatch = stopwatch
        self._set_phase("opening")
        self.speech.show("Opening the microphone…", tone="active")
        self.open_microphone(recorder)

    @work(thread=True, exclusive=True, group="microphone")
    def open_microphone(self, recorder: Recorder) -> None:
        """PortAudio may take a moment to list the devices: off the UI thread."""
        try:
            if not self.services.voice.microphone():
                raise NoMicrophone()
            recorder.start()
        except NoMicrophone as exc:
            self.post_message(RecordingRefused(str(exc), no_microphone=True))
        except SpeechError as exc:
            self.post_message(RecordingRefused(str(exc), no_microphone=False))
        except Exception as exc:  # PortAudio fails in many ways; never a traceback
            self.post_message(
                RecordingRefused(f"cannot record ({type(exc).__name__}: {exc})", False)
            )
        else:
            self.post_message(RecordingStarted(recorder))

    def on_recording_refused(self, message: RecordingRefused) -> None:
        self.recorder = None
        self._set_phase("idle")
        self.speech.show(
            message.reason,
            f"Or {OTHER_WAYS}",
            tone="warning" if message.no_microphone else "error",
        )

    def on_recording_started(self, message: RecordingStarted) -> None:
        if self.phase != "opening" or message.recorder is not self.recorder:
            message.recorder.cancel()  # stopped before the microphone opened
            return
        self._set_phase("recording")
        self.take = None
        if self._recording_stopwatch is not None:
            self._use_stopwatch(self._recording_stopwatch, "recorded")
        self.timer.start()
        self.speech.meter.reset()
        self._show_recording()
        self._level_timer = self.set_interval(LEVEL_POLL_SECONDS, self._poll_recorder)

    def _on_level(self, level: float) -> None:
        """On PortAudio's thread: only remember the loudest level for the meter."""
        self._heard = max(self._heard, level)

    def _poll_recorder(self) -> None:
        recorder = self.recorder
        if recorder is None or self.phase != "recording":
            return
        heard, self._heard = self._heard, 0.0
        self.speech.meter.level = max(heard, recorder.level)
        self._show_recording()
        if recorder.limit_reached:
            self.notify(
                f"Recordings stop at {clock(recorder.max_seconds)}: transcribing what you said.",
                title="Recording",
                severity="warning",
            )
            self.action_stop_recording()

    def _show_recording(self) -> None:
        recorder = self.recorder
        seconds = recorder.elapsed_s if recorder is not None else 0.0
        target = clock(self.question.target_seconds)
        self.speech.show(
            f"● Recording {clock(seconds)} of {target}: answer aloud",
            "ctrl+r stops and transcribes · escape stops and keeps the audio for later",
            tone="active",
            meter=True,
        )

    def _stop_recorder(self, show: bool = True) -> Recording | None:
        """Stop the microphone; the timer shows the recording's length (`show`: it is there)."""
        recorder, self.recorder = self.recorder, None
        if self._level_timer is not None:
            self._level_timer.stop()
            self._level_timer = None
        if recorder is None:
            return None
        try:
            recording = recorder.stop()
        except SpeechError:
            recorder.cancel()
            return None
        stopwatch = Stopwatch(self.services.clock, recording.duration_s)
        if show:
            self.timer.pause()
            self._use_stopwatch(stopwatch, "recorded")
        else:
            self.stopwatch = stopwatch
        return recording

    def action_stop_recording(self, transcribe: bool = True) -> None:
        """ctrl+r while recording: stop, keep the audio beside the draft, then transcribe it."""
        if self.phase != "recording":
            return
        recording = self._stop_recorder()
        self._set_phase("idle")
        if recording is None or recording.duration_s < MIN_RECORDING_S:
            self.speech.show(
                "Nothing was recorded.", f"ctrl+r tries again, or {OTHER_WAYS}", tone="warning"
            )
            return
        self.take = Take("spoken", recording.duration_s)  # a transcript may never come
        keep_at = self.services.drafts.recording_path(self.question.id)
        self._transcribe(recording, "spoken", keep_at=keep_at, transcribe=transcribe)

    def action_stop_speech(self) -> None:
        """escape: stop recording (keeping the audio), cancel a transcription, stop the clock."""
        if self.phase == "opening":
            self.recorder = None  # its RecordingStarted will find it was stopped
            self._set_phase("idle")
            self.speech.hide()
        elif self.phase == "recording":
            self.action_stop_recording(transcribe=False)
        elif self.phase == "transcribing":
            if self._cancel is not None:
                self._cancel.set()
            self.speech.show("Cancelling the transcription…", tone="warning", progress=True)
        elif self.phase == "self-timed":
            self.action_stop_self_timed()

    def _rescue_speech(self) -> None:
        """The screen is going away (home, quit, a signal): keep a recording in progress."""
        if self._cancel is not None:
            self._cancel.set()
        if self.phase != "recording":
            return
        recording = self._stop_recorder(show=False)  # the widgets are gone already
        self.phase = "idle"
        if recording is None or recording.duration_s < MIN_RECORDING_S:
            return
        path = self.services.drafts.recording_path(self.question.id)
        try:
            self.kept_recording = keep_recording(recording, path)
        except OSError:
            return
        self.take = Take("spoken", recording.duration_s)
        staged = self.services.drafts.load(self.question.id)  # the text as last staged
        self.stage_draft(staged.text if staged is not None else self.draft_text)

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
            transcript = self.transcribe_audio(
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

    # ------------------------------------------------------------------ self-timed

    def action_self_timed(self) -> None:
        """ctrl+g: the clock runs while the candidate answers aloud; then they type it."""
        if self.phase != "idle":
            return
        self._set_phase("self-timed")
        self.take = None
        self._use_stopwatch(Stopwatch(self.services.clock), "self-timed")
        self.timer.start()
        self.speech.show(
            "Self-timed: answer aloud now; the clock is running.",
            "ctrl+g stops the clock; then paste or type what you said.",
            tone="active",
        )

    def action_stop_self_timed(self) -> None:
        if self.phase != "self-timed":
            return
        self.timer.pause()
        self._set_phase("idle")
        seconds = self.stopwatch.elapsed()
        self.take = Take("self-timed", seconds)
        self.speech.show(
            f"Self-timed: you spoke for {clock(seconds)}.",
            "Paste or type what you said, then ctrl+s scores it with your pace and fillers.",
        )
        self.editor.focus()
        self.stage_draft()
        self._save_draft()

    # ------------------------------------------------------------------ audio file

    def action_transcribe_kept(self) -> None:
        """Transcribe the recording kept beside the draft (after a failure or a restart)."""
        kept = self.kept_recording
        if self.phase == "idle" and kept is not None and kept.is_file():
            self._transcribe(kept, "spoken")

    def action_audio_file(self) -> None:
        """ctrl+o: transcribe an audio file (or the kept recording) into the editor."""
        if self.phase not in ("idle",):
            self.notify("Finish or stop what is running first (escape).", title="Audio file")
            return
        kept = self.kept_recording
        offer = kept if kept is not None and kept.is_file() else None

        def chosen(path: Path | None) -> None:
            if path is None or self.phase != "idle":
                return
            mode: TakeMode = "spoken" if offer is not None and path == offer else "file"
            self._transcribe(path, mode)

        self.app.push_screen(AudioFileScreen(str(offer) if offer else "", offer), chosen)
