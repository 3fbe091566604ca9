"""Real speech for the TUI's spoken-answer tests: texts, a stand-in microphone, a canned take.

The stand-in input stream "hears" a real espeak-ng clip: it calls the recorder's callback block
by block from its own thread, the way PortAudio does, and can hold back the rest of the clip
until the test lets it go (so a test can look at the level meter mid-answer). Its events give
the test a known order: `started` (the recorder opened it), `held` (every block up to `hold_at`
was delivered), `done` (every block was delivered, or it was stopped), `stopped` (the recorder
closed it).

`HeldTranscription` holds the app's transcription worker at its start until the test releases
it: Whisper can finish a short clip in less time than Pilot waits after a key press, so a test
that looks at "transcribing", or presses escape to cancel, would otherwise race the model.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import coach.tui.screens.speech_transcription as speech_transcription
from coach.speech import Transcript, Word
from coach.speech.audio import SAMPLE_RATE
from coach.tui.voice import Voice

# About 20 seconds of a spoken answer to question 10, with fillers set off as people say them.
SPOKEN = (
    "Um, at my last company I led business development for the mid market team. "
    "I met the finance director of a regional retailer at an industry dinner. "
    "Uh, I sent her a benchmark report before I asked for anything. "
    "I followed up within two days and introduced her to our product team. "
    "As a result we closed a deal worth four hundred thousand dollars."
)
SHORT = "I built a referral network with partner firms across the region."

Samples = npt.NDArray[np.float32]


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


def norm_words(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower().replace("-", " ")).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: (substitutions + deletions + insertions) / reference words."""
    ref, hyp = norm_words(reference), norm_words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))


class PlayedStream:
    """An input stream that plays `samples` through the recorder's callback on its own thread;
    with `hold_at` (seconds) it stops there until `resume()`."""

    def __init__(
        self, samples: Samples, callback: Any, hold_at: float | None, block: int = 1024
    ) -> None:
        self.samples, self.callback, self.block = samples, callback, block
        self.hold_at = None if hold_at is None else int(hold_at * SAMPLE_RATE)
        self.started = threading.Event()  # set when the recorder started the stream
        self.held = threading.Event()  # set when the stream reached `hold_at`
        self.go_on = threading.Event()
        self.done = threading.Event()  # set when every sample was played (or it was stopped)
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self.closed = False

    def start(self) -> None:
        self.started.set()
        self.thread = threading.Thread(target=self._play, daemon=True)
        self.thread.start()

    def _play(self) -> None:
        try:
            for at in range(0, self.samples.size, self.block):
                if self.hold_at is not None and at >= self.hold_at and not self.go_on.is_set():
                    self.held.set()
                    while not self.go_on.wait(0.05):
                        if self.stopped.is_set():
                            return
                if self.stopped.is_set():
                    return
                chunk = self.samples[at : at + self.block].reshape(-1, 1)
                self.callback(chunk, len(chunk), None, None)
        finally:
            self.held.set()
            self.done.set()

    def resume(self) -> None:
        self.go_on.set()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def close(self) -> None:
        self.closed = True


class StandInMicrophone:
    """`Voice` for the app: a microphone that is there and hears `samples`."""

    def __init__(self, samples: Samples, hold_at: float | None = None) -> None:
        self.samples = samples
        self.hold_at = hold_at
        self.streams: list[PlayedStream] = []

    def factory(self, rate: int, device: Any, callback: Any) -> PlayedStream:
        assert rate == SAMPLE_RATE
        self.streams.append(PlayedStream(self.samples, callback, self.hold_at))
        return self.streams[-1]

    @property
    def stream(self) -> PlayedStream:
        return self.streams[-1]

    def voice(self) -> Voice:
        return Voice(microphone=lambda: True, stream_factory=self.factory)


class HeldTranscription:
    """The answer screen's `transcribe`, held until `release()`: `entered` is set once the worker
    has the audio and waits. A cancel set while it waits is seen as soon as it runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, timeout: float = 60) -> None:
        self.entered = threading.Event()
        self.go = threading.Event()
        real = speech_transcription.transcribe

        def held(audio: Any, **options: Any) -> Transcript:
            self.entered.set()
            if not self.go.wait(timeout):
                raise AssertionError("the test never released the transcription")
            return real(audio, **options)

        monkeypatch.setattr(speech_transcription, "transcribe", held)

    def release(self) -> None:
        self.go.set()


# ------------------------------------------------------------------ a canned take (snapshots)

CANNED_SPEECH = [
    # (text, seconds of silence before it)
    ("Um, in 2022 I joined a fintech startup with no pipeline among mid-market CFOs.", 0.6),
    ("My task was to source qualified deals from networking within two quarters.", 0.4),
    ("I hosted a monthly roundtable for twelve finance leaders.", 2.8),
    ("Uh, I shared a benchmark report before asking for anything.", 0.5),
    ("As a result we sourced $1.2M in pipeline and closed three deals worth $400k.", 0.4),
]
WORD_S = 0.42  # about 143 words a minute


def canned_transcript() -> Transcript:
    """A fixed transcript with word times: fillers, one long pause, about 140 words a minute."""
    words: list[Word] = []
    t = 0.0
    for sentence, gap in CANNED_SPEECH:
        t += gap
        for token in sentence.split():
            words.append(Word(token, round(t, 2), round(t + WORD_S - 0.05, 2), 0.9))
            t += WORD_S
    text = " ".join(w.text for w in words)
    return Transcript("canned.wav", text, tuple(words), round(t + 0.5, 2), 0.0)


def one_line(render: Callable[[], object]) -> str:
    return " ".join(str(render()).split())
