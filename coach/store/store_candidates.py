"""The candidates part of `Store`: the people who practise, each with their own history."""

from __future__ import annotations

import sqlite3

from coach.store.errors import InvalidValue, NotFound
from coach.store.models import DEFAULT_CANDIDATE, Candidate, utc_now
from coach.store.rows import check_name, no_candidate, row_to_candidate, to_ts
from coach.store.store_base import StoreBase


class CandidatesMixin(StoreBase):
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
