"""Spoken answers as the answer screen uses them: the microphone, a take, the kept recording.

Plain Python (no Textual): the answer screen runs these from thread workers.

- `Voice` is what the app needs to record (swappable in `Services`: tests hand it a stand-in
  input stream that plays real espeak-ng audio through the `Recorder`).
- A `Take` is one spoken answer: from the microphone ("spoken"), an audio file ("file") or said
  aloud against the self-timed clock ("self-timed", no audio). It knows its `Delivery`.
- `keep_recording` writes a recording beside the question's draft, atomically, so nothing said is
  lost when transcription fails or the app is killed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coach.speech import (
    Delivery,
    Recorder,
    Recording,
    Transcript,
    Word,
    analyze,
    analyze_text,
    microphone_available,
)
from coach.speech.recorder import MAX_SECONDS, LevelCallback, StreamFactory
from coach.tui.drafts import private_dir

TakeMode = Literal["spoken", "file", "self-timed"]
StoreMode = Literal["typed", "spoken", "file"]
TAKE_MODES: tuple[TakeMode, ...] = ("spoken", "file", "self-timed")


@dataclass
class Voice:
    """The microphone: whether there is one, and a `Recorder` for it.

    `stream_factory` replaces PortAudio's input stream (tests); `microphone` answers whether to
    try recording at all (it is asked in a worker: PortAudio can take a moment to start).
    """

    microphone: Callable[[], bool] = microphone_available
    stream_factory: StreamFactory | None = None
    max_seconds: float = MAX_SECONDS

    def recorder(self, on_level: LevelCallback | None = None) -> Recorder:
        return Recorder(
            on_level=on_level, stream_factory=self.stream_factory, max_seconds=self.max_seconds
        )


@dataclass(frozen=True)
class Take:
    """One spoken answer.

    `seconds` is its length on the answer timer (the recording, the file, or the self-timed
    clock); `transcript` holds Whisper's words with their times (None when self-timed, or when a
    recording is not transcribed yet); `recording` is the WAV file kept beside the draft.
    """

    mode: TakeMode
    seconds: float
    transcript: Transcript | None = None
    recording: Path | None = None
    source: str = ""  # the audio file's path, for "file"

    @property
    def store_mode(self) -> StoreMode:
        """The attempt's mode in the practice store."""
        return "file" if self.mode == "file" else "spoken"

    @property
    def timed_only(self) -> bool:
        """True when the delivery comes from the clock and the typed words (no word times)."""
        return self.transcript is None

    @property
    def label(self) -> str:
        """Where the delivery figures come from, for people."""
        if self.mode == "file":
            return Path(self.source).name if self.source else "the audio file"
        if self.transcript is None:
            return "self-timed" if self.mode == "self-timed" else "recording, timed only"
        return "your recording"

    def delivery(
        self, text: str, fillers: Sequence[str] | None, target_seconds: int | None
    ) -> Delivery | None:
        """The delivery of this take: from the words' times when transcribed, else from the
        answer's text spread over `seconds` (pace, fillers and time; no pauses)."""
        if self.transcript is not None and self.transcript.words:
            return analyze(self.transcript, fillers, target_seconds)
        if self.seconds > 0 and text.split():
            return analyze_text(text, self.seconds, fillers, target_seconds)
        return None

    # ------------------------------------------------------------------ kept in the draft

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "mode": self.mode,
            "seconds": round(self.seconds, 3),
            "source": self.source,
            "recording": str(self.recording) if self.recording else None,
            "transcript": None,
        }
        if self.transcript is not None:
            t = self.transcript
            data["transcript"] = {
                "source": t.source,
                "duration_s": round(t.duration_s, 3),
                "words": [
                    [w.text, round(w.start, 3), round(w.end, 3), round(w.probability, 3)]
                    for w in t.words
                ],
            }
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Take | None:
        """A take kept in a draft; None for anything missing or malformed."""
        if not isinstance(data, Mapping) or data.get("mode") not in TAKE_MODES:
            return None
        try:
            transcript = None
            raw = data.get("transcript")
            if isinstance(raw, Mapping):
                words = tuple(
                    Word(str(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in raw["words"]
                )
                transcript = Transcript(
                    source=str(raw.get("source", "")),
                    text=" ".join(w.text for w in words),
                    words=words,
                    duration_s=float(raw.get("duration_s", 0.0)),
                    elapsed_s=0.0,
                )
            recording = data.get("recording")
            return cls(
                mode=data["mode"],
                seconds=max(0.0, float(data.get("seconds", 0.0))),
                transcript=transcript,
                recording=Path(recording) if recording else None,
                source=str(data.get("source") or ""),
            )
        except (KeyError, IndexError, TypeError, ValueError):
            return None


def take_of(transcript: Transcript, mode: TakeMode, **extra: Any) -> Take:
    """A transcribed take; its length is the audio's."""
    return Take(mode, transcript.duration_s, transcript, **extra)


def keep_recording(recording: Recording, path: Path) -> Path:
    """Write the recording to `path` as a WAV file, atomically (a temporary file renamed).

    The folder is made the owner's only, like the drafts beside it; mkstemp makes the file 0600.
    """
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".wav.tmp", dir=path.parent)
    os.close(fd)
    try:
        recording.save_wav(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
