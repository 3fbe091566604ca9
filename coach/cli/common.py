"""Helpers every verb shares: one-line errors, loading the pack, building the scorer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coach.content import ContentError, ContentPack, load_pack
from coach.locations import bundled_content_dir
from coach.scoring import ModelUnavailable
from coach.store.models import DEFAULT_CANDIDATE
from coach.textfile import TextFileError, read_user_text

if TYPE_CHECKING:  # verbs that never score (history, export...) do not load the scorer
    from coach.scoring import Scorer


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def fail(message: str, code: int = 2) -> NoReturn:
    print(f"coach: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def warn(message: str) -> None:
    print(f"coach: warning: {message}", file=sys.stderr)


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=None,
        help="content pack directory (default: the bundled pack)",
    )


def load_content(args: argparse.Namespace) -> ContentPack:
    root = args.content or bundled_content_dir()
    try:
        return load_pack(root)
    except ContentError as exc:
        raise UsageError(str(exc)) from None


def read_text_file(path: Path, flag: str) -> str:
    """Read a user's text file, or raise a one-line UsageError naming the flag."""
    try:
        return read_user_text(path)
    except TextFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise UsageError(f"{flag} {where}: {exc}") from None


def build_scorer(pack: ContentPack, quiet: bool = False) -> Scorer:
    """The scorer with the real model, or keyword checks only (with a warning) if it is missing."""
    from coach.scoring import Scorer
    from coach.scoring.embedding import default_embedder

    try:
        embedder = default_embedder()
    except ModelUnavailable as exc:
        if not quiet:
            warn(f"{exc}; scoring with keyword checks only")
        return Scorer(pack, None)
    return Scorer(pack, embedder)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=None,
        help="practice database (default: $COACH_DB, else the platform data folder)",
    )


def add_candidate_option(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    who = f"default: {default}" if default else "default: everyone"
    parser.add_argument(
        "--candidate", metavar="NAME", default=default, help=f"whose practice ({who})"
    )


def add_save_options(parser: argparse.ArgumentParser) -> None:
    """`score --save [--candidate NAME] [--db PATH]`."""
    parser.add_argument(
        "--save", action="store_true", help="save the scored attempt to the practice history"
    )
    add_candidate_option(parser, DEFAULT_CANDIDATE)
    add_db_option(parser)
