"""A transcript: what was said, word by word with times. Plain data, cheap to import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
