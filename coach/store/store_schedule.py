"""The spaced-repetition part of `Store`: each candidate's due dates, stored in `schedule`.

A schedule row is never edited by hand: `_reschedule` recomputes it by replaying the question's
attempts through `coach.store.schedule` (the SM-2 rules) whenever they change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from coach.store import schedule as srs
from coach.store.models import ScheduleEntry
from coach.store.rows import from_ts, local_day, row_to_schedule
from coach.store.store_candidates import CandidatesMixin


class ScheduleMixin(CandidatesMixin):
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
