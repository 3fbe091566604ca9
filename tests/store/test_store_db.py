"""The database file: migrations, permissions, WAL, locking, corruption, concurrent writers."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
import store_workers

from coach.scoring import ScoreResult
from coach.store import Store, StoreCorrupt, StoreLocked, StoreTooNew, latest_version
from coach.store import schema as schema_module


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_migrated_with_default_candidate(store: Store) -> None:
    assert store.schema_version == latest_version() >= 1
    assert [c.name for c in store.list_candidates()] == ["me"]
    conn = sqlite3.connect(store.path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert {"candidates", "attempts", "sessions", "session_plans", "schedule"} <= tables


def test_wal_and_foreign_keys_are_on(store: Store) -> None:
    assert store._read("PRAGMA journal_mode")[0][0] == "wal"
    assert store._read("PRAGMA foreign_keys")[0][0] == 1
    assert store._read("PRAGMA busy_timeout")[0][0] == 5000


def test_files_are_private_to_the_owner(db_path: Path, results: dict[str, ScoreResult]) -> None:
    old = os.umask(0o022)  # a permissive umask must not widen the files
    try:
        with Store(db_path) as store:
            store.save_attempt(result=results["weak"], answer="x")
            for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
                if path.exists():
                    assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    finally:
        os.umask(old)


def test_reopening_keeps_data_and_version(db_path: Path, results: dict[str, ScoreResult]) -> None:
    with Store(db_path) as store:
        saved = store.save_attempt(result=results["weak"], answer="first")
    with Store(db_path) as store:
        assert store.schema_version == latest_version()
        assert [a.uid for a in store.list_attempts()] == [saved.uid]
        assert len(store.list_candidates()) == 1  # the default is not added twice


def test_a_new_migration_upgrades_an_old_database(
    db_path: Path, results: dict[str, ScoreResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db_path) as store:
        saved = store.save_attempt(result=results["weak"], answer="kept")

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE attempts ADD COLUMN rubric_version TEXT NOT NULL DEFAULT 'v1'")

    monkeypatch.setattr(schema_module, "MIGRATIONS", [*schema_module.MIGRATIONS, add_column])
    with Store(db_path) as store:
        assert store.schema_version == latest_version() == 2
        assert store.get_attempt(saved.id).answer == "kept"
        assert store._read("SELECT rubric_version FROM attempts")[0][0] == "v1"


def test_a_failing_migration_is_rolled_back(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db_path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema_module, "MIGRATIONS", [*schema_module.MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        Store(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchone()
    conn.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(db_path)
    with pytest.raises(StoreTooNew, match="newer coach"):
        Store(db_path)
    assert digest(db_path) == before


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StoreCorrupt, match="not coach's"):
        Store(path)
    assert digest(path) == before


def test_a_garbage_file_gives_a_clear_error_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    path.write_bytes(b"this is not a database at all\n" * 200)
    before, mtime = digest(path), path.stat().st_mtime_ns
    with pytest.raises(StoreCorrupt) as info:
        Store(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and "damaged or not a database" in message
    assert "left untouched" in message
    assert digest(path) == before and path.stat().st_mtime_ns == mtime
    assert not Path(f"{path}-wal").exists()


def test_damaged_pages_give_a_clear_error_and_the_file_is_untouched(
    db_path: Path, results: dict[str, ScoreResult]
) -> None:
    with Store(db_path) as store:
        for n in range(40):
            store.save_attempt(result=results["strong"], answer=f"answer {n} " * 50)
    # Checkpointed and closed: everything is in the main file. Overwrite pages past the header.
    raw = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 2, len(raw), page):
        raw[offset : offset + 200] = b"\xff" * 200
    db_path.write_bytes(bytes(raw))
    before = digest(db_path)
    with pytest.raises(StoreCorrupt, match="damaged"), Store(db_path) as store:
        store.list_attempts()
    assert digest(db_path) == before


def test_a_locked_database_is_waited_for(db_path: Path, results: dict[str, ScoreResult]) -> None:
    Store(db_path).close()
    ready = threading.Event()
    holder = threading.Thread(target=store_workers.hold_lock, args=(str(db_path), 1.0, ready))
    holder.start()
    assert ready.wait(5)
    start = time.monotonic()
    with Store(db_path, timeout=10) as store:
        saved = store.save_attempt(result=results["weak"], answer="after the lock")
    waited = time.monotonic() - start
    holder.join()
    assert saved.id == 1
    assert waited >= 0.5


def test_a_lock_held_too_long_gives_a_clear_error(
    db_path: Path, results: dict[str, ScoreResult]
) -> None:
    with Store(db_path, timeout=0.5) as store:
        ready = threading.Event()
        holder = threading.Thread(target=store_workers.hold_lock, args=(str(db_path), 2.5, ready))
        holder.start()
        assert ready.wait(5)
        try:
            with pytest.raises(StoreLocked, match="locked by another program"):
                store.save_attempt(result=results["weak"], answer="x")
        finally:
            holder.join()
        assert store.list_attempts() == []
        store.save_attempt(result=results["weak"], answer="later")  # usable again


def test_two_processes_saving_at_once_lose_nothing(
    db_path: Path, results: dict[str, ScoreResult]
) -> None:
    with Store(db_path) as store:
        store.add_candidate("ana")
        store.add_candidate("ben")
    payload = results["medium"].to_dict()
    count = 60
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        jobs = [
            pool.apply_async(store_workers.save_many, (str(db_path), name, payload, count))
            for name in ("ana", "ben")
        ]
        ids = [job.get(timeout=120) for job in jobs]
    assert len(set(ids[0]) | set(ids[1])) == 2 * count
    with Store(db_path) as store:
        for name in ("ana", "ben"):
            attempts = store.list_attempts(candidate=name)
            assert sorted(a.answer for a in attempts) == sorted(
                f"{name} answer {n}" for n in range(count)
            )
            assert store.schedule(name)[0].reviews == count
        assert store._read("PRAGMA integrity_check")[0][0] == "ok"


def test_one_store_is_safe_across_threads(store: Store, results: dict[str, ScoreResult]) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(10):
                store.save_attempt(result=results["weak"], answer=f"{n}-{k}")
                store.list_attempts(limit=3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(store.list_attempts()) == 40


def test_a_directory_path_is_a_clear_error(tmp_path: Path) -> None:
    from coach.store import StoreError

    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)
