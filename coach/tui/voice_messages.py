"""Messages the answer screen's speech workers post (kept apart from `messages.py`, which the
rest of the app shares). `job` ties a message to one recording or transcription, so the reports
of a cancelled or replaced one are ignored."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from coach.speech import Recorder
from coach.tui.messages import message
from coach.tui.voice import Take


@message
class RecordingStarted(Message):
    """The microphone is open and recording."""

    recorder: Recorder


@message
class RecordingRefused(Message):
    """Recording cannot start; `reason` is one line (no microphone, device busy...)."""

    reason: str
    no_microphone: bool


@message
class RecordingKept(Message):
    """The recording was written beside the draft (`path`), or could not be (`error`)."""

    job: int
    path: Path | None
    error: str = ""


@message
class TranscriptionProgress(Message):
    job: int
    fraction: float


@message
class Transcribed(Message):
    """The transcript is ready, as a take that knows its delivery."""

    job: int
    take: Take


@message
class TranscriptionFailed(Message):
    """No transcript: `reason` is one line; `cancelled` when the user stopped it."""

    job: int
    reason: str
    cancelled: bool = False
