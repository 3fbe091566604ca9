"""Practice history verbs: history, export, import, report.

Also the `score --save` hook (`Saver`, `open_saver`), which score_cmd imports
only when --save is given. The coaching verbs (note, grade, candidates, plans,
due) are in coaching_cmd; the helpers both share are in history_common.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from coach.cli.common import (
    UsageError,
    add_candidate_option,
    add_content_option,
    add_db_option,
)
from coach.cli.history_common import (
    candidate_or_none,
    fmt_time,
    open_db,
    pack_or_none,
    parse_when,
    positive_int,
    question_filter,
    store_errors,
)
from coach.clock import clock
from coach.content import ContentPack, Question
from coach.report import build_report, render_html, render_markdown
from coach.scoring import ScoreResult
from coach.store import DEFAULT_CANDIDATE, Attempt, Mode, Store, StoreError
from coach.store.transfer import attempt_record

# ---------------------------------------------------------------- register


def register(subparsers: Any) -> None:
    history = subparsers.add_parser(
        "history",
        help="list saved attempts",
        description="List saved attempts, oldest first, with filters.",
    )
    add_candidate_option(history)
    history.add_argument("-q", "--question", metavar="Q", help="question id or 1-based position")
    history.add_argument("--since", metavar="DATE", help="from this day (2025-01-31, 7d, ...)")
    history.add_argument("--until", metavar="DATE", help="up to and including this day")
    history.add_argument("--session", metavar="ID", type=positive_int, help="one session only")
    history.add_argument("--limit", metavar="N", type=positive_int, help="the latest N only")
    history.add_argument("--json", action="store_true", help="print JSON (full results)")
    add_content_option(history)
    add_db_option(history)
    history.set_defaults(run=run_history)

    export = subparsers.add_parser(
        "export", help="write all practice data to a JSONL file", description=export_help()
    )
    export.add_argument("file", metavar="FILE", type=Path, help="output .jsonl ('-': stdout)")
    add_db_option(export)
    export.set_defaults(run=run_export)

    imp = subparsers.add_parser(
        "import",
        help="merge a JSONL export into the practice data",
        description="Merge a file written by 'coach export' (records already present are kept).",
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="a .jsonl file from 'coach export'")
    add_db_option(imp)
    imp.set_defaults(run=run_import)

    report = subparsers.add_parser(
        "report",
        help="write a scorecard and progress report (HTML or Markdown)",
        description="A report per candidate: scorecard per question, criteria with evidence, "
        "delivery, coach notes and progress charts.",
    )
    add_candidate_option(report)
    report.add_argument("--session", metavar="ID", type=positive_int, help="one session only")
    report.add_argument("--since", metavar="DATE", help="from this day (2025-01-31, 7d, ...)")
    report.add_argument("--until", metavar="DATE", help="up to and including this day")
    report.add_argument("-q", "--question", metavar="Q", help="one question only")
    report.add_argument(
        "--format", choices=("html", "md"), default=None, help="default: from --out, else html"
    )
    report.add_argument("--out", metavar="FILE", type=Path, help="output file (default: stdout)")
    report.add_argument("--title", default="Interview practice report", help=argparse.SUPPRESS)
    add_content_option(report)
    add_db_option(report)
    report.set_defaults(run=run_report)


def export_help() -> str:
    return (
        "Write candidates, plans, sessions, attempts (with full results) and schedules as JSONL. "
        "'coach import' reads it back without loss. The file is created readable by you only."
    )


# ---------------------------------------------------------------- history


def _grade_cell(a: Attempt) -> str:
    if a.human_grade is None:
        return str(a.grade)
    return f"{a.human_grade}*"


@store_errors
def run_history(args: argparse.Namespace) -> int:
    since = parse_when(args.since, "--since") if args.since else None
    until = parse_when(args.until, "--until") if args.until else None
    with open_db(args) as store:
        candidate = candidate_or_none(store, args.candidate)
        question = question_filter(args, store)
        attempts = store.list_attempts(
            candidate=candidate,
            question=question,
            since=since,
            until=until,
            session=args.session,
            limit=args.limit,
        )
        if args.json:
            records = [{"id": a.id, **attempt_record(a)} for a in attempts]
            for record in records:
                record.pop("type", None)
            print(json.dumps(records, ensure_ascii=False, indent=2))
            return 0
        if not attempts:
            print("no attempts yet: save one with 'coach score -q 1 --save'", file=sys.stderr)
            return 0
        print(_history_table(attempts))
        print()
        print(_history_footer(store, attempts, candidate))
    return 0


def _history_table(attempts: list[Attempt]) -> str:
    rows = [("ID", "DATE", "CANDIDATE", "QUESTION", "MODE", "GRADE", "SCORE", "TIME", "NOTE")]
    for a in attempts:
        taken = clock(a.seconds_taken) if a.seconds_taken is not None else ""
        note = " ".join(a.coach_note.split())
        rows.append(
            (
                str(a.id),
                fmt_time(a.submitted_at),
                a.candidate,
                a.question_id,
                a.mode,
                _grade_cell(a),
                str(a.overall),
                taken,
                note if len(note) <= 40 else note[:39] + "\u2026",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {0, 5, 6, 7}
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _history_footer(store: Store, attempts: list[Attempt], candidate: str | None) -> str:
    people = sorted({a.candidate for a in attempts}) if candidate is None else [candidate]
    graded = any(a.human_grade is not None for a in attempts)
    lines = [
        f"{len(attempts)} attempt{'s' if len(attempts) != 1 else ''}"
        + ("   (* a coach's grade)" if graded else "")
    ]
    today = date.today()
    for name in people:
        due = store.due_questions(name, today)
        weakest = store.weakest_criteria(name)
        parts = [f"{name}: due today {', '.join(e.question_id for e in due) if due else 'none'}"]
        if weakest:
            parts.append(f"weakest criterion {weakest[0].criterion} ({weakest[0].mean_score:.2f})")
        lines.append("; ".join(parts))
    return "\n".join(lines)


# ---------------------------------------------------------------- export / import


@store_errors
def run_export(args: argparse.Namespace) -> int:
    with open_db(args) as store:
        counts = store.export_jsonl(args.file)
    where = "standard output" if str(args.file) == "-" else str(args.file)
    print(f"exported {_counts(counts)} to {where}", file=sys.stderr)
    return 0


@store_errors
def run_import(args: argparse.Namespace) -> int:
    with open_db(args) as store:
        counts = store.import_jsonl(args.file)
    skipped = counts.pop("skipped", 0)
    added = _counts(counts) or "nothing new"
    print(
        f"imported {added} from {args.file}" + (f"; {skipped} already present" if skipped else "")
    )
    return 0


def _counts(counts: dict[str, int]) -> str:
    names = {
        "candidate": "candidates",
        "plan": "plans",
        "session": "sessions",
        "attempt": "attempts",
        "schedule": "schedule entries",
    }
    return ", ".join(f"{n} {names.get(k, k)}" for k, n in counts.items() if n)


# ---------------------------------------------------------------- report


@store_errors
def run_report(args: argparse.Namespace) -> int:
    fmt = args.format
    if fmt is None:
        suffix = args.out.suffix.lower() if args.out else ""
        fmt = "md" if suffix in (".md", ".markdown") else "html"
    since = parse_when(args.since, "--since") if args.since else None
    until = parse_when(args.until, "--until") if args.until else None
    with open_db(args) as store:
        candidate = candidate_or_none(store, args.candidate)
        if args.session is not None:
            store.get_session(args.session)
        question = question_filter(args, store)
        attempts = store.list_attempts(
            candidate=candidate, question=question, since=since, until=until, session=args.session
        )
        if not attempts:
            raise UsageError(f"no saved attempts match ({_scope(args) or 'empty database'})")
        names = sorted({a.candidate for a in attempts})
        due = {n: [(e.question_id, e.due_on) for e in store.due_questions(n)] for n in names}
    pack = pack_or_none(args)
    questions: tuple[Question, ...] = pack.questions if pack else ()
    report = build_report(attempts, questions, title=args.title, scope=_scope(args), due=due)
    text = render_html(report) if fmt == "html" else render_markdown(report)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out {args.out}: cannot write ({exc.strerror})") from None
    print(
        f"wrote {fmt} report on {len(attempts)} attempt{'s' if len(attempts) != 1 else ''} "
        f"({', '.join(names)}) to {args.out}",
        file=sys.stderr,
    )
    return 0


def _scope(args: argparse.Namespace) -> str:
    parts = []
    if args.session is not None:
        parts.append(f"session {args.session}")
    if args.question:
        parts.append(f"question {args.question}")
    if args.since:
        parts.append(f"since {args.since}")
    if args.until:
        parts.append(f"until {args.until}")
    if args.candidate and not parts:
        parts.append(f"candidate {args.candidate}")
    return ", ".join(parts)


# ---------------------------------------------------------------- score --save


@dataclass
class Saver:
    """Opened before the answer is read (checks the database and candidate, starts the clock)."""

    store: Store
    candidate: str
    mode: Mode
    question: Question
    pack: ContentPack
    started: datetime
    timed: bool

    def save(self, result: ScoreResult, answer: str, delivery: Any = None) -> None:
        """Save the attempt; `delivery` is the spoken answer's `Delivery` (or None)."""
        now = datetime.now(UTC)
        seconds: float | None = (now - self.started).total_seconds() if self.timed else None
        if delivery is not None and hasattr(delivery, "duration_s"):
            seconds = float(delivery.duration_s)
        try:
            with self.store as store:
                attempt = store.save_attempt(
                    result=result,
                    answer=answer,
                    mode=self.mode,
                    candidate=self.candidate,
                    content_hash=self.pack.content_hash,
                    started_at=self.started if self.timed else None,
                    submitted_at=now,
                    seconds_taken=seconds,
                    target_seconds=self.question.target_seconds,
                    delivery=delivery,
                )
                entry = next(
                    (
                        e
                        for e in store.schedule(attempt.candidate)
                        if e.question_id == attempt.question_id
                    ),
                    None,
                )
        except StoreError as exc:
            raise UsageError(f"--save: {exc}") from None
        due = f"; it comes back on {entry.due_on.isoformat()}" if entry else ""
        print(
            f"saved attempt {attempt.id} for {attempt.candidate} (grade {attempt.grade}){due}",
            file=sys.stderr,
        )


def open_saver(args: argparse.Namespace, pack: ContentPack, question: Question) -> Saver | None:
    """For `coach score --save`: None without --save, else a Saver ready before any scoring."""
    if not getattr(args, "save", False):
        return None
    store = open_db(args)
    try:
        name = DEFAULT_CANDIDATE
        if args.candidate.strip().lower() != DEFAULT_CANDIDATE:
            name = store.get_candidate(args.candidate).name
    except StoreError as exc:
        store.close()
        raise UsageError(f"--candidate {args.candidate}: {exc}") from None
    mode: Mode = "typed"
    if getattr(args, "audio", None):
        mode = "spoken"
    elif getattr(args, "file", None):
        mode = "file"
    timed = mode == "typed" and sys.stdin is not None and sys.stdin.isatty()
    return Saver(store, name, mode, question, pack, datetime.now(UTC), timed)
