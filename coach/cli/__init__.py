"""The `coach` command line: one module per verb, each with `register(subparsers)`.

This package's own module stays tiny on purpose: the console script imports it before anything
can catch Ctrl+C, so the command line itself (`coach.cli.command`) is imported inside the guard.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

# `coach` alone, or with only these options, opens the practice app.
APP_OPTIONS = ("--candidate", "--db", "--content")

_terminal_before: list[Any] | None = None


def interrupted() -> int:
    """Ctrl+C before the app has the terminal: one line, and the shell's usual status."""
    print("coach: interrupted", file=sys.stderr)
    return 130


def hold_keys_for_the_app() -> None:
    """Until Textual takes the terminal (a few tenths of a second), keys typed are kept for the
    app instead of echoed over the screen, and ctrl+q reaches it instead of being taken by the
    terminal as flow control (XON). `release_keys` puts the terminal back as it was."""
    global _terminal_before
    if sys.platform == "win32" or not sys.stdin.isatty():
        return
    import termios

    fd = sys.stdin.fileno()
    _terminal_before = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[0] &= ~termios.IXON
    mode[3] &= ~(termios.ECHO | termios.ICANON)
    termios.tcsetattr(fd, termios.TCSANOW, mode)


def release_keys() -> None:
    global _terminal_before
    if _terminal_before is not None:
        import termios

        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, _terminal_before)
        _terminal_before = None


def opens_the_app(args: Sequence[str]) -> bool:
    """Whether `args` ask for the app: none, or app options first (anything after them that is
    not an app option is a usage error, never a verb that reads the terminal)."""
    return not args or args[0].split("=", 1)[0] in APP_OPTIONS


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if opens_the_app(args):
        hold_keys_for_the_app()
    try:
        from coach.cli.command import run

        return run(args)
    except KeyboardInterrupt:
        return interrupted()
    finally:
        release_keys()
