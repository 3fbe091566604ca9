"""The `coach` command line: one module per verb, each with `register(subparsers)`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach import __version__
from coach.cli import content_cmd, score_cmd
from coach.cli.common import UsageError, fail

VERBS = [score_cmd, content_cmd]


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the flag, then exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        fail(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="coach",
        description="Offline trainer for business-development interviews about networking. "
        "Run with no arguments to open the practice app.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    subparsers = parser.add_subparsers(dest="verb", parser_class=OneLineParser)
    for verb in VERBS:
        verb.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.verb is None:
        return open_app(args)
    try:
        return int(args.run(args))
    except UsageError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


def open_app(args: argparse.Namespace) -> int:
    try:
        from coach.tui.app import run_app
    except ImportError:
        build_parser().print_help()
        return 0
    return run_app(args)
