"""Opening the SQLite file: owner-only permissions, WAL, foreign keys, retries, migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from coach.store import schema
from coach.store.errors import StoreCorrupt, StoreError, StoreLocked, StoreTooNew

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0  # seconds a locked database is waited for, in total
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_MOVE_ASIDE = "it was left untouched; move it aside or choose another file with --db / COACH_DB"


def latest_version() -> int:
    return len(schema.MIGRATIONS)


def is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _BUSY_CODES
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def translate(path: Path, exc: sqlite3.Error) -> StoreError:
    """A one-line StoreError for an sqlite3 error."""
    if is_corrupt(exc):
        return StoreCorrupt(f"database {path} is damaged or not a database ({exc}); {_MOVE_ASIDE}")
    if is_busy(exc):
        return StoreLocked(
            f"database {path} stayed locked by another program; close it and try again"
        )
    return StoreError(f"database {path}: {exc}")


def create_private_file(path: Path) -> None:
    """Create the database file readable and writable by its owner only (0600), if missing."""
    if path.exists():
        if path.is_dir():
            raise StoreError(f"database {path} is a directory; expected a file")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(f"cannot create folder {path.parent} ({exc.strerror})") from None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first
    except OSError as exc:
        raise StoreError(f"cannot create database {path} ({exc.strerror})") from None
    os.close(fd)


def retry(path: Path, timeout: float, action: Callable[[], T]) -> T:
    """Run `action`, retrying while the database is busy (on top of SQLite's busy_timeout)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            return action()
        except sqlite3.Error as exc:
            if is_busy(exc) and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            raise translate(path, exc) from None


def connect(path: Path, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`."""
    path = Path(path)
    create_private_file(path)
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        retry(path, timeout, lambda: _check_header(conn, path))
        conn.execute("PRAGMA foreign_keys = ON")
        retry(path, timeout, lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        conn.execute("PRAGMA synchronous = NORMAL")
        retry(path, timeout, lambda: migrate(conn, path))
    except sqlite3.Error as exc:
        conn.close()
        raise translate(path, exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _check_header(conn: sqlite3.Connection, path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > latest_version():
        raise StoreTooNew(
            f"database {path} was written by a newer coach (schema {version}; this coach knows "
            f"up to {latest_version()}); upgrade coach to open it"
        )
    if version == 0:
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if tables:
            raise StoreCorrupt(f"database {path} is an SQLite file but not coach's; {_MOVE_ASIDE}")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE (the write lock up front: no deadlock on upgrade), then COMMIT/ROLLBACK."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Run every migration not yet applied, each in its own transaction; return the version."""
    while True:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version >= latest_version():
            return version
        with transaction(conn):
            # Another process may have migrated between our read and our lock.
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current != version:
                continue
            schema.MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
