"""`coach content check [PATH]` and `coach questions`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coach.cli.common import UsageError, add_content_option, load_content


def register(subparsers: Any) -> None:
    content = subparsers.add_parser("content", help="work with a content pack")
    content_verbs = content.add_subparsers(dest="content_verb", required=True)
    check = content_verbs.add_parser("check", help="validate a content pack and report problems")
    check.add_argument("path", nargs="?", type=Path, default=None, help="pack directory")
    add_content_option(check)  # the same flag as every other verb, as well as the path
    check.set_defaults(run=run_check)

    questions = subparsers.add_parser("questions", help="list the questions of the pack")
    add_content_option(questions)
    questions.set_defaults(run=run_questions)


def run_check(args: argparse.Namespace) -> int:
    if args.path is not None and args.content is not None and args.path != args.content:
        raise UsageError("give the pack once: a path or --content, not both")
    args.content = args.path or args.content
    pack = load_content(args)
    print(
        f"{pack.root}: OK - {len(pack.questions)} questions, rubric '{pack.rubric.name}', "
        f"{len(pack.question_rubrics)} per-question additions, content hash {pack.content_hash}"
    )
    return 0


def run_questions(args: argparse.Namespace) -> int:
    pack = load_content(args)
    for position, question in enumerate(pack.questions, start=1):
        print(f"{position:>2}  {question.id:<24} {question.question}")
    return 0
