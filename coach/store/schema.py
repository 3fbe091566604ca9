"""The schema as a list of migrations; `PRAGMA user_version` counts how many have run.

Never edit a released migration: append a new one. Each runs in its own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from coach.store.models import DEFAULT_CANDIDATE

Migration = Callable[[sqlite3.Connection], None]


def _v1_initial(conn: sqlite3.Connection) -> None:
    statements = [
        """
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )
        """,
        """
        CREATE TABLE session_plans (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            spec TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            plan TEXT,
            steps TEXT NOT NULL DEFAULT '[]',
            started_at TEXT NOT NULL,
            ended_at TEXT,
            note TEXT NOT NULL DEFAULT ''
        )
        """,
        """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            question_id TEXT NOT NULL,
            scenario TEXT NOT NULL DEFAULT '',
            mode TEXT NOT NULL CHECK (mode IN ('typed', 'spoken', 'file')),
            answer TEXT NOT NULL,
            started_at TEXT,
            submitted_at TEXT NOT NULL,
            seconds_taken REAL,
            target_seconds INTEGER,
            overall INTEGER NOT NULL CHECK (overall BETWEEN 0 AND 100),
            grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
            result TEXT NOT NULL,
            content_hash TEXT NOT NULL DEFAULT '',
            delivery TEXT,
            coach_note TEXT NOT NULL DEFAULT '',
            human_grade INTEGER CHECK (human_grade BETWEEN 1 AND 5)
        )
        """,
        "CREATE INDEX attempts_by_time ON attempts (candidate_id, submitted_at)",
        "CREATE INDEX attempts_by_question ON attempts (candidate_id, question_id, submitted_at)",
        "CREATE INDEX attempts_by_session ON attempts (session_id)",
        """
        CREATE TABLE schedule (
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            due_on TEXT NOT NULL,
            interval_days INTEGER NOT NULL,
            repetitions INTEGER NOT NULL,
            ease REAL NOT NULL,
            last_grade INTEGER NOT NULL,
            last_practised TEXT NOT NULL,
            reviews INTEGER NOT NULL,
            PRIMARY KEY (candidate_id, question_id)
        )
        """,
        "CREATE INDEX schedule_by_due ON schedule (candidate_id, due_on)",
    ]
    for statement in statements:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO candidates (name, created_at) VALUES (?, ?)",
        (DEFAULT_CANDIDATE, datetime.now(UTC).isoformat(timespec="microseconds")),
    )


MIGRATIONS: list[Migration] = [_v1_initial]
