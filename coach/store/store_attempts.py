"""The attempts part of `Store`: saving scored answers, finding them, notes and coach's grades.

Every change to a question's attempts reschedules that question (see store_schedule.py).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol, cast

from coach.store.errors import InvalidValue, NotFound
from coach.store.models import DEFAULT_CANDIDATE, MODES, Attempt, Mode, utc_now
from coach.store.rows import check_grade, insert_attempt, row_to_attempt, since_ts, to_ts, until_ts
from coach.store.store_candidates import CandidatesMixin
from coach.store.store_schedule import ScheduleMixin


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


_ATTEMPT_SELECT = (
    "SELECT a.*, c.name AS candidate_name, s.uid AS session_uid FROM attempts a "
    "JOIN candidates c ON c.id = a.candidate_id LEFT JOIN sessions s ON s.id = a.session_id"
)


class AttemptsMixin(ScheduleMixin, CandidatesMixin):
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
            row = _attempt_row(conn, attempt_id, "coach_note")
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
            row = _attempt_row(conn, attempt_id, "candidate_id, question_id")
            conn.execute("UPDATE attempts SET human_grade = ? WHERE id = ?", (grade, attempt_id))
            self._reschedule(conn, row["candidate_id"], row["question_id"])

        self._write(update)
        return self.get_attempt(attempt_id)

    def delete_attempt(self, attempt_id: int) -> None:
        def delete(conn: sqlite3.Connection) -> None:
            row = _attempt_row(conn, attempt_id, "candidate_id, question_id")
            conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            self._reschedule(conn, row["candidate_id"], row["question_id"])

        self._write(delete)


def _attempt_row(conn: sqlite3.Connection, attempt_id: int, columns: str) -> sqlite3.Row:
    """`columns` of one attempt; NotFound if there is no such attempt."""
    row: sqlite3.Row | None = conn.execute(
        f"SELECT {columns} FROM attempts WHERE id = ?", (attempt_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"no attempt {attempt_id} (see: coach history)")
    return row
