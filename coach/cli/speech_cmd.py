"""`coach transcribe FILE`: a spoken answer to text with timestamps, plus delivery metrics.

Also the helpers `coach score --audio FILE` uses: `transcribe_answer` and `render_delivery`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from coach.cli.common import UsageError, add_content_option, fail, load_content
from coach.clock import clock
from coach.content import ContentPack, Question
from coach.speech import (
    Delivery,
    ModelUnavailable,
    SpeechError,
    Transcript,
    analyze,
    transcribe,
)
from coach.speech.delivery import LONG_PAUSE_S, WPM_AIM


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "transcribe",
        help="transcribe a spoken answer offline (wav, mp3, m4a, ogg)",
        description="Transcribe an audio file offline and print the transcript with timestamps, "
        "then the delivery: pace, fillers, long pauses and speaking time.",
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="audio file: wav, mp3, m4a, ogg")
    parser.add_argument("-q", "--question", metavar="Q", help="compare with this question's target")
    parser.add_argument("--words", action="store_true", help="print every word with its time")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_content_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    pack = load_content(args)
    question = _find(pack, args.question) if args.question else None
    spoken = transcribe_answer(args.file, pack, question)
    if args.json:
        payload = {**spoken.transcript.to_dict(), "delivery": spoken.delivery.to_dict()}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(render_transcript(spoken.transcript, words=args.words))
    print()
    print(render_delivery(spoken.delivery))
    return 0


def _find(pack: ContentPack, ref: str) -> Question:
    try:
        return pack.find_question(ref)
    except KeyError as exc:
        raise UsageError(f"-q/--question {ref}: {exc.args[0]}") from None


@dataclass(frozen=True)
class SpokenAnswer:
    transcript: Transcript
    delivery: Delivery

    def score_extras(self) -> dict[str, Any]:
        """The keys `coach score --audio --json` adds to the score."""
        delivery = self.delivery.to_dict()
        return {
            "transcript": self.transcript.text,
            "duration_s": delivery["duration_s"],
            "wpm": delivery["wpm"],
            "fillers": delivery["fillers"],
            "filler_per_min": delivery["filler_per_min"],
            "pauses": delivery["pauses"],
            "delivery": delivery,
        }


def transcribe_answer(path: Path, pack: ContentPack, question: Question | None) -> SpokenAnswer:
    """Transcribe `path` and measure its delivery; bad audio is a one-line UsageError."""
    rubric = pack.rubric_for(question.id) if question else pack.rubric
    status = Status(path.name)
    try:
        transcript = transcribe(path, progress=status.update)
    except ModelUnavailable as exc:
        status.close()
        fail(str(exc), code=1)  # an installation problem, not bad input
    except SpeechError as exc:
        status.close()
        raise UsageError(str(exc)) from None
    status.close()
    delivery = analyze(
        transcript,
        fillers=rubric.language.fillers,
        target_seconds=question.target_seconds if question else None,
    )
    return SpokenAnswer(transcript, delivery)


class Status:
    """`transcribing a.wav 40%` on stderr, only when it is a terminal."""

    def __init__(self, name: str, stream: TextIO = sys.stderr) -> None:
        self.name = name
        self.stream = stream
        self.live = stream.isatty()
        self.shown = False

    def update(self, fraction: float) -> None:
        if self.live:
            self.stream.write(f"\rtranscribing {self.name} {100 * fraction:3.0f}%")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def render_transcript(transcript: Transcript, words: bool = False) -> str:
    lines = [
        f"{transcript.source}: {clock(transcript.duration_s)} of audio, "
        f"transcribed in {transcript.elapsed_s:.1f} s",
        "",
    ]
    if words:
        lines += [f"[{_stamp(w.start)} - {_stamp(w.end)}] {w.text}" for w in transcript.words]
    else:
        lines += [f"[{_stamp(line.start)}] {line.text}" for line in transcript.lines()]
    return "\n".join(lines)


def render_delivery(delivery: Delivery) -> str:
    """The short delivery section printed under a score or a transcript."""
    aim = f"{WPM_AIM[0]:.0f}-{WPM_AIM[1]:.0f}"
    mark = {True: "!", False: "+"}
    lines = ["Delivery"]
    pace_mark = "!" if delivery.pace_flagged else ("~" if delivery.pace != "good" else "+")
    lines.append(
        f"  {pace_mark} pace     {delivery.wpm:.0f} words/min, {delivery.pace} (aim {aim})"
    )
    counts = ", ".join(f"{word} x{n}" for word, n in delivery.filler_counts()) or "none"
    lines.append(
        f"  {mark[delivery.fillers_flagged]} fillers  {delivery.filler_per_min:.1f}/min ({counts})"
    )
    if not delivery.from_audio:
        lines.append("    pauses   not measured (no audio)")
    elif delivery.pauses:
        where = ", ".join(
            f'{p.length_s:.1f} s at {clock(p.t)} after "{p.after}"' for p in delivery.pauses
        )
        lines.append(f"  ! pauses   {len(delivery.pauses)} over {LONG_PAUSE_S:.0f} s: {where}")
    else:
        lines.append(f"  + pauses   none over {LONG_PAUSE_S:.0f} s")
    if delivery.target_seconds:
        flagged = delivery.time_verdict != "ok"
        lines.append(
            f"  {mark[flagged]} time     {clock(delivery.speaking_s)} spoken against a "
            f"{clock(delivery.target_seconds)} target ({delivery.time_verdict})"
        )
    else:
        lines.append(f"    time     {clock(delivery.speaking_s)} spoken")
    lines += [f"  tip: {n.text}" for n in delivery.notes if n.advice and n.metric != "pauses"]
    return "\n".join(lines)


def _stamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes):d}:{rest:04.1f}"
