"""Formatting shared by the HTML and Markdown reports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from coach.clock import clock as to_clock
from coach.report.model import GRADE_WORDS, AttemptLike


def when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def day(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        moment = moment.astimezone().date()
    return moment.strftime("%d %b %Y")


def period(first: datetime, last: datetime) -> str:
    a, b = day(first), day(last)
    return a if a == b else f"{a} \u2013 {b}"


def clock(seconds: float | None) -> str:
    return "" if seconds is None else to_clock(seconds)


def grade_word(grade: int) -> str:
    return GRADE_WORDS.get(grade, "")


def grade_line(attempt: AttemptLike) -> str:
    """'coach grade 4 (scorer 3)' or 'grade 3'."""
    if attempt.human_grade is not None and attempt.human_grade != attempt.grade:
        return f"coach grade {attempt.human_grade} (scorer {attempt.grade})"
    if attempt.human_grade is not None:
        return f"grade {attempt.grade} (confirmed by coach)"
    return f"grade {attempt.grade}"


def timing(attempt: AttemptLike) -> str:
    taken = clock(attempt.seconds_taken)
    target = clock(attempt.target_seconds)
    if taken and target:
        return f"{taken} of {target}"
    if taken:
        return taken
    return f"target {target}" if target else ""


def meta_parts(attempt: AttemptLike) -> list[str]:
    words = attempt.result.get("word_count")
    parts = [when(attempt.submitted_at), attempt.mode, timing(attempt)]
    if isinstance(words, int):
        parts.append(f"{words} words")
    parts.append(f"overall {attempt.overall}/100")
    return [p for p in parts if p]


def delivery_rows(delivery: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(metric, value) lines for speech delivery metrics (`Delivery.to_dict()`), any shape."""
    if not delivery:
        return []
    rows: list[tuple[str, str]] = []
    known = set()
    if "wpm" in delivery:
        pace = f" ({delivery['pace']})" if delivery.get("pace") else ""
        rows.append(("Pace", f"{float(delivery['wpm']):.0f} words a minute{pace}"))
        known |= {"wpm", "pace", "pace_flagged"}
    if "filler_per_min" in delivery:
        fillers = delivery.get("fillers") or []
        counts: dict[str, int] = {}
        for item in fillers:
            word = item.get("word") if isinstance(item, Mapping) else str(item)
            counts[str(word)] = counts.get(str(word), 0) + 1
        detail = ", ".join(f"{w} \u00d7{n}" for w, n in sorted(counts.items(), key=lambda x: -x[1]))
        rate = float(delivery["filler_per_min"])
        rows.append(("Fillers", f"{rate:.1f} a minute" + (f" ({detail})" if detail else "")))
        known |= {"filler_per_min", "fillers", "fillers_flagged"}
    if "pauses" in delivery:
        pauses = delivery.get("pauses") or []
        longest = max(
            (float(p.get("length_s", 0)) for p in pauses if isinstance(p, Mapping)), default=0.0
        )
        text = f"{len(pauses)} long pause{'s' if len(pauses) != 1 else ''}"
        if delivery.get("from_audio") is False:  # a self-timed answer: no audio to find pauses in
            text = "not measured (no audio)"
        rows.append(("Pauses", text + (f", longest {longest:.1f} s" if pauses else "")))
        known |= {"pauses", "from_audio"}
    if "duration_s" in delivery:
        spoken = clock(float(delivery.get("speaking_s") or delivery["duration_s"]))
        target = delivery.get("target_seconds")
        verdict = delivery.get("time_verdict")
        text = spoken + (f" of {clock(float(target))} target" if target else "")
        rows.append(("Spoken time", text + (f" ({verdict})" if verdict else "")))
        known |= {"duration_s", "speaking_s", "target_seconds", "time_verdict"}
    known |= {"word_count", "notes"}
    for key, value in delivery.items():
        plain = isinstance(value, str | int | float) and not isinstance(value, bool)
        if key not in known and plain:
            rows.append((key.replace("_", " ").capitalize(), str(value)))
    for note in delivery.get("notes") or []:
        rows.append(("Note", str(note)))
    return rows


def sentences(attempt: AttemptLike) -> list[tuple[str, str | None]]:
    """The answer split into (text, STAR part or None), covering every character once.

    Uses the scorer's sentence offsets when they fit the answer, else the whole answer.
    """
    answer = attempt.answer
    labelled = [s for s in attempt.result.get("sentences", []) if isinstance(s, Mapping)]
    out: list[tuple[str, str | None]] = []
    cursor = 0
    for item in labelled:
        start, end = item.get("start"), item.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not cursor <= start <= end:
            return [(answer, None)]
        if end > len(answer):
            break
        if start > cursor:
            out.append((answer[cursor:start], None))
        star = item.get("star")
        out.append((answer[start:end], str(star) if star else None))
        cursor = end
    if cursor < len(answer):
        out.append((answer[cursor:], None))
    return out
