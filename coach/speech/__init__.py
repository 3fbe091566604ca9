"""Offline speech: transcription with faster-whisper and delivery metrics.

- `transcribe(path_or_samples, progress=..., cancel=...)` -> `Transcript` (words with times)
- `analyze(transcript, fillers=pack.rubric.language.fillers, target_seconds=q.target_seconds)`
  -> `Delivery` (words per minute, fillers, long pauses, time against the target)
- `analyze_text(typed_text, elapsed_s, ...)` -> `Delivery` for self-timed mode (no audio, so
  pauses are not measured: `from_audio` is False)
- `Delivery.from_dict(saved)` reads back `Delivery.to_dict()` (older records too)
- `Recorder` records the microphone (`start`, `level`, `elapsed_s`, `stop`, `cancel`)
- `load_model()` warms the Whisper model up (about 1 s) before the first transcription

Every failure is a `SpeechError` subclass whose message is one line for the user. Importing this
package is cheap: faster-whisper, PyAV and sounddevice are imported when first needed.
"""

from coach.speech.audio import SAMPLE_RATE, decode
from coach.speech.delivery import (
    DEFAULT_FILLERS,
    Delivery,
    Note,
    Pause,
    analyze,
    analyze_text,
)
from coach.speech.errors import (
    NO_MICROPHONE,
    AudioFileError,
    ModelUnavailable,
    NoMicrophone,
    NoSpeech,
    RecorderError,
    SpeechError,
    TranscriptionCancelled,
)
from coach.speech.recorder import Recorder, Recording, microphone_available
from coach.speech.spoken_words import Filler
from coach.speech.transcriber import load_model, transcribe
from coach.speech.transcript import Line, Transcript, Word

__all__ = [
    "DEFAULT_FILLERS",
    "NO_MICROPHONE",
    "SAMPLE_RATE",
    "AudioFileError",
    "Delivery",
    "Filler",
    "Line",
    "Note",
    "ModelUnavailable",
    "NoMicrophone",
    "NoSpeech",
    "Pause",
    "Recorder",
    "RecorderError",
    "Recording",
    "SpeechError",
    "Transcript",
    "TranscriptionCancelled",
    "Word",
    "analyze",
    "analyze_text",
    "decode",
    "load_model",
    "microphone_available",
    "transcribe",
]
