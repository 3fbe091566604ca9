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
on `AnswerScreen`, beside the typing ones, so the footer keeps their order. Every flow ends in a
transcription: that job, its worker and the state the flows share are in `TranscribingScreen`
(`speech_transcription`), the base class of `SpeakingScreen`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from textual import work
from textual.app import SystemCommand
from textual.timer import Timer

from coach.clock import clock
from coach.speech import (
    NoMicrophone,
    Recorder,
    Recording,
    SpeechError,
)
from coach.tui.drafts import Draft
from coach.tui.screens.audio_file import AudioFileScreen
from coach.tui.screens.speech_transcription import TranscribingScreen, has_words
from coach.tui.stopwatch import Stopwatch
from coach.tui.voice import Take, TakeMode, keep_recording
from coach.tui.voice_messages import RecordingRefused, RecordingStarted

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


class SpeakingScreen(TranscribingScreen):
    """Recording, self-timed answers and audio files, for `AnswerScreen` to build on."""

    def __init__(self, draft: Draft | None) -> None:
        super().__init__(draft)
        self.recorder: Recorder | None = None
        self._heard = 0.0  # the loudest level since the meter last looked (audio thread)
        self._level_timer: Timer | None = None
        self._recording_stopwatch: Stopwatch | None = None  # runs on the recorded audio

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
