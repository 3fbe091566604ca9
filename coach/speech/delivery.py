"""Delivery metrics from word timestamps: pace, fillers, long pauses, time against the target.

Pure functions over a `Transcript` (no audio, no model), so the TUI can recompute them cheaply.

- Pace is words per minute over the time spent speaking (first word to last, long pauses left
  out: they are reported on their own). Numerals count as the words said: "2.4" is "two point
  four". Below 110 or above 180 is flagged; 120-160 is the aim.
- Fillers come from the rubric's `language.fillers` (default: um, uh, like, you know, sort of,
  basically). "like", "you know", "sort of", "kind of" and "I mean" are also ordinary words, so
  they count only where they work as fillers ("I'd like to" and "what kind of partner" do not;
  `spoken_words` tells them apart).
  Above 5 per minute is flagged.
- A long pause is a silence over 2 s between two words; it is reported with where it falls.
  A typed answer timed on a clock (`analyze_text`) has no audio: its pauses are not measured
  (`from_audio` is False) and no note claims anything about them.

`Delivery.from_dict` reads back `to_dict()` (as the practice store keeps it), missing keys of
older records taking neutral defaults.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from coach.clock import clock
from coach.speech.spoken_words import Filler, find_fillers, spoken_word_count
from coach.speech.transcript import Transcript, Word

DEFAULT_FILLERS: tuple[str, ...] = ("um", "uh", "like", "you know", "sort of", "basically")
WPM_SLOW, WPM_FAST = 110.0, 180.0
WPM_AIM = (120.0, 160.0)
FILLERS_PER_MIN_MAX = 5.0
LONG_PAUSE_S = 2.0
TARGET_LONG, TARGET_SHORT = 1.25, 0.5  # spoken time over / under these shares of the target

Pace = Literal["too slow", "a bit slow", "good", "a bit fast", "too fast"]
TimeVerdict = Literal["short", "ok", "long"]
Metric = Literal["pace", "fillers", "pauses", "time"]


@dataclass(frozen=True)
class Pause:
    t: float  # where the silence starts, in seconds from the start of the audio
    length_s: float
    after: str  # the word said just before it

    def to_dict(self) -> dict[str, Any]:
        return {"t": round(self.t, 2), "length_s": round(self.length_s, 2), "after": self.after}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pause:
        return cls(
            float(data.get("t") or 0.0),
            float(data.get("length_s") or 0.0),
            str(data.get("after") or ""),
        )


@dataclass(frozen=True)
class Note:
    """One line of feedback on a metric; `advice` is True when it asks for a change."""

    metric: Metric
    text: str
    advice: bool

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "text": self.text, "advice": self.advice}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Note | None:
        metric = data.get("metric")
        if metric not in get_args(Metric):
            return None
        return cls(cast(Metric, metric), str(data.get("text", "")), bool(data.get("advice")))


@dataclass(frozen=True)
class Delivery:
    duration_s: float  # length of the audio
    speaking_s: float  # first word to last word, pauses included
    word_count: int  # words said (numerals expanded)
    wpm: float
    pace: Pace
    fillers: tuple[Filler, ...]
    filler_per_min: float
    pauses: tuple[Pause, ...]
    target_seconds: int | None
    time_verdict: TimeVerdict | None
    notes: tuple[Note, ...]  # one line per metric, for people
    from_audio: bool = True  # False: a typed answer spread over a clock (pauses not measured)

    @property
    def pace_flagged(self) -> bool:
        return self.pace in ("too slow", "too fast")

    @property
    def fillers_flagged(self) -> bool:
        return self.filler_per_min > FILLERS_PER_MIN_MAX

    def filler_counts(self) -> list[tuple[str, int]]:
        return Counter(f.word for f in self.fillers).most_common()

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 2),
            "speaking_s": round(self.speaking_s, 2),
            "word_count": self.word_count,
            "wpm": round(self.wpm, 1),
            "pace": self.pace,
            "pace_flagged": self.pace_flagged,
            "fillers": [f.to_dict() for f in self.fillers],
            "filler_per_min": round(self.filler_per_min, 2),
            "fillers_flagged": self.fillers_flagged,
            "pauses": [p.to_dict() for p in self.pauses],
            "target_seconds": self.target_seconds,
            "time_verdict": self.time_verdict,
            "notes": [n.to_dict() for n in self.notes],
            "from_audio": self.from_audio,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Delivery:
        """The delivery a `to_dict()` came from. Keys missing from older records take neutral
        defaults (0, no fillers or pauses, no target, measured from audio); a value of the wrong
        type raises ValueError or TypeError."""
        duration = float(data.get("duration_s") or 0.0)
        wpm = float(data.get("wpm") or 0.0)
        target = data.get("target_seconds")
        verdict = data.get("time_verdict")
        notes = (Note.from_dict(n) for n in _mappings(data.get("notes")))
        return cls(
            duration_s=duration,
            speaking_s=float(data.get("speaking_s", duration) or 0.0),
            word_count=int(data.get("word_count") or 0),
            wpm=wpm,
            pace=data["pace"] if data.get("pace") in get_args(Pace) else pace_of(wpm),
            fillers=tuple(Filler.from_dict(f) for f in _mappings(data.get("fillers"))),
            filler_per_min=float(data.get("filler_per_min") or 0.0),
            pauses=tuple(Pause.from_dict(p) for p in _mappings(data.get("pauses"))),
            target_seconds=int(target) if target is not None else None,
            time_verdict=verdict if verdict in get_args(TimeVerdict) else None,
            notes=tuple(n for n in notes if n is not None),
            from_audio=bool(data.get("from_audio", True)),
        )


def _mappings(items: Any) -> list[Mapping[str, Any]]:
    return [item for item in items or () if isinstance(item, Mapping)]


def analyze(
    transcript: Transcript,
    fillers: Sequence[str] | None = None,
    target_seconds: int | None = None,
) -> Delivery:
    """Delivery metrics of a transcript; `fillers` as in the rubric's `language.fillers`."""
    return _analyze(transcript, fillers, target_seconds, from_audio=True)


def _analyze(
    transcript: Transcript,
    fillers: Sequence[str] | None,
    target_seconds: int | None,
    *,
    from_audio: bool,
) -> Delivery:
    words = transcript.words
    speaking = max(0.0, transcript.speech_end - transcript.speech_start)
    pauses = find_pauses(words) if from_audio else []
    active = max(speaking - sum(p.length_s for p in pauses), 1.0)
    count = sum(spoken_word_count(w.text) for w in words)
    wpm = 60.0 * count / active if words else 0.0
    found = find_fillers(words, DEFAULT_FILLERS if fillers is None else fillers)
    per_min = 60.0 * len(found) / max(speaking, 1.0) if words else 0.0
    verdict = time_verdict(speaking, target_seconds)
    pace = pace_of(wpm)
    notes = _notes(
        wpm, pace, found, per_min, pauses if from_audio else None, speaking, target_seconds, verdict
    )
    return Delivery(
        duration_s=transcript.duration_s,
        speaking_s=speaking,
        word_count=count,
        wpm=wpm,
        pace=pace,
        fillers=tuple(found),
        filler_per_min=per_min,
        pauses=tuple(pauses),
        target_seconds=target_seconds,
        time_verdict=verdict,
        notes=tuple(notes),
        from_audio=from_audio,
    )


def analyze_text(
    text: str,
    elapsed_s: float,
    fillers: Sequence[str] | None = None,
    target_seconds: int | None = None,
) -> Delivery:
    """Delivery of a typed transcript said aloud in `elapsed_s` (the TUI's self-timed mode).

    Without audio the words are spread evenly over the time: pace, filler rate and time against
    the target are right, filler times are estimates, and pauses cannot be found (`from_audio`
    is False, and the notes say pauses were not measured).
    """
    tokens = text.split()
    step = elapsed_s / len(tokens) if tokens else 0.0
    words = tuple(Word(tok, i * step, (i + 1) * step, 1.0) for i, tok in enumerate(tokens))
    transcript = Transcript("typed", " ".join(tokens), words, elapsed_s, 0.0)
    return _analyze(transcript, fillers, target_seconds, from_audio=False)


def pace_of(wpm: float) -> Pace:
    if wpm < WPM_SLOW:
        return "too slow"
    if wpm > WPM_FAST:
        return "too fast"
    if wpm < WPM_AIM[0]:
        return "a bit slow"
    if wpm > WPM_AIM[1]:
        return "a bit fast"
    return "good"


def time_verdict(speaking_s: float, target_seconds: int | None) -> TimeVerdict | None:
    if not target_seconds:
        return None
    if speaking_s > TARGET_LONG * target_seconds:
        return "long"
    if speaking_s < TARGET_SHORT * target_seconds:
        return "short"
    return "ok"


def find_pauses(words: Sequence[Word], min_length: float = LONG_PAUSE_S) -> list[Pause]:
    """Silences longer than `min_length` between consecutive words."""
    pauses = []
    for before, after in zip(words, words[1:], strict=False):
        gap = after.start - before.end
        if gap > min_length:
            pauses.append(Pause(before.end, gap, before.text))
    return pauses


# ------------------------------------------------------------------ notes




def _notes(
    wpm: float,
    pace: Pace,
    fillers: list[Filler],
    per_min: float,
    pauses: list[Pause] | None,  # None: not measured (no audio)
    speaking: float,
    target: int | None,
    verdict: TimeVerdict | None,
) -> list[Note]:
    aim = f"{WPM_AIM[0]:.0f}-{WPM_AIM[1]:.0f}"
    pace_note = {
        "too slow": f"too slow; aim for {aim} so the story keeps its energy",
        "a bit slow": f"a little slow; aim for {aim}",
        "good": f"good (aim {aim})",
        "a bit fast": f"a little fast; aim for {aim}",
        "too fast": f"too fast; slow down to {aim} so your numbers land",
    }[pace]
    notes = [Note("pace", f"Pace {wpm:.0f} words/min: {pace_note}.", pace != "good")]
    if fillers:
        counts = ", ".join(f"{w} x{n}" for w, n in Counter(f.word for f in fillers).most_common())
        verdict_text = (
            "too many; pause silently instead"
            if per_min > FILLERS_PER_MIN_MAX
            else f"fine (keep under {FILLERS_PER_MIN_MAX:.0f}/min)"
        )
        text = f"Fillers {per_min:.1f}/min ({counts}): {verdict_text}."
        notes.append(Note("fillers", text, per_min > FILLERS_PER_MIN_MAX))
    else:
        notes.append(Note("fillers", "Fillers: none heard.", False))
    if pauses is None:
        notes.append(Note("pauses", "Pauses not measured (no audio).", False))
    elif pauses:
        where = "; ".join(f"{p.length_s:.1f} s at {clock(p.t)} after \"{p.after}\"" for p in pauses)
        text = f"Long pauses (over {LONG_PAUSE_S:.0f} s): {where}; bridge with a short summary."
        notes.append(Note("pauses", text, True))
    else:
        notes.append(Note("pauses", f"No pauses over {LONG_PAUSE_S:.0f} s.", False))
    if target:
        timing = {
            "long": "too long; trim the situation and land the result sooner",
            "short": "short; add the actions and the numbers behind the result",
            "ok": "about right",
        }[verdict or "ok"]
        text = f"Time {clock(speaking)} against a {clock(target)} target: {timing}."
        notes.append(Note("time", text, verdict != "ok"))
    else:
        notes.append(Note("time", f"Time {clock(speaking)} of speech.", False))
    return notes
