"""Row conversions and value checks for the store: timestamps as UTC ISO 8601 text (`to_ts`,
`from_ts`, with the local-day helpers and the `since`/`until` filter bounds), plan steps and
results as JSON, the `row_to_*` functions that turn SQLite rows into the frozen dataclasses of
`coach.store.models`, `insert_attempt` for writing one attempt row, and `check_name`,
`check_grade` and `no_candidate`, the InvalidValue/NotFound errors that `Store` and the JSONL
import share. Plain functions: no state, no connection of their own.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from coach.content import did_you_mean
from coach.store.errors import InvalidValue, NotFound
from coach.store.models import Attempt, Candidate, Mode, PlanStep, ScheduleEntry, Session
from coach.store.plans import plan_from_dict

MAX_NAME = 60


def to_ts(when: datetime) -> str:
    """A timestamp as stored: UTC, ISO 8601 with microseconds (sorts as text)."""
    if when.tzinfo is None:
        when = when.astimezone()  # a naive time is the local time
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def from_ts(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def local_day(when: datetime) -> date:
    """The calendar day on this machine's clock: what 'due tomorrow' counts from."""
    return when.astimezone().date()


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`."""
    return datetime.combine(day, time()).astimezone()


def _opt_ts(text: str | None) -> datetime | None:
    return from_ts(text) if text else None


def _json_or_none(text: str | None) -> Mapping[str, Any] | None:
    return cast(Mapping[str, Any], json.loads(text)) if text else None


def check_name(name: str) -> str:
    """A candidate name, trimmed; InvalidValue if empty, too long or holding control characters."""
    clean = " ".join(str(name).split())
    if not clean:
        raise InvalidValue("candidate name must not be empty")
    if len(clean) > MAX_NAME:
        raise InvalidValue(f"candidate name is longer than {MAX_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in clean):
        raise InvalidValue("candidate name holds control characters")
    if clean.startswith("-"):
        raise InvalidValue(f"candidate name {clean!r} must not start with '-'")
    return clean


def no_candidate(name: str, names: list[str]) -> NotFound:
    """NotFound naming the closest candidate (by spelling or first name), or listing them."""
    starts = [n for n in names if n.lower().startswith(name.strip().lower())]
    if len(starts) == 1:
        hint = f"; did you mean {starts[0]!r}?"
    else:
        hint = did_you_mean(name, names) or (f"; candidates: {', '.join(names)}" if names else "")
    return NotFound(f"no candidate {name!r}{hint} (add one with: coach candidates add NAME)")


def check_grade(grade: int, what: str = "grade") -> int:
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 5:
        raise InvalidValue(f"{what} must be a whole number from 1 to 5, got {grade!r}")
    return grade


def since_ts(since: datetime | date | None) -> str | None:
    if since is None:
        return None
    if isinstance(since, datetime):
        return to_ts(since)
    return to_ts(day_start(since))


def until_ts(until: datetime | date | None) -> str | None:
    if until is None:
        return None
    if isinstance(until, datetime):
        return to_ts(until)
    return to_ts(day_start(until + timedelta(days=1)))  # a day is inclusive


def row_to_candidate(row: sqlite3.Row) -> Candidate:
    return Candidate(row["id"], row["name"], from_ts(row["created_at"]), row["note"])


def row_to_attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(
        id=row["id"],
        uid=row["uid"],
        candidate=row["candidate_name"],
        question_id=row["question_id"],
        mode=cast(Mode, row["mode"]),
        answer=row["answer"],
        submitted_at=from_ts(row["submitted_at"]),
        overall=row["overall"],
        grade=row["grade"],
        result=cast(Mapping[str, Any], json.loads(row["result"])),
        content_hash=row["content_hash"],
        scenario=row["scenario"],
        started_at=_opt_ts(row["started_at"]),
        seconds_taken=row["seconds_taken"],
        target_seconds=row["target_seconds"],
        delivery=_json_or_none(row["delivery"]),
        coach_note=row["coach_note"],
        human_grade=row["human_grade"],
        session_id=row["session_id"],
    )


def steps_to_json(steps: Sequence[PlanStep]) -> str:
    return json.dumps([{"question": s.question_id, "seconds": s.seconds} for s in steps])


def steps_from_json(text: str) -> tuple[PlanStep, ...]:
    return tuple(PlanStep(str(s["question"]), s.get("seconds")) for s in json.loads(text or "[]"))


def row_to_session(row: sqlite3.Row) -> Session:
    plan = plan_from_dict(json.loads(row["plan"])) if row["plan"] else None
    return Session(
        id=row["id"],
        uid=row["uid"],
        candidate=row["candidate_name"],
        started_at=from_ts(row["started_at"]),
        plan=plan,
        ended_at=_opt_ts(row["ended_at"]),
        note=row["note"],
        steps=steps_from_json(row["steps"]),
    )


def row_to_schedule(row: sqlite3.Row) -> ScheduleEntry:
    return ScheduleEntry(
        candidate=row["candidate_name"],
        question_id=row["question_id"],
        due_on=date.fromisoformat(row["due_on"]),
        interval_days=row["interval_days"],
        repetitions=row["repetitions"],
        ease=row["ease"],
        last_grade=row["last_grade"],
        last_practised=from_ts(row["last_practised"]),
        reviews=row["reviews"],
    )


def insert_attempt(conn: sqlite3.Connection, candidate_id: int, values: Mapping[str, Any]) -> int:
    columns = ["candidate_id", *values]
    placeholders = ", ".join("?" for _ in columns)
    cur = conn.execute(
        f"INSERT INTO attempts ({', '.join(columns)}) VALUES ({placeholders})",
        (candidate_id, *values.values()),
    )
    return int(cur.lastrowid or 0)
