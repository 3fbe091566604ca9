"""`Store`: the practice history API the CLI and the TUI call. One SQLite file, one connection.

Every method is safe to call from any thread (one lock serialises them); every write is one
short BEGIN IMMEDIATE transaction, retried while another process holds the lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from coach.content import did_you_mean
from coach.store import schedule as srs
from coach.store.db import DEFAULT_TIMEOUT, connect, retry, transaction
from coach.store.errors import InvalidValue, NotFound
from coach.store.models import (
    DEFAULT_CANDIDATE,
    MODES,
    Attempt,
    Candidate,
    CriterionWeakness,
    Mode,
    PlanStep,
    QuestionProgress,
    ScheduleEntry,
    Session,
    SessionPlan,
    TrendPoint,
    utc_now,
)
from coach.store.plans import plan_from_dict
from coach.store.rows import (
    check_grade,
    check_name,
    from_ts,
    insert_attempt,
    local_day,
    no_candidate,
    row_to_attempt,
    row_to_candidate,
    row_to_schedule,
    row_to_session,
    since_ts,
    steps_to_json,
    to_ts,
    until_ts,
)

T = TypeVar("T")


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


_ATTEMPT_SELECT = (
    "SELECT a.*, c.name AS candidate_name, s.uid AS session_uid FROM attempts a "
    "JOIN candidates c ON c.id = a.candidate_id LEFT JOIN sessions s ON s.id = a.session_id"
)


# ---------------------------------------------------------------- the store


class Store:
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

    # ------------------------------------------------------------ candidates

    def list_candidates(self) -> list[Candidate]:
        rows = self._read("SELECT * FROM candidates ORDER BY created_at, id")
        return [row_to_candidate(r) for r in rows]

    def get_candidate(self, name: str) -> Candidate:
        rows = self._read("SELECT * FROM candidates WHERE name = ?", (" ".join(name.split()),))
        if not rows:
            raise self._no_candidate(name)
        return row_to_candidate(rows[0])

    def _no_candidate(self, name: str) -> NotFound:
        return no_candidate(name, [c.name for c in self.list_candidates()])

    def add_candidate(self, name: str, note: str = "") -> Candidate:
        clean = check_name(name)

        def add(conn: sqlite3.Connection) -> int:
            if conn.execute("SELECT 1 FROM candidates WHERE name = ?", (clean,)).fetchone():
                raise InvalidValue(f"candidate {clean!r} already exists")
            cur = conn.execute(
                "INSERT INTO candidates (name, created_at, note) VALUES (?, ?, ?)",
                (clean, to_ts(utc_now()), note),
            )
            return int(cur.lastrowid or 0)

        self._write(add)
        return self.get_candidate(clean)

    def rename_candidate(self, name: str, new_name: str) -> Candidate:
        clean = check_name(new_name)

        def rename(conn: sqlite3.Connection) -> None:
            cid = self._candidate_id(conn, name)
            other = conn.execute("SELECT id FROM candidates WHERE name = ?", (clean,)).fetchone()
            if other and other["id"] != cid:
                raise InvalidValue(f"candidate {clean!r} already exists")
            conn.execute("UPDATE candidates SET name = ? WHERE id = ?", (clean, cid))

        self._write(rename)
        return self.get_candidate(clean)

    def set_candidate_note(self, name: str, note: str) -> Candidate:
        def update(conn: sqlite3.Connection) -> None:
            cid = self._candidate_id(conn, name)
            conn.execute("UPDATE candidates SET note = ? WHERE id = ?", (note, cid))

        self._write(update)
        return self.get_candidate(name)

    def remove_candidate(self, name: str) -> int:
        """Delete a candidate with their attempts, sessions and schedule; return #attempts."""

        def remove(conn: sqlite3.Connection) -> int:
            cid = self._candidate_id(conn, name)
            count = conn.execute(
                "SELECT count(*) FROM attempts WHERE candidate_id = ?", (cid,)
            ).fetchone()[0]
            conn.execute("DELETE FROM candidates WHERE id = ?", (cid,))
            return int(count)

        return self._write(remove)

    def _candidate_id(self, conn: sqlite3.Connection, name: str, create: bool = False) -> int:
        clean = " ".join(str(name).split())
        row = conn.execute("SELECT id FROM candidates WHERE name = ?", (clean,)).fetchone()
        if row:
            return int(row["id"])
        if create or clean == DEFAULT_CANDIDATE:
            cur = conn.execute(
                "INSERT INTO candidates (name, created_at) VALUES (?, ?)",
                (check_name(clean), to_ts(utc_now())),
            )
            return int(cur.lastrowid or 0)
        raise self._no_candidate_in(conn, clean)

    @staticmethod
    def _no_candidate_in(conn: sqlite3.Connection, name: str) -> NotFound:
        names = [r["name"] for r in conn.execute("SELECT name FROM candidates ORDER BY id")]
        return no_candidate(name, names)

    # ------------------------------------------------------------ attempts

    def save_attempt(
        self,
        *,
        result: HasToDict | Mapping[str, Any],
        answer: str,
        mode: Mode = "typed",
        candidate: str = DEFAULT_CANDIDATE,
        content_hash: str = "",
        scenario: str = "",
        started_at: datetime | None = None,
        submitted_at: datetime | None = None,
        seconds_taken: float | None = None,
        target_seconds: int | None = None,
        delivery: Mapping[str, Any] | HasToDict | None = None,
        session_id: int | None = None,
    ) -> Attempt:
        """Save one scored answer and move its question's due date; return the saved attempt.

        `result` is the `ScoreResult` (or its `to_dict()`); it is kept whole, as JSON.
        `candidate` must exist, except the default profile "me", which is created on demand.
        `delivery` is speech metrics (`coach.speech.delivery.Delivery` or its `to_dict()`).
        """
        if delivery is not None and not isinstance(delivery, Mapping):
            delivery = delivery.to_dict()
        data = dict(result) if isinstance(result, Mapping) else result.to_dict()
        question_id = str(data.get("question") or "")
        if not question_id:
            raise InvalidValue("the result names no question")
        overall, grade = data.get("overall"), data.get("grade")
        if isinstance(overall, bool) or not isinstance(overall, int) or not 0 <= overall <= 100:
            raise InvalidValue(f"result overall must be 0 to 100, got {overall!r}")
        check_grade(cast(int, grade), "result grade")
        if mode not in MODES:
            raise InvalidValue(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if seconds_taken is not None and seconds_taken < 0:
            raise InvalidValue("seconds_taken must not be negative")
        submitted = submitted_at or utc_now()
        values = {
            "uid": uuid.uuid4().hex,
            "session_id": session_id,
            "question_id": question_id,
            "scenario": scenario,
            "mode": mode,
            "answer": answer,
            "started_at": to_ts(started_at) if started_at else None,
            "submitted_at": to_ts(submitted),
            "seconds_taken": seconds_taken,
            "target_seconds": target_seconds,
            "overall": overall,
            "grade": grade,
            "result": json.dumps(data, ensure_ascii=False),
            "content_hash": content_hash,
            "delivery": (
                json.dumps(dict(delivery), ensure_ascii=False) if delivery is not None else None
            ),
        }

        def save(conn: sqlite3.Connection) -> int:
            cid = self._candidate_id(conn, candidate)
            if session_id is not None:
                row = conn.execute(
                    "SELECT candidate_id FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                if row is None:
                    raise NotFound(f"no session {session_id}")
                if row["candidate_id"] != cid:
                    raise InvalidValue(f"session {session_id} belongs to another candidate")
            attempt_id = insert_attempt(conn, cid, values)
            self._reschedule(conn, cid, question_id)
            return attempt_id

        return self.get_attempt(self._write(save))

    def get_attempt(self, attempt_id: int) -> Attempt:
        rows = self._read(f"{_ATTEMPT_SELECT} WHERE a.id = ?", (attempt_id,))
        if not rows:
            raise NotFound(f"no attempt {attempt_id} (see: coach history)")
        return row_to_attempt(rows[0])

    def list_attempts(
        self,
        *,
        candidate: str | None = None,
        question: str | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        session: int | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Attempt]:
        """Attempts matching every filter given, oldest first (or newest first).

        `since`/`until` take a datetime, or a date meaning that whole local day (inclusive).
        `limit` keeps the most recent ones. An unknown candidate raises NotFound.
        """
        where, params = self._filters(candidate, question, since, until, session)
        sql = f"{_ATTEMPT_SELECT}{where} ORDER BY a.submitted_at DESC, a.id DESC"
        if limit is not None:
            sql += f" LIMIT {max(0, int(limit))}"
        attempts = [row_to_attempt(r) for r in self._read(sql, params)]
        return attempts if newest_first else attempts[::-1]

    def _filters(
        self,
        candidate: str | None,
        question: str | None,
        since: datetime | date | None,
        until: datetime | date | None,
        session: int | None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if candidate is not None:
            clauses.append("a.candidate_id = ?")
            params.append(self.get_candidate(candidate).id)
        if question is not None:
            clauses.append("a.question_id = ?")
            params.append(question)
        if (low := since_ts(since)) is not None:
            clauses.append("a.submitted_at >= ?")
            params.append(low)
        if (high := until_ts(until)) is not None:
            clauses.append("a.submitted_at < ?")
            params.append(high)
        if session is not None:
            clauses.append("a.session_id = ?")
            params.append(session)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def add_note(self, attempt_id: int, note: str, *, append: bool = False) -> Attempt:
        """Set (or append a paragraph to) the coach's note on an attempt; "" clears it."""

        def update(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "SELECT coach_note FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no attempt {attempt_id} (see: coach history)")
            text = note.strip()
            if append and row["coach_note"] and text:
                text = f"{row['coach_note']}\n\n{text}"
            conn.execute("UPDATE attempts SET coach_note = ? WHERE id = ?", (text, attempt_id))

        self._write(update)
        return self.get_attempt(attempt_id)

    def set_human_grade(self, attempt_id: int, grade: int | None) -> Attempt:
        """A coach's grade 1-5 (None clears it); it overrides the scorer's grade for scheduling."""
        if grade is not None:
            check_grade(grade, "human grade")

        def update(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "SELECT candidate_id, question_id FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no attempt {attempt_id} (see: coach history)")
            conn.execute("UPDATE attempts SET human_grade = ? WHERE id = ?", (grade, attempt_id))
            self._reschedule(conn, row["candidate_id"], row["question_id"])

        self._write(update)
        return self.get_attempt(attempt_id)

    def delete_attempt(self, attempt_id: int) -> None:
        def delete(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "SELECT candidate_id, question_id FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no attempt {attempt_id} (see: coach history)")
            conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            self._reschedule(conn, row["candidate_id"], row["question_id"])

        self._write(delete)

    # ------------------------------------------------------------ progress

    def trends(
        self,
        candidate: str,
        *,
        question: str | None = None,
        since: datetime | date | None = None,
    ) -> dict[str, list[TrendPoint]]:
        """Series for charts, oldest first: "overall" (0-100), "grade" (1-5, the coach's when
        given) and each criterion id (0-1)."""
        out: dict[str, list[TrendPoint]] = defaultdict(list)
        for a in self.list_attempts(candidate=candidate, question=question, since=since):
            out["overall"].append(TrendPoint(a.submitted_at, float(a.overall), a.id, a.question_id))
            out["grade"].append(
                TrendPoint(a.submitted_at, float(a.effective_grade), a.id, a.question_id)
            )
            for criterion, score in a.criterion_scores().items():
                out[criterion].append(TrendPoint(a.submitted_at, score, a.id, a.question_id))
        return dict(out)

    def trend(
        self,
        candidate: str,
        criterion: str = "overall",
        *,
        question: str | None = None,
        since: datetime | date | None = None,
    ) -> list[TrendPoint]:
        """One series of `trends` (a criterion id, "overall" or "grade")."""
        return self.trends(candidate, question=question, since=since).get(criterion, [])

    def weakest_criteria(
        self, candidate: str, *, last: int = 10, question: str | None = None
    ) -> list[CriterionWeakness]:
        """Criteria by mean score over the candidate's `last` attempts, weakest first."""
        scores: dict[str, list[float]] = defaultdict(list)
        passes: dict[str, list[bool]] = defaultdict(list)
        for a in self.list_attempts(candidate=candidate, question=question, limit=last):
            for criterion, score in a.criterion_scores().items():
                scores[criterion].append(score)
            for criterion, ok in a.criterion_passed().items():
                passes[criterion].append(ok)
        out = [
            CriterionWeakness(
                criterion=c,
                mean_score=round(sum(v) / len(v), 4),
                pass_rate=round(sum(passes[c]) / len(passes[c]), 4) if passes[c] else 0.0,
                attempts=len(v),
            )
            for c, v in scores.items()
        ]
        return sorted(out, key=lambda w: (w.mean_score, w.pass_rate, w.criterion))

    def weakest_questions(self, candidate: str) -> list[QuestionProgress]:
        """Every practised question, weakest first (last grade, then mean overall)."""
        by_question: dict[str, list[Attempt]] = defaultdict(list)
        for a in self.list_attempts(candidate=candidate):
            by_question[a.question_id].append(a)
        due = {e.question_id: e.due_on for e in self.schedule(candidate)}
        out = [
            QuestionProgress(
                question_id=q,
                attempts=len(items),
                last_grade=items[-1].effective_grade,
                best_grade=max(a.effective_grade for a in items),
                mean_overall=round(sum(a.overall for a in items) / len(items), 2),
                last_practised=items[-1].submitted_at,
                due_on=due.get(q),
            )
            for q, items in by_question.items()
        ]
        return sorted(out, key=lambda p: (p.last_grade, p.mean_overall, p.question_id))

    # ------------------------------------------------------------ spaced repetition

    def schedule(self, candidate: str) -> list[ScheduleEntry]:
        """The spaced-repetition state of every practised question, soonest due first."""
        cid = self.get_candidate(candidate).id
        rows = self._read(
            "SELECT s.*, c.name AS candidate_name FROM schedule s "
            "JOIN candidates c ON c.id = s.candidate_id WHERE s.candidate_id = ? "
            "ORDER BY s.due_on, s.last_grade, s.question_id",
            (cid,),
        )
        return [row_to_schedule(r) for r in rows]

    def due_questions(self, candidate: str, today: date | None = None) -> list[ScheduleEntry]:
        """Questions due on or before `today` (default: today here), most overdue first."""
        day = today or date.today()
        return [e for e in self.schedule(candidate) if e.is_due(day)]

    def practice_order(
        self, candidate: str, question_ids: Sequence[str], today: date | None = None
    ) -> list[str]:
        """`question_ids` ranked for a "due first" drill: due, then never practised, then the
        rest by due date."""
        day = today or date.today()
        entries = {e.question_id: e for e in self.schedule(candidate)}
        due = [q for q in entries if entries[q].is_due(day) and q in question_ids]
        new = [q for q in question_ids if q not in entries]
        later = [q for q in entries if not entries[q].is_due(day) and q in question_ids]
        return due + new + later

    def _reschedule(self, conn: sqlite3.Connection, candidate_id: int, question_id: str) -> None:
        rows = conn.execute(
            "SELECT submitted_at, grade, human_grade FROM attempts "
            "WHERE candidate_id = ? AND question_id = ? ORDER BY submitted_at, id",
            (candidate_id, question_id),
        ).fetchall()
        if not rows:
            conn.execute(
                "DELETE FROM schedule WHERE candidate_id = ? AND question_id = ?",
                (candidate_id, question_id),
            )
            return
        history = [
            (local_day(from_ts(r["submitted_at"])), r["human_grade"] or r["grade"]) for r in rows
        ]
        state = srs.replay(history)
        conn.execute(
            "INSERT OR REPLACE INTO schedule (candidate_id, question_id, due_on, interval_days, "
            "repetitions, ease, last_grade, last_practised, reviews) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                candidate_id,
                question_id,
                (state.due_on or history[-1][0]).isoformat(),
                state.interval_days,
                state.repetitions,
                state.ease,
                state.last_grade,
                rows[-1]["submitted_at"],
                state.reviews,
            ),
        )

    def reschedule_all(self) -> None:
        """Recompute every schedule row from the attempts (after an import)."""

        def run(conn: sqlite3.Connection) -> None:
            self._reschedule_all(conn)

        self._write(run)

    def _reschedule_all(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM schedule")
        pairs = conn.execute("SELECT DISTINCT candidate_id, question_id FROM attempts").fetchall()
        for pair in pairs:
            self._reschedule(conn, pair["candidate_id"], pair["question_id"])

    # ------------------------------------------------------------ plans

    def save_plan(self, plan: SessionPlan, *, replace: bool = False) -> SessionPlan:
        plan = plan_from_dict(plan.to_dict())  # validate

        def save(conn: sqlite3.Connection) -> None:
            exists = conn.execute(
                "SELECT id FROM session_plans WHERE name = ?", (plan.name,)
            ).fetchone()
            spec = json.dumps(plan.to_dict(), ensure_ascii=False)
            if exists and not replace:
                raise InvalidValue(f"a plan named {plan.name!r} already exists")
            if exists:
                conn.execute(
                    "UPDATE session_plans SET name = ?, spec = ? WHERE id = ?",
                    (plan.name, spec, exists["id"]),
                )
            else:
                conn.execute(
                    "INSERT INTO session_plans (name, spec, created_at) VALUES (?, ?, ?)",
                    (plan.name, spec, to_ts(utc_now())),
                )

        self._write(save)
        return self.get_plan(plan.name)

    def get_plan(self, name: str) -> SessionPlan:
        rows = self._read("SELECT spec FROM session_plans WHERE name = ?", (name.strip(),))
        if not rows:
            names = [p.name for p in self.list_plans()]
            raise NotFound(f"no session plan {name!r}{did_you_mean(name, names)}")
        return plan_from_dict(json.loads(rows[0]["spec"]))

    def list_plans(self) -> list[SessionPlan]:
        rows = self._read("SELECT spec FROM session_plans ORDER BY name")
        return [plan_from_dict(json.loads(r["spec"])) for r in rows]

    def delete_plan(self, name: str) -> None:
        def delete(conn: sqlite3.Connection) -> None:
            cur = conn.execute("DELETE FROM session_plans WHERE name = ?", (name.strip(),))
            if cur.rowcount == 0:
                raise NotFound(f"no session plan {name!r}")

        self._write(delete)

    # ------------------------------------------------------------ sessions

    def start_session(
        self,
        candidate: str = DEFAULT_CANDIDATE,
        *,
        plan: SessionPlan | None = None,
        steps: Sequence[PlanStep] = (),
        started_at: datetime | None = None,
    ) -> Session:
        """Open a practice session; pass its id to `save_attempt(session_id=...)`."""

        def start(conn: sqlite3.Connection) -> int:
            cid = self._candidate_id(conn, candidate)
            cur = conn.execute(
                "INSERT INTO sessions (uid, candidate_id, plan, steps, started_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    uuid.uuid4().hex,
                    cid,
                    json.dumps(plan.to_dict(), ensure_ascii=False) if plan else None,
                    steps_to_json(steps),
                    to_ts(started_at or utc_now()),
                ),
            )
            return int(cur.lastrowid or 0)

        return self.get_session(self._write(start))

    def end_session(
        self, session_id: int, *, note: str | None = None, ended_at: datetime | None = None
    ) -> Session:
        def end(conn: sqlite3.Connection) -> None:
            cur = conn.execute(
                "UPDATE sessions SET ended_at = ?, note = coalesce(?, note) WHERE id = ?",
                (to_ts(ended_at or utc_now()), note, session_id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no session {session_id}")

        self._write(end)
        return self.get_session(session_id)

    def get_session(self, session_id: int) -> Session:
        rows = self._read(
            "SELECT s.*, c.name AS candidate_name FROM sessions s "
            "JOIN candidates c ON c.id = s.candidate_id WHERE s.id = ?",
            (session_id,),
        )
        if not rows:
            raise NotFound(f"no session {session_id}")
        return row_to_session(rows[0])

    def list_sessions(self, candidate: str | None = None) -> list[Session]:
        sql = (
            "SELECT s.*, c.name AS candidate_name FROM sessions s "
            "JOIN candidates c ON c.id = s.candidate_id"
        )
        params: tuple[Any, ...] = ()
        if candidate is not None:
            sql += " WHERE s.candidate_id = ?"
            params = (self.get_candidate(candidate).id,)
        return [row_to_session(r) for r in self._read(sql + " ORDER BY s.started_at, s.id", params)]

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
