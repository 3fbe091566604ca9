"""`Store`: the practice history API the CLI and the TUI call. One SQLite file, one connection.

Every method is safe to call from any thread (one lock serialises them); every write is one
short BEGIN IMMEDIATE transaction, retried while another process holds the lock.

This module holds the connection plumbing; the methods live in one mixin per responsibility:

    store_candidates.py   candidates: add, rename, note, remove, look up
    store_attempts.py     attempts: save a scored answer, list and filter, notes, coach's grades
    store_progress.py     progress: trends for charts, weakest criteria and questions
    store_schedule.py     spaced repetition: due dates, "due first" order, rescheduling
    store_plans.py        saved session plans
    store_sessions.py     practice sessions
    transfer.py           JSONL export and import (`export_jsonl`, `import_jsonl` below)

store_base.py declares the plumbing (`_read`, `_write`) the mixins call and this class provides.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from coach.store.db import DEFAULT_TIMEOUT, connect, retry, transaction
from coach.store.store_attempts import AttemptsMixin, HasToDict
from coach.store.store_candidates import CandidatesMixin
from coach.store.store_plans import PlansMixin
from coach.store.store_progress import ProgressMixin
from coach.store.store_schedule import ScheduleMixin
from coach.store.store_sessions import SessionsMixin

__all__ = ["HasToDict", "Store", "open_store"]

T = TypeVar("T")


# ---------------------------------------------------------------- the store


class Store(
    # A mixin comes before the mixins it builds on (Python's method order requires it).
    ProgressMixin,
    AttemptsMixin,
    ScheduleMixin,
    SessionsMixin,
    CandidatesMixin,
    PlansMixin,
):
    """The practice history in one SQLite file (created 0600, WAL, foreign keys on).

    Raises StoreCorrupt for a damaged file (never modified), StoreLocked when another program
    holds the lock longer than `timeout` seconds, StoreTooNew for a newer schema.
    """

    def __init__(self, path: Path | str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._lock = threading.RLock()
        self._conn = connect(self.path, timeout)
        self._conn.row_factory = sqlite3.Row

    # ------------------------------------------------------------ plumbing

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return retry(
                self.path, self.timeout, lambda: self._conn.execute(sql, params).fetchall()
            )

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        def attempt() -> T:
            with transaction(self._conn):
                return action(self._conn)

        with self._lock:
            return retry(self.path, self.timeout, attempt)

    # ------------------------------------------------------------ export / import

    def export_jsonl(self, path: Path | str) -> dict[str, int]:
        """Write every record as JSONL (see coach.store.transfer); return counts by type."""
        from coach.store.transfer import export_jsonl

        return export_jsonl(self, Path(path))

    def import_jsonl(self, path: Path | str) -> dict[str, int]:
        """Merge a JSONL export in one transaction; return counts of what was added/skipped."""
        from coach.store.transfer import import_jsonl

        return import_jsonl(self, Path(path))


def open_store(path: Path | str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> Store:
    """The store at `path`, or at COACH_DB, or in the platform data folder."""
    from coach.locations import default_db_path

    return Store(path or default_db_path(), timeout=timeout)
