"""The microphone recorder: no device gives one clear line; audio blocks become a Recording.

A machine without a microphone (CI) cannot record, so the block-by-block path is driven by a
stand-in input stream that plays a real espeak-ng clip through the recorder's callback, in
blocks, from another thread - the way PortAudio calls it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coach.speech import (
    NO_MICROPHONE,
    NoMicrophone,
    Recorder,
    RecorderError,
    decode,
    microphone_available,
    transcribe,
)
from coach.speech.audio import SAMPLE_RATE

from .helpers import FIRST_HALF, wer

Say = Callable[..., Path]


def test_no_microphone_is_one_clear_line() -> None:
    if microphone_available():
        pytest.skip("this machine has a microphone")
    with pytest.raises(NoMicrophone) as raised:
        Recorder().start()
    assert str(raised.value) == NO_MICROPHONE
    assert str(raised.value) == "no microphone found; type your answer or use self-timed mode instead"


class PlayedStream:
    """An input stream that 'hears' the given samples, block by block, on its own thread."""

    def __init__(self, samples: np.ndarray[Any, Any], callback: Any, block: int = 1024) -> None:
        self.samples, self.callback, self.block = samples, callback, block
        self.thread: threading.Thread | None = None
        self.stopped = threading.Event()
        self.closed = False

    def start(self) -> None:
        self.thread = threading.Thread(target=self._play)
        self.thread.start()

    def _play(self) -> None:
        for at in range(0, self.samples.size, self.block):
            if self.stopped.is_set():
                return
            chunk = self.samples[at : at + self.block].reshape(-1, 1)
            self.callback(chunk, len(chunk), None, None)

    def finish(self) -> None:
        if self.thread:
            self.thread.join()

    def stop(self) -> None:
        self.stopped.set()
        self.finish()

    def close(self) -> None:
        self.closed = True


def playing(samples: np.ndarray[Any, Any]) -> tuple[Callable[..., PlayedStream], list[PlayedStream]]:
    made: list[PlayedStream] = []

    def factory(rate: int, device: Any, callback: Any) -> PlayedStream:
        assert rate == SAMPLE_RATE
        made.append(PlayedStream(samples, callback))
        return made[-1]

    return factory, made


def test_recording_a_spoken_answer(say: Say, whisper: object) -> None:
    samples = decode(say(FIRST_HALF, "first.wav"))
    levels: list[float] = []
    factory, streams = playing(samples)
    recorder = Recorder(on_level=levels.append, stream_factory=factory)
    recorder.start()
    assert recorder.recording
    streams[0].finish()  # let the whole clip play
    assert recorder.elapsed_s == pytest.approx(samples.size / SAMPLE_RATE, abs=0.01)
    recording = recorder.stop()
    assert not recorder.recording and streams[0].closed
    assert recording.duration_s == pytest.approx(samples.size / SAMPLE_RATE, abs=0.01)
    assert max(levels) > 0.5 and all(0.0 <= x <= 1.0 for x in levels)
    assert recorder.level == 0.0
    transcript = transcribe(recording.samples_16k())
    assert wer(FIRST_HALF, transcript.text) < 0.25


def test_recording_saves_a_wav_that_transcribes(say: Say, speech_dir: Path) -> None:
    samples = decode(say(FIRST_HALF, "first.wav"))
    factory, streams = playing(samples)
    recorder = Recorder(stream_factory=factory)
    recorder.start()
    streams[0].finish()
    path = recorder.stop().save_wav(speech_dir / "recorded.wav")
    assert decode(path).size == pytest.approx(samples.size, abs=2)


def test_recording_stops_taking_audio_at_the_limit() -> None:
    tone = (0.3 * np.sin(np.arange(SAMPLE_RATE * 3) / 5)).astype(np.float32)
    factory, streams = playing(tone)
    recorder = Recorder(stream_factory=factory, max_seconds=1.0)
    recorder.start()
    streams[0].finish()
    assert recorder.limit_reached
    assert recorder.stop().duration_s == pytest.approx(1.0)


def test_cancel_discards_and_stop_needs_start() -> None:
    tone = (0.3 * np.sin(np.arange(SAMPLE_RATE) / 5)).astype(np.float32)
    factory, streams = playing(tone)
    recorder = Recorder(stream_factory=factory)
    recorder.start()
    with pytest.raises(RecorderError):
        recorder.start()
    recorder.cancel()
    assert not recorder.recording and recorder.elapsed_s == 0.0
    with pytest.raises(RecorderError):
        recorder.stop()
    recorder.cancel()  # harmless twice
