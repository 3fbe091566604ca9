"""Moving all data in and out as JSONL, without loss.

The first line is a header ``{"type": "coach-export", "format": 1, ...}``; then one record a
line, each with a "type": ``candidate`` (by name), ``plan`` (by name), ``session`` and
``attempt`` (by their stable ``uid``), and ``schedule`` (derived from the attempts; written for
other tools and recomputed on import). Timestamps are ISO 8601 in UTC.

Import merges: records already present (same uid or name) are kept, a note or human grade
missing locally is taken from the file, and a candidate keeps the earlier creation time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from coach.store.db import latest_version
from coach.store.errors import ImportFormatError, InvalidValue, StoreError
from coach.store.models import MODES, Attempt, Session
from coach.store.plans import plan_from_dict
from coach.store.rows import (
    check_name,
    from_ts,
    insert_attempt,
    steps_from_json,
    steps_to_json,
    to_ts,
)
from coach.store.store import Store

FORMAT = "coach-export"
FORMAT_VERSION = 1


# ---------------------------------------------------------------- export


def session_record(session: Session) -> dict[str, Any]:
    return {
        "type": "session",
        "uid": session.uid,
        "candidate": session.candidate,
        "plan": session.plan.to_dict() if session.plan else None,
        "steps": [{"question": s.question_id, "seconds": s.seconds} for s in session.steps],
        "started_at": to_ts(session.started_at),
        "ended_at": to_ts(session.ended_at) if session.ended_at else None,
        "note": session.note,
    }


def attempt_record(attempt: Attempt, session_uid: str | None = None) -> dict[str, Any]:
    """An attempt as a plain JSON object (also what `coach history --json` prints)."""
    return {
        "type": "attempt",
        "uid": attempt.uid,
        "candidate": attempt.candidate,
        "session": session_uid,
        "question": attempt.question_id,
        "scenario": attempt.scenario,
        "mode": attempt.mode,
        "answer": attempt.answer,
        "started_at": to_ts(attempt.started_at) if attempt.started_at else None,
        "submitted_at": to_ts(attempt.submitted_at),
        "seconds_taken": attempt.seconds_taken,
        "target_seconds": attempt.target_seconds,
        "overall": attempt.overall,
        "grade": attempt.grade,
        "human_grade": attempt.human_grade,
        "coach_note": attempt.coach_note,
        "content_hash": attempt.content_hash,
        "delivery": dict(attempt.delivery) if attempt.delivery is not None else None,
        "result": dict(attempt.result),
    }


def export_records(store: Store) -> Iterator[dict[str, Any]]:
    yield {
        "type": FORMAT,
        "format": FORMAT_VERSION,
        "schema": latest_version(),
        "exported_at": to_ts(datetime.now().astimezone()),
    }
    candidates = store.list_candidates()
    for c in candidates:
        created = to_ts(c.created_at)
        yield {"type": "candidate", "name": c.name, "created_at": created, "note": c.note}
    for row in store._read("SELECT spec, created_at FROM session_plans ORDER BY name"):
        yield {"type": "plan", "created_at": row["created_at"], "plan": json.loads(row["spec"])}
    sessions = store.list_sessions()
    session_uids = {s.id: s.uid for s in sessions}
    for s in sessions:
        yield session_record(s)
    for a in store.list_attempts():
        yield attempt_record(a, session_uids.get(a.session_id) if a.session_id else None)
    for c in candidates:
        for e in store.schedule(c.name):
            yield {
                "type": "schedule",
                "candidate": e.candidate,
                "question": e.question_id,
                "due_on": e.due_on.isoformat(),
                "interval_days": e.interval_days,
                "repetitions": e.repetitions,
                "ease": e.ease,
                "last_grade": e.last_grade,
                "last_practised": to_ts(e.last_practised),
                "reviews": e.reviews,
            }


def write_export(store: Store, out: TextIO) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in export_records(store):
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    counts.pop(FORMAT, None)
    return counts


def export_jsonl(store: Store, path: Path) -> dict[str, int]:
    """Write the export to `path` ("-": standard output), owner-readable only, atomically."""
    if str(path) == "-":
        return write_export(store, sys.stdout)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            counts = write_export(store, out)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path} ({exc.strerror})") from None
    return counts


# ---------------------------------------------------------------- import


class _Record:
    """One parsed line with typed getters that name the file, line and field on error."""

    def __init__(self, path: Path, line: int, data: Mapping[str, Any]) -> None:
        self.path, self.line, self.data = path, line, data

    def error(self, field: str, problem: str) -> ImportFormatError:
        label = f" field '{field}':" if field else ""
        return ImportFormatError(f"{self.path}:{self.line}:{label} {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], optional: bool = False) -> Any:
        if key not in self.data or self.data[key] is None:
            if optional:
                return None
            raise self.error(key, "required field is missing")
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(key, f"expected {_names(kinds)}, got {value!r}")
        if float in kinds and isinstance(value, int):
            return value
        if not isinstance(value, kinds):
            raise self.error(key, f"expected {_names(kinds)}, got {type(value).__name__}")
        return value

    def text(self, key: str, optional: bool = False) -> str:
        value = self.get(key, str, optional)
        return "" if value is None else str(value)

    def ts(self, key: str, optional: bool = False) -> str | None:
        value = self.get(key, str, optional)
        if value is None:
            return None
        try:
            return to_ts(from_ts(value))
        except ValueError:
            raise self.error(key, f"not an ISO 8601 timestamp: {value!r}") from None

    def int_in(self, key: str, low: int, high: int, optional: bool = False) -> int | None:
        value = self.get(key, int, optional)
        if value is not None and not low <= value <= high:
            raise self.error(key, f"must be {low} to {high}, got {value}")
        return None if value is None else int(value)


def _names(kinds: tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "a whole number",
        float: "a number",
        dict: "an object",
        list: "a list",
        bool: "true or false",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def read_records(path: Path) -> list[_Record]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ImportFormatError(f"{path}: is a directory, expected a JSONL export") from None
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path}: not UTF-8 text (bad byte at {exc.start})") from None
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot read ({exc.strerror})") from None
    records: list[_Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise ImportFormatError(f"{path}:{number}: expected a JSON object")
        records.append(_Record(path, number, data))
    if not records or records[0].data.get("type") != FORMAT:
        where = f"{path}:{records[0].line}" if records else str(path)
        raise ImportFormatError(
            f"{where}: not a coach export (the first line must be a '{FORMAT}' header)"
        )
    version = records[0].data.get("format")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ImportFormatError(
            f"{path}:{records[0].line}: field 'format': export format {version!r} is newer than "
            f"this coach reads ({FORMAT_VERSION}); upgrade coach"
        )
    return records[1:]


def import_jsonl(store: Store, path: Path) -> dict[str, int]:
    """Merge an export into the store in one transaction (all or nothing)."""
    records = read_records(path)
    by_type: dict[str, list[_Record]] = {}
    for record in records:
        kind = record.data.get("type")
        if kind not in ("candidate", "plan", "session", "attempt", "schedule"):
            raise record.error("type", f"unknown record type {kind!r}")
        by_type.setdefault(str(kind), []).append(record)

    def run(conn: sqlite3.Connection) -> dict[str, int]:
        counts = {"candidates": 0, "plans": 0, "sessions": 0, "attempts": 0, "skipped": 0}
        importer = _Importer(store, conn, counts)
        for record in by_type.get("candidate", []):
            importer.candidate(record)
        for record in by_type.get("plan", []):
            importer.plan(record)
        for record in by_type.get("session", []):
            importer.session(record)
        for record in by_type.get("attempt", []):
            importer.attempt(record)
        store._reschedule_all(conn)
        return counts

    return store._write(run)


class _Importer:
    def __init__(self, store: Store, conn: sqlite3.Connection, counts: dict[str, int]) -> None:
        self.store, self.conn, self.counts = store, conn, counts
        self.sessions: dict[str, int] = {
            r["uid"]: r["id"] for r in conn.execute("SELECT uid, id FROM sessions")
        }

    def candidate_id(self, record: _Record, key: str = "candidate") -> int:
        try:
            name = check_name(record.text(key))
        except InvalidValue as exc:
            raise record.error(key, str(exc)) from None
        row = self.conn.execute("SELECT id FROM candidates WHERE name = ?", (name,)).fetchone()
        if row:
            return int(row["id"])
        self.counts["candidates"] += 1
        cur = self.conn.execute(
            "INSERT INTO candidates (name, created_at) VALUES (?, ?)", (name, to_ts(datetime.now()))
        )
        return int(cur.lastrowid or 0)

    def candidate(self, record: _Record) -> None:
        cid = self.candidate_id(record, "name")
        created = record.ts("created_at")
        note = record.text("note", optional=True)
        self.conn.execute(
            "UPDATE candidates SET created_at = min(created_at, ?), "
            "note = CASE WHEN note = '' THEN ? ELSE note END WHERE id = ?",
            (created, note, cid),
        )

    def plan(self, record: _Record) -> None:
        spec = record.get("plan", dict)
        try:
            plan = plan_from_dict(spec)
        except InvalidValue as exc:
            raise record.error("plan", str(exc)) from None
        created = record.ts("created_at")
        if self.conn.execute("SELECT 1 FROM session_plans WHERE name = ?", (plan.name,)).fetchone():
            self.counts["skipped"] += 1
            return
        self.conn.execute(
            "INSERT INTO session_plans (name, spec, created_at) VALUES (?, ?, ?)",
            (plan.name, json.dumps(plan.to_dict(), ensure_ascii=False), created),
        )
        self.counts["plans"] += 1

    def session(self, record: _Record) -> None:
        uid = record.text("uid")
        if uid in self.sessions:
            self.counts["skipped"] += 1
            return
        cid = self.candidate_id(record)
        spec = record.get("plan", dict, optional=True)
        try:
            plan = plan_from_dict(spec) if spec else None
        except InvalidValue as exc:
            raise record.error("plan", str(exc)) from None
        steps_raw = record.get("steps", list, optional=True) or []
        try:
            steps = steps_from_json(json.dumps(steps_raw))
        except (KeyError, TypeError, AttributeError):
            raise record.error("steps", "expected a list of {question, seconds}") from None
        cur = self.conn.execute(
            "INSERT INTO sessions (uid, candidate_id, plan, steps, started_at, ended_at, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                uid,
                cid,
                json.dumps(plan.to_dict(), ensure_ascii=False) if plan else None,
                steps_to_json(steps),
                record.ts("started_at"),
                record.ts("ended_at", optional=True),
                record.text("note", optional=True),
            ),
        )
        self.sessions[uid] = int(cur.lastrowid or 0)
        self.counts["sessions"] += 1

    def attempt(self, record: _Record) -> None:
        uid = record.text("uid")
        note = record.text("coach_note", optional=True)
        human = record.int_in("human_grade", 1, 5, optional=True)
        existing = self.conn.execute(
            "SELECT id, coach_note, human_grade FROM attempts WHERE uid = ?", (uid,)
        ).fetchone()
        if existing:
            self.conn.execute(
                "UPDATE attempts SET coach_note = CASE WHEN coach_note = '' THEN ? "
                "ELSE coach_note END, human_grade = coalesce(human_grade, ?) WHERE id = ?",
                (note, human, existing["id"]),
            )
            self.counts["skipped"] += 1
            return
        mode = record.text("mode")
        if mode not in MODES:
            raise record.error("mode", f"expected one of {', '.join(MODES)}, got {mode!r}")
        session_uid = record.text("session", optional=True)
        session_id = None
        if session_uid:
            if session_uid not in self.sessions:
                raise record.error("session", f"session {session_uid!r} is not in the file")
            session_id = self.sessions[session_uid]
        result = record.get("result", dict)
        question = record.text("question")
        if result.get("question") not in (None, question):
            raise record.error("result", "names another question than the record")
        delivery = record.get("delivery", dict, optional=True)
        values = {
            "uid": uid,
            "session_id": session_id,
            "question_id": question,
            "scenario": record.text("scenario", optional=True),
            "mode": mode,
            "answer": record.text("answer"),
            "started_at": record.ts("started_at", optional=True),
            "submitted_at": record.ts("submitted_at"),
            "seconds_taken": record.get("seconds_taken", float, optional=True),
            "target_seconds": record.get("target_seconds", int, optional=True),
            "overall": record.int_in("overall", 0, 100),
            "grade": record.int_in("grade", 1, 5),
            "result": json.dumps(result, ensure_ascii=False),
            "content_hash": record.text("content_hash", optional=True),
            "delivery": json.dumps(delivery, ensure_ascii=False) if delivery is not None else None,
            "coach_note": note,
            "human_grade": human,
        }
        insert_attempt(self.conn, self.candidate_id(record), values)
        self.counts["attempts"] += 1
