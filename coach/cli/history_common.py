"""Helpers the practice-history verbs share (history_cmd and coaching_cmd).

Opening the database, turning store errors into usage errors, and reading the
date, number, question and candidate filters the same way in every verb.
"""

from __future__ import annotations

import argparse
import functools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from coach.cli.common import UsageError, load_content
from coach.content import ContentError, ContentPack
from coach.locations import default_db_path
from coach.store import Store, StoreError

Runner = Callable[[argparse.Namespace], int]


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
    pack = pack_or_none(args)
    if pack is not None:
        try:
            return pack.find_question(ref).id
        except KeyError as exc:
            # Attempts outlive the pack: an id no longer in it still names saved attempts.
            known = {a.question_id for a in store.list_attempts()}
            if str(ref) in known:
                return str(ref)
            raise UsageError(f"-q/--question {ref}: {exc.args[0]}") from None
    return str(ref)


def pack_or_none(args: argparse.Namespace) -> ContentPack | None:
    """The pack, or None if the bundled one will not load; a pack named by --content must."""
    try:
        return load_content(args)
    except UsageError:
        if getattr(args, "content", None):
            raise
        return None


def candidate_or_none(store: Store, name: str | None) -> str | None:
    """The stored spelling of `name` (raises StoreError if unknown), or None for everyone."""
    if name is None:
        return None
    return store.get_candidate(name).name


def fmt_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
