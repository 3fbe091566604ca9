"""Coaching verbs: note, grade, candidates, plans, due.

What a coach does with saved attempts: annotate and re-grade them, manage the
candidates and session plans, and see which questions are due again.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from coach.cli.common import (
    UsageError,
    add_candidate_option,
    add_content_option,
    add_db_option,
    load_content,
)
from coach.cli.history_common import fmt_time, open_db, pack_or_none, positive_int, store_errors
from coach.store import Store, load_plan_file

# ---------------------------------------------------------------- register


def register(subparsers: Any) -> None:
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
                fmt_time(attempts[-1].submitted_at) if attempts else "-",
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
    pack = pack_or_none(args)
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
