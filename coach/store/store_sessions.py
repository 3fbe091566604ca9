"""The sessions part of `Store`: practice sessions that group a candidate's attempts."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from coach.store.errors import NotFound
from coach.store.models import DEFAULT_CANDIDATE, PlanStep, Session, SessionPlan, utc_now
from coach.store.rows import row_to_session, steps_to_json, to_ts
from coach.store.store_candidates import CandidatesMixin


class SessionsMixin(CandidatesMixin):
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
