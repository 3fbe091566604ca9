"""Plain-text rendering of a score for the terminal."""

from __future__ import annotations

import textwrap

from coach.content import Question
from coach.scoring import ScoreResult

PASS, FAIL = "+", "-"


def _quote(text: str, width: int = 90) -> str:
    short = text if len(text) <= width else text[: width - 3].rstrip() + "..."
    return f'"{short}"'


def render_result(result: ScoreResult, question: Question) -> str:
    lines = [
        f"{question.id}: {question.question}",
        f"Grade {result.grade}/5   overall {result.overall}/100   {result.word_count} words",
    ]
    if result.off_topic:
        lines.append("! Off-topic: the answer does not address this question.")
    for note in result.notes:
        if "does not address" not in note:
            lines.append(f"! {note}")
    star = "  ".join(f"{PASS if v.present else FAIL}{part}" for part, v in result.star.items())
    lines += [
        "",
        f"STAR   {star}" + ("" if result.star_order_ok else "   (out of order)"),
        "",
        "Criteria",
    ]
    for c in result.criteria:
        mark = PASS if c.passed else FAIL
        lines.append(f"  {mark} {c.id:<14} {c.score:4.2f}  {c.reason}")
        for e in c.evidence[:2]:
            lines.append(f"      {_quote(e.text)}")
        if not c.passed and c.tip:
            lines.append(f"      tip: {c.tip}")
    lines.append("")
    if result.mistakes:
        lines.append("Mistakes")
        for m in result.mistakes:
            lines.append(f"  ! {m.id:<24} -{m.penalty:g}  {m.reason}")
            for e in m.evidence[:2]:
                lines.append(f"      {_quote(e.text)}")
            lines.append(f"      tip: {m.tip}")
    else:
        lines.append("Mistakes: none found")
    covered = [t for t in result.talking_points if t.covered]
    lines += ["", f"Talking points covered {len(covered)}/{len(result.talking_points)}"]
    for t in result.talking_points:
        lines.append(f"  {PASS if t.covered else FAIL} {t.text}")
    lines += [
        "",
        f"Similarity to the model answer {result.model_answer_similarity:.2f}",
        "",
        "The interviewer might ask next:",
        *textwrap.wrap(result.follow_up_probe, 90, initial_indent="  ", subsequent_indent="  "),
    ]
    return "\n".join(lines)
