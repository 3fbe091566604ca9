"""`StoreBase`: what every part of `Store` relies on, so each `store_*.py` mixin type-checks alone.

`Store` is assembled from one mixin per responsibility (`store_candidates.py`,
`store_attempts.py`, ...). A mixin that needs another's methods inherits that mixin; all of them
end in this class, which only declares the connection plumbing. `Store` (in store.py) owns the
connection and implements `_read` and `_write`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class StoreBase:
    """The plumbing each part of `Store` calls; store.py's `Store` implements it."""

    path: Path
    timeout: float

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one SELECT (or PRAGMA) and return all its rows."""
        raise NotImplementedError

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run `action` in one short write transaction, retried while the file is locked."""
        raise NotImplementedError
