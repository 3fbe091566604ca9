"""Export to JSONL and import back without loss."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.scoring import ScoreResult
from coach.store import ImportFormatError, PlanItem, PlanStep, SessionPlan, Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fill(store: Store, results: dict[str, ScoreResult]) -> None:
    store.add_candidate("Ana Lima", note="EMEA partnerships")
    plan = SessionPlan(
        "Monday drill", items=(PlanItem("build-network", 90), PlanItem("event-roi")), seconds=120
    )
    store.save_plan(plan)
    session = store.start_session(
        "Ana Lima", plan=plan, steps=[PlanStep("build-network", 90)], started_at=T0
    )
    store.save_attempt(
        result=results["weak"], answer="Ünïcode \u2014 answer\nline 2", submitted_at=T0
    )
    saved = store.save_attempt(
        result=results["strong"],
        answer="strong",
        candidate="Ana Lima",
        mode="spoken",
        session_id=session.id,
        submitted_at=T0 + timedelta(minutes=5),
        started_at=T0 + timedelta(minutes=3),
        seconds_taken=101.25,
        target_seconds=120,
        delivery={"wpm": 150.5, "fillers": [{"word": "um", "t": 2.0}], "notes": []},
        scenario="A scenario",
        content_hash="abc123",
    )
    store.add_note(saved.id, "Great <b>numbers</b> & story")
    store.set_human_grade(saved.id, 4)
    store.end_session(session.id, note="good session", ended_at=T0 + timedelta(minutes=20))
    store.save_attempt(result=results["script"], answer="<script>x</script>", submitted_at=T0)


def comparable(store: Store) -> list[object]:
    return [
        (
            a.uid,
            a.candidate,
            a.question_id,
            a.mode,
            a.answer,
            a.submitted_at,
            a.started_at,
            a.overall,
            a.grade,
            dict(a.result),
            a.content_hash,
            a.scenario,
            a.seconds_taken,
            a.target_seconds,
            a.delivery,
            a.coach_note,
            a.human_grade,
            store.get_session(a.session_id).uid if a.session_id else None,
        )
        for a in store.list_attempts()
    ]


def test_round_trip_without_loss(tmp_path: Path, results: dict[str, ScoreResult]) -> None:
    source, target = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    with Store(source) as store:
        fill(store, results)
        counts = store.export_jsonl(first)
        expected = comparable(store)
        candidates = store.list_candidates()
        sessions = store.list_sessions()
        plans = store.list_plans()
        schedule = {c.name: store.schedule(c.name) for c in candidates}
    assert counts == {"candidate": 2, "plan": 1, "session": 1, "attempt": 3, "schedule": 2}
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    with Store(target) as store:
        added = store.import_jsonl(first)
        assert added["attempts"] == 3 and added["sessions"] == 1 and added["plans"] == 1
        assert comparable(store) == expected
        assert [(c.name, c.created_at, c.note) for c in store.list_candidates()] == [
            (c.name, c.created_at, c.note) for c in candidates
        ]
        assert [
            (s.uid, s.candidate, s.plan, s.steps, s.started_at, s.ended_at, s.note)
            for s in store.list_sessions()
        ] == [
            (s.uid, s.candidate, s.plan, s.steps, s.started_at, s.ended_at, s.note)
            for s in sessions
        ]
        assert store.list_plans() == plans
        assert {c.name: store.schedule(c.name) for c in candidates} == schedule
        store.export_jsonl(second)
    # Byte for byte the same, but for the header's export time.
    assert first.read_text().splitlines()[1:] == second.read_text().splitlines()[1:]


def test_importing_twice_adds_nothing_and_merges_notes(
    tmp_path: Path, results: dict[str, ScoreResult]
) -> None:
    export = tmp_path / "e.jsonl"
    with Store(tmp_path / "a.sqlite3") as store:
        fill(store, results)
        store.export_jsonl(export)
    with Store(tmp_path / "b.sqlite3") as store:
        store.import_jsonl(export)
        ana = store.list_attempts(candidate="Ana Lima")[0]
        store.add_note(ana.id, "")  # a note lost locally comes back from the file
        again = store.import_jsonl(export)
        assert again["attempts"] == 0 and again["sessions"] == 0 and again["skipped"] >= 4
        assert len(store.list_attempts()) == 3
        assert store.get_attempt(ana.id).coach_note == "Great <b>numbers</b> & story"


def test_import_into_a_store_with_its_own_data(
    tmp_path: Path, results: dict[str, ScoreResult]
) -> None:
    export = tmp_path / "e.jsonl"
    with Store(tmp_path / "a.sqlite3") as store:
        fill(store, results)
        store.export_jsonl(export)
    with Store(tmp_path / "b.sqlite3") as store:
        mine = store.save_attempt(result=results["medium"], answer="local")
        store.import_jsonl(export)
        assert len(store.list_attempts()) == 4
        assert store.get_attempt(mine.id).answer == "local"
        assert len(store.schedule("me")) == 1


def write_lines(path: Path, lines: list[object]) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


HEADER = {"type": "coach-export", "format": 1}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "not a coach export"),
        ([{"type": "attempt"}], "not a coach export"),
        ([{**HEADER, "format": 7}], "newer than this coach reads"),
        ([HEADER, "{not json"], ":2: not valid JSON"),
        ([HEADER, "[1, 2]"], ":2: expected a JSON object"),
        ([HEADER, {"type": "gossip"}], ":2: field 'type': unknown record type"),
        (
            [HEADER, {"type": "candidate", "created_at": "2026-01-01T00:00:00+00:00"}],
            ":2: field 'name': required field is missing",
        ),
        (
            [HEADER, {"type": "candidate", "name": "x", "created_at": "yesterday"}],
            ":2: field 'created_at': not an ISO 8601 timestamp",
        ),
    ],
)
def test_malformed_imports_name_the_line_and_field(
    tmp_path: Path, store: Store, lines: list[object], message: str
) -> None:
    path = write_lines(tmp_path / "bad.jsonl", lines)
    with pytest.raises(ImportFormatError, match=message) as info:
        store.import_jsonl(path)
    assert "\n" not in str(info.value)


def test_an_import_is_all_or_nothing(
    tmp_path: Path, store: Store, results: dict[str, ScoreResult]
) -> None:
    export = tmp_path / "e.jsonl"
    with Store(tmp_path / "src.sqlite3") as source:
        fill(source, results)
        source.export_jsonl(export)
    lines = export.read_text().splitlines()
    bad = json.loads(lines[-3])
    assert bad["type"] == "attempt"
    bad["grade"] = 9
    lines[-3] = json.dumps(bad)
    export.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFormatError, match="field 'grade': must be 1 to 5"):
        store.import_jsonl(export)
    assert store.list_attempts() == []
    assert [c.name for c in store.list_candidates()] == ["me"]


def test_import_of_a_missing_file(tmp_path: Path, store: Store) -> None:
    with pytest.raises(ImportFormatError, match="file not found"):
        store.import_jsonl(tmp_path / "nope.jsonl")
