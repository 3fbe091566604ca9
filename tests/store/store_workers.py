"""Functions run in child processes by the concurrency tests (importable by `spawn`)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any


def save_many(db: str, candidate: str, result: dict[str, Any], count: int) -> list[int]:
    from coach.store import Store

    ids = []
    with Store(Path(db), timeout=30) as store:
        for n in range(count):
            attempt = store.save_attempt(
                result=result, answer=f"{candidate} answer {n}", candidate=candidate
            )
            ids.append(attempt.id)
    return ids


def hold_lock(db: str, seconds: float, ready: Any) -> None:
    """Take the write lock (BEGIN EXCLUSIVE) and keep it for `seconds`."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()
