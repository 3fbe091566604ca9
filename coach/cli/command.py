"""Parse the command line and run its verb, or open the practice app when there is none."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from coach import __version__
from coach.cli import interrupted, opens_the_app, release_keys
from coach.cli.common import UsageError, fail


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the flag, then exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        fail(f"{message} (see '{self.prog} --help')")


def app_parser() -> argparse.ArgumentParser:
    """Options of `coach` with no verb, which opens the practice app."""
    parser = OneLineParser(prog="coach", add_help=False)
    parser.add_argument("--candidate", metavar="NAME", help="practise as this candidate")
    parser.add_argument("--db", metavar="PATH", type=Path, help="history database (env COACH_DB)")
    parser.add_argument("--content", metavar="DIR", type=Path, help="content pack directory")
    return parser


# Which module registers each verb, so `coach score` imports the score verb and nothing else.
VERB_MODULES = {
    "score": "score_cmd",
    "content": "content_cmd",
    "questions": "content_cmd",
    "transcribe": "speech_cmd",
    "calibrate": "calibrate_cmd",
    **dict.fromkeys(["history", "export", "import", "report"], "history_cmd"),
    **dict.fromkeys(["note", "grade", "candidates", "plans", "due"], "coaching_cmd"),
}


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (for a known `verb`) only the module that registers it."""
    names = dict.fromkeys(VERB_MODULES.values())
    if verb in VERB_MODULES:
        names = {VERB_MODULES[verb]: None}
    parser = OneLineParser(
        prog="coach",
        description="Offline trainer for business-development interviews about networking. "
        "Run with no arguments to open the practice app.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    subparsers = parser.add_subparsers(dest="verb", parser_class=OneLineParser)
    for name in names:
        importlib.import_module(f"coach.cli.{name}").register(subparsers)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if opens_the_app(args_list):
        return open_app(app_parser().parse_args(args_list))
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    if args.verb is None:
        return open_app(args)
    try:
        return int(args.run(args))
    except UsageError as exc:
        fail(str(exc))
    except BrokenPipeError:
        return 0
    return 0


def open_app(args: argparse.Namespace) -> int:
    # Importing Textual and the app makes a great many objects that all stay: collecting during
    # the imports is wasted time before the first paint (about 25 ms). run_app turns it back on.
    gc.disable()
    try:
        from coach.tui.app import run_app

        code = run_app(args)
    except KeyboardInterrupt:  # Ctrl+C while starting, before the app has the terminal
        return interrupted()
    finally:
        gc.enable()
    if any(t.name == "coach-worker" and t.is_alive() for t in threading.enumerate()):
        # Quit while the model was still loading: onnxruntime's threads, torn down by the
        # interpreter's exit, would abort the process ("terminate called ...", exit 134). Drafts
        # are saved and the store is closed by now, so leave without that teardown.
        sys.stdout.flush()
        sys.stderr.flush()
        release_keys()
        os._exit(code)
    return code
