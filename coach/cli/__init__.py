"""The `coach` command line: one module per verb, each with `register(subparsers)`.

This package's own module stays tiny on purpose: the console script imports it before anything
can catch Ctrl+C, so the command line itself (`coach.cli.command`) is imported inside the guard.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def interrupted() -> int:
    """Ctrl+C before the app has the terminal: one line, and the shell's usual status."""
    print("coach: interrupted", file=sys.stderr)
    return 130


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from coach.cli.command import run

        return run(argv)
    except KeyboardInterrupt:
        return interrupted()
