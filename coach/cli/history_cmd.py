"""Practice history verbs: history, export, import, report, note, grade, candidates, plans, due.

Also the `--db` / `--candidate` options and the `score --save` hook (`open_saver`).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from coach.cli.common import (
    UsageError,
    add_candidate_option,
    add_content_option,
    add_db_option,
    load_content,
)
from coach.content import ContentError, ContentPack, Question
from coach.locations import default_db_path
from coach.report import build_report, render_html, render_markdown
from coach.scoring import ScoreResult
from coach.store import (
    DEFAULT_CANDIDATE,
    Attempt,
    Mode,
    Store,
    StoreError,
    load_plan_file,
)
from coach.store.transfer import attempt_record

Runner = Callable[[argparse.Namespace], int]


# ---------------------------------------------------------------- shared options


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_db(args: argparse.Namespace) -> Store:
    try:
        return Store(db_path(args))
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def store_errors(run: Runner) -> Runner:
    """Turn a StoreError or ContentError into the one-line usage error (exit 2)."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (StoreError, ContentError) as exc:
            raise UsageError(str(exc)) from None

    return wrapper


_RELATIVE = re.compile(r"^(\d+)([dw])$")


def parse_when(text: str, flag: str) -> date | datetime:
    """YYYY-MM-DD (a whole local day), an ISO date-time, today, yesterday, 7d or 2w (ago)."""
    value = text.strip().lower()
    today = date.today()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if match := _RELATIVE.match(value):
        number, unit = int(match.group(1)), match.group(2)
        return today - timedelta(days=number * (7 if unit == "w" else 1))
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{flag} {text}: expected a date like 2025-01-31, a date-time, today, or 7d / 2w ago"
        ) from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number from 1, got {value}")
    return value


def question_filter(args: argparse.Namespace, store: Store) -> str | None:
    """The question id named by -q (an id or 1-based position in the pack), or None."""
    ref = getattr(args, "question", None)
    if not ref:
        return None
    pack = _pack_or_none(args)
    if pack is not None:
        try:
            return pack.find_question(ref).id
        except KeyError as exc:
            known = {a.question_id for a in store.list_attempts()}
            if str(ref) in known:
                return str(ref)
            raise UsageError(f"-q/--question {ref}: {exc.args[0]}") from None
    return str(ref)


def _pack_or_none(args: argparse.Namespace) -> ContentPack | None:
    try:
        return load_content(args)
    except UsageError:
        if getattr(args, "content", None):
            raise
        return None


def _candidate_or_none(store: Store, name: str | None) -> str | None:
    if name is None:
        return None
    return store.get_candidate(name).name


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

    note = subparsers.add_parser(
        "note",
        help="add a coach's note to an attempt",
        description="Set the coach's note on an attempt (ids: coach history); TEXT '-': stdin.",
    )
    note.add_argument("attempt", metavar="ID", type=positive_int, help="attempt id")
    note.add_argument("text", metavar="TEXT", nargs="*", help="the note")
    note.add_argument("--append", metavar="TEXT", help="add a paragraph to the existing note")
    note.add_argument("--clear", action="store_true", help="remove the note")
    add_db_option(note)
    note.set_defaults(run=run_note)

    grade = subparsers.add_parser(
        "grade",
        help="give an attempt a coach's grade (1-5)",
        description="A coach's grade overrides the scorer's for reports and for when the "
        "question comes back.",
    )
    grade.add_argument("attempt", metavar="ID", type=positive_int, help="attempt id")
    grade.add_argument("grade", metavar="GRADE", nargs="?", help="1 to 5")
    grade.add_argument("--clear", action="store_true", help="remove the coach's grade")
    add_db_option(grade)
    grade.set_defaults(run=run_grade)

    candidates = subparsers.add_parser(
        "candidates",
        help="list, add, rename or remove candidates",
        description="Candidates whose practice is kept apart ('me' is the default profile).",
    )
    add_db_option(candidates)
    cverbs = candidates.add_subparsers(dest="candidates_verb", metavar="{list,add,rename,remove}")
    clist = cverbs.add_parser("list", help="candidates with their progress (default)")
    add_db_option(clist)
    cadd = cverbs.add_parser("add", help="add a candidate")
    cadd.add_argument("name", metavar="NAME")
    cadd.add_argument("--note", default="", help="a line about them")
    add_db_option(cadd)
    cren = cverbs.add_parser("rename", help="rename a candidate")
    cren.add_argument("name", metavar="NAME")
    cren.add_argument("new_name", metavar="NEW")
    add_db_option(cren)
    crem = cverbs.add_parser("remove", help="delete a candidate and all their attempts")
    crem.add_argument("name", metavar="NAME")
    crem.add_argument("--yes", action="store_true", help="confirm deleting their attempts")
    add_db_option(crem)
    candidates.set_defaults(run=run_candidates)

    plans = subparsers.add_parser(
        "plans",
        help="list, add, show or remove session plans",
        description="Session plans: a named list of questions, or n random, or due first, with "
        "time limits. Written in YAML (see coach/store/plans.py) and kept in the database.",
    )
    add_db_option(plans)
    pverbs = plans.add_subparsers(dest="plans_verb", metavar="{list,add,show,remove}")
    plist = pverbs.add_parser("list", help="saved plans (default)")
    add_db_option(plist)
    padd = pverbs.add_parser("add", help="validate a plan YAML file and save it")
    padd.add_argument("file", metavar="FILE", type=Path)
    padd.add_argument("--replace", action="store_true", help="replace a plan of the same name")
    add_content_option(padd)
    add_db_option(padd)
    pshow = pverbs.add_parser("show", help="print a plan as YAML-like text")
    pshow.add_argument("name", metavar="NAME")
    add_db_option(pshow)
    prem = pverbs.add_parser("remove", help="delete a plan")
    prem.add_argument("name", metavar="NAME")
    add_db_option(prem)
    plans.set_defaults(run=run_plans)

    due = subparsers.add_parser(
        "due",
        help="questions due for practice (spaced repetition)",
        description="Weak answers come back the next day, strong ones in weeks.",
    )
    add_candidate_option(due)
    due.add_argument("--all", action="store_true", help="every practised question with its date")
    add_content_option(due)
    add_db_option(due)
    due.set_defaults(run=run_due)


def export_help() -> str:
    return (
        "Write candidates, plans, sessions, attempts (with full results) and schedules as JSONL. "
        "'coach import' reads it back without loss. The file is created readable by you only."
    )


# ---------------------------------------------------------------- history


def _fmt_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _grade_cell(a: Attempt) -> str:
    if a.human_grade is None:
        return str(a.grade)
    return f"{a.human_grade}*"


@store_errors
def run_history(args: argparse.Namespace) -> int:
    since = parse_when(args.since, "--since") if args.since else None
    until = parse_when(args.until, "--until") if args.until else None
    with open_db(args) as store:
        candidate = _candidate_or_none(store, args.candidate)
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
        taken = (
            f"{int(a.seconds_taken) // 60}:{int(a.seconds_taken) % 60:02d}"
            if (a.seconds_taken is not None)
            else ""
        )
        note = " ".join(a.coach_note.split())
        rows.append(
            (
                str(a.id),
                _fmt_time(a.submitted_at),
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
        candidate = _candidate_or_none(store, args.candidate)
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
    pack = _pack_or_none(args)
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


# ---------------------------------------------------------------- note / grade


@store_errors
def run_note(args: argparse.Namespace) -> int:
    given = [bool(args.text), args.append is not None, args.clear]
    if sum(given) != 1:
        raise UsageError("note needs one of TEXT ('-': standard input), --append TEXT or --clear")
    text = "" if args.clear else args.append if args.append is not None else " ".join(args.text)
    if text == "-":
        text = sys.stdin.read()
    if not args.clear and not text.strip():
        raise UsageError("note: the text is empty (use --clear to remove a note)")
    with open_db(args) as store:
        attempt = store.add_note(args.attempt, text, append=args.append is not None)
    if attempt.coach_note:
        print(f"attempt {attempt.id} ({attempt.candidate}, {attempt.question_id}): note saved")
    else:
        print(f"attempt {attempt.id} ({attempt.candidate}, {attempt.question_id}): note cleared")
    return 0


@store_errors
def run_grade(args: argparse.Namespace) -> int:
    if args.clear == (args.grade is not None):
        raise UsageError("grade needs GRADE (1 to 5) or --clear, not both")
    value: int | None = None
    if args.grade is not None:
        if not re.fullmatch(r"[1-5]", args.grade.strip()):
            raise UsageError(f"grade {args.grade}: expected a whole number from 1 to 5")
        value = int(args.grade)
    with open_db(args) as store:
        attempt = store.set_human_grade(args.attempt, value)
        entry = next(
            (e for e in store.schedule(attempt.candidate) if e.question_id == attempt.question_id),
            None,
        )
    shown = (
        f"coach grade {attempt.human_grade} (scorer {attempt.grade})"
        if attempt.human_grade is not None
        else f"coach grade cleared (scorer {attempt.grade})"
    )
    due = f"; {attempt.question_id} next due {entry.due_on.isoformat()}" if entry else ""
    print(f"attempt {attempt.id} ({attempt.candidate}): {shown}{due}")
    return 0


# ---------------------------------------------------------------- candidates


@store_errors
def run_candidates(args: argparse.Namespace) -> int:
    verb = args.candidates_verb or "list"
    with open_db(args) as store:
        if verb == "add":
            made = store.add_candidate(args.name, args.note)
            print(f"added candidate {made.name!r}; practise with --candidate {_q(made.name)}")
        elif verb == "rename":
            renamed = store.rename_candidate(args.name, args.new_name)
            print(f"renamed {args.name!r} to {renamed.name!r}")
        elif verb == "remove":
            count = len(store.list_attempts(candidate=args.name))
            if count and not args.yes:
                raise UsageError(
                    f"candidate {args.name!r} has {count} attempts; add --yes to delete them too"
                )
            store.remove_candidate(args.name)
            print(f"removed candidate {args.name!r} and {count} attempts")
        else:
            print(_candidates_table(store))
    return 0


def _q(name: str) -> str:
    return f'"{name}"' if " " in name else name


def _candidates_table(store: Store) -> str:
    rows = [("NAME", "ATTEMPTS", "QUESTIONS", "LAST PRACTISED", "DUE NOW", "WEAKEST")]
    today = date.today()
    for c in store.list_candidates():
        attempts = store.list_attempts(candidate=c.name)
        weakest = store.weakest_criteria(c.name)
        rows.append(
            (
                c.name,
                str(len(attempts)),
                str(len({a.question_id for a in attempts})),
                _fmt_time(attempts[-1].submitted_at) if attempts else "-",
                str(len(store.due_questions(c.name, today))),
                weakest[0].criterion if weakest else "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows)


# ---------------------------------------------------------------- plans


@store_errors
def run_plans(args: argparse.Namespace) -> int:
    verb = args.plans_verb or "list"
    with open_db(args) as store:
        if verb == "add":
            pack = load_content(args)
            plan = load_plan_file(args.file, pack.question_ids())
            store.save_plan(plan, replace=args.replace)
            print(f"saved plan {plan.name!r} ({_plan_summary(plan.to_dict())})")
        elif verb == "show":
            plan = store.get_plan(args.name)
            print(_plan_text(plan.to_dict()))
        elif verb == "remove":
            store.delete_plan(args.name)
            print(f"removed plan {args.name!r}")
        else:
            plans = store.list_plans()
            if not plans:
                print("no session plans yet: add one with 'coach plans add FILE.yaml'")
            for plan in plans:
                print(f"{plan.name}: {_plan_summary(plan.to_dict())}")
    return 0


def _plan_summary(spec: dict[str, Any]) -> str:
    limit = f", {spec['seconds']} s each" if spec.get("seconds") else ""
    if spec["pick"] == "list":
        return f"{len(spec.get('questions', []))} questions{limit}"
    what = "random" if spec["pick"] == "random" else "due first"
    return f"{spec.get('count')} {what}{limit}"


def _plan_text(spec: dict[str, Any]) -> str:
    lines = [f"name: {spec['name']}", f"pick: {spec['pick']}"]
    for key in ("description", "count", "seconds"):
        if key in spec:
            lines.append(f"{key}: {spec[key]}")
    if spec.get("questions"):
        lines.append("questions:")
        for item in spec["questions"]:
            limit = f"  # {item['seconds']} s" if item.get("seconds") else ""
            lines.append(f"  - {item['question']}{limit}")
    return "\n".join(lines)


# ---------------------------------------------------------------- due


@store_errors
def run_due(args: argparse.Namespace) -> int:
    today = date.today()
    pack = _pack_or_none(args)
    titles = {q.id: q.title for q in pack.questions} if pack else {}
    with open_db(args) as store:
        names = [args.candidate] if args.candidate else [c.name for c in store.list_candidates()]
        for name in names:
            entries = store.schedule(name) if args.all else store.due_questions(name, today)
            label = "schedule" if args.all else "due today"
            if not entries:
                if args.candidate or not args.all:
                    print(f"{store.get_candidate(name).name}: nothing {label}")
                continue
            print(f"{entries[0].candidate}: {label}")
            for e in entries:
                when = _due_words(today, e.due_on)
                print(
                    f"  {e.question_id:<24} last grade {e.last_grade}  {when}"
                    + (f"  {titles[e.question_id]}" if e.question_id in titles else "")
                )
    return 0


def _due_words(today: date, due_on: date) -> str:
    late = (today - due_on).days
    if late == 0:
        return "today"
    if late > 0:
        return f"{late} day{'s' if late != 1 else ''} overdue"
    if late == -1:
        return f"tomorrow ({due_on.isoformat()})"
    return f"in {-late} days ({due_on.isoformat()})"


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
