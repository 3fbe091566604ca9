"""The practice-history verbs and `score --save`: exit codes and one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.scoring import Scorer
from coach.store import Store


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> Path:
    """COACH_DB in tmp (never the real data folder) and the session's scorer for `score`."""
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    monkeypatch.setattr("coach.cli.score_cmd.build_scorer", lambda pack, quiet=False: scorer)
    return db


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("coach: error: "), err
    for word in words:
        assert word in lines[0], err


Cli = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return capsys, monkeypatch


def coach(cli: Cli, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    return run(cli[0], cli[1], *argv, stdin=stdin)


@pytest.fixture
def answer_files(tmp_path: Path, answers: dict[str, str]) -> tuple[Path, Path]:
    weak, medium = tmp_path / "weak.txt", tmp_path / "medium.txt"
    weak.write_text(answers["weak"], encoding="utf-8")
    medium.write_text(answers["medium"], encoding="utf-8")
    return weak, medium


def test_score_save_then_history(
    cli: Cli, isolated: Path, answer_files: tuple[Path, Path], answers: dict[str, str]
) -> None:
    weak, _ = answer_files
    assert coach(cli, "candidates", "add", "Ana Lima")[0] == 0
    code, out, err = coach(cli, "score", "-q", "1", "--file", str(weak), "--save")
    assert code == 0 and "Grade" in out
    assert "saved attempt 1 for me" in err and "comes back on" in err
    code, out, err = coach(
        cli,
        "score",
        "-q",
        "referral-requests",
        "--save",
        "--candidate",
        "ana lima",
        "--json",
        stdin=answers["medium"],
    )
    assert code == 0 and json.loads(out)["question"] == "referral-requests"
    assert "saved attempt 2 for Ana Lima" in err

    code, out, err = coach(cli, "history")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["ID", "DATE", "CANDIDATE", "QUESTION"]
    assert "build-network" in lines[1] and " me " in lines[1] and " file " in lines[1]
    assert "referral-requests" in lines[2] and "Ana Lima" in lines[2] and " typed " in lines[2]
    assert "2 attempts" in out

    code, out, _ = coach(cli, "history", "--json", "--candidate", "Ana Lima")
    records = json.loads(out)
    assert [r["id"] for r in records] == [2]
    assert records[0]["mode"] == "typed" and records[0]["answer"] == answers["medium"]
    assert records[0]["result"]["question"] == "referral-requests"
    assert records[0]["target_seconds"] > 0 and records[0]["seconds_taken"] is None  # piped
    code, out, _ = coach(cli, "history", "--json", "-q", "1")
    assert [r["question"] for r in json.loads(out)] == ["build-network"]
    with Store(isolated) as store:  # COACH_DB was used
        assert len(store.list_attempts()) == 2


def test_score_save_errors_come_before_scoring(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, answer_files: tuple[Path, Path], tmp_path: Path
) -> None:
    def no_scoring(*_: object, **__: object) -> Scorer:
        raise AssertionError("scored although the save could not happen")

    monkeypatch.setattr("coach.cli.score_cmd.build_scorer", no_scoring)
    coach(cli, "candidates", "add", "Ana")
    code, _, err = coach(
        cli, "score", "-q", "1", "--file", str(answer_files[0]), "--save", "--candidate", "Anna"
    )
    assert code == 2
    one_line_error(err, "--candidate Anna", "did you mean 'Ana'")
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"question": 1, "answer": "x"}\n')
    code, _, err = coach(cli, "score", "--batch", str(batch), "--save")
    assert code == 2
    one_line_error(err, "--save", "--batch")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not sqlite" * 100)
    code, _, err = coach(
        cli, "score", "-q", "1", "--file", str(answer_files[0]), "--save", "--db", str(garbage)
    )
    assert code == 2
    one_line_error(err, "damaged or not a database")


def test_note_and_grade(cli: Cli, answer_files: tuple[Path, Path]) -> None:
    coach(cli, "score", "-q", "1", "--file", str(answer_files[0]), "--save")
    code, out, _ = coach(cli, "note", "1", "Lead", "with", "a", "number.")
    assert code == 0 and "note saved" in out
    code, out, _ = coach(cli, "note", "1", "--append", "Name the partner.")
    code, out, _ = coach(cli, "history", "--json")
    assert json.loads(out)[0]["coach_note"] == "Lead with a number.\n\nName the partner."
    code, out, _ = coach(cli, "grade", "1", "5")
    assert code == 0 and "coach grade 5" in out and "next due" in out
    code, out, _ = coach(cli, "history")
    assert "5*" in out and "a coach's grade" in out
    for argv, words in [
        (("grade", "1", "9"), ("1 to 5",)),
        (("grade", "1"), ("GRADE",)),
        (("grade", "1", "3", "--clear"), ("not both",)),
        (("grade", "99", "3"), ("no attempt 99",)),
        (("grade", "x", "3"), ("whole number",)),
        (("note", "99", "hello"), ("no attempt 99",)),
        (("note", "1"), ("needs one of TEXT",)),
        (("note", "1", "x", "--clear"), ("needs one of TEXT",)),
    ]:
        code, _, err = coach(cli, *argv)
        assert code == 2, argv
        one_line_error(err, *words)
    code, out, _ = coach(cli, "grade", "1", "--clear")
    assert code == 0 and "cleared" in out
    code, out, _ = coach(cli, "note", "1", "-", stdin="From stdin\n")
    assert code == 0
    code, out, _ = coach(cli, "note", "1", "--clear")
    assert code == 0 and "cleared" in out


def test_candidates(cli: Cli, answer_files: tuple[Path, Path]) -> None:
    code, out, _ = coach(cli, "candidates")
    assert code == 0 and out.splitlines()[1].startswith("me ")
    assert coach(cli, "candidates", "add", "Ana")[0] == 0
    code, _, err = coach(cli, "candidates", "add", "ana")
    assert code == 2
    one_line_error(err, "already exists")
    assert coach(cli, "candidates", "rename", "Ana", "Ana Lima")[0] == 0
    coach(
        cli, "score", "-q", "1", "--file", str(answer_files[0]), "--save", "--candidate", "Ana Lima"
    )
    code, out, _ = coach(cli, "candidates", "list")
    assert "Ana Lima" in out and "build-network" not in out
    code, _, err = coach(cli, "candidates", "remove", "Ana Lima")
    assert code == 2
    one_line_error(err, "--yes")
    code, out, _ = coach(cli, "candidates", "remove", "Ana Lima", "--yes")
    assert code == 0 and "1 attempts" in out
    code, _, err = coach(cli, "candidates", "remove", "Nobody", "--yes")
    assert code == 2
    one_line_error(err, "no candidate 'Nobody'")


def test_report(cli: Cli, tmp_path: Path, answer_files: tuple[Path, Path]) -> None:
    weak, medium = answer_files
    coach(cli, "candidates", "add", "Ana")
    coach(cli, "score", "-q", "1", "--file", str(weak), "--save")
    coach(cli, "score", "-q", "1", "--file", str(medium), "--save", "--candidate", "Ana")
    html = tmp_path / "r.html"
    code, _, err = coach(cli, "report", "--format", "html", "--out", str(html))
    assert code == 0 and "2 attempts (Ana, me)" in err
    page = html.read_text()
    assert page.startswith("<!doctype html>") and "<h1>Ana</h1>" in page and "<h1>me</h1>" in page
    md = tmp_path / "r.md"
    code, _, _ = coach(cli, "report", "--candidate", "ana", "--out", str(md), "--since", "7d")
    assert code == 0 and md.read_text().startswith("# Interview practice report \u2014 Ana")
    code, out, _ = coach(cli, "report", "--format", "md", "--candidate", "me")
    assert code == 0 and out.startswith("# Interview practice report \u2014 me")
    for argv, words in [
        (("report", "--since", "last tuesday"), ("--since last tuesday", "expected a date")),
        (("report", "--since", "2099-01-01"), ("no saved attempts match", "since 2099-01-01")),
        (("report", "--session", "5"), ("no session 5",)),
        (("report", "--candidate", "Anaa"), ("did you mean 'Ana'",)),
        (("report", "--format", "pdf"), ("invalid choice",)),
        (("report", "-q", "99"), ("-q/--question 99",)),
        (("report", "--out", str(tmp_path / "missing" / "r.html")), ("--out", "cannot write")),
    ]:
        code, _, err = coach(cli, *argv)
        assert code == 2, argv
        one_line_error(err, *words)


def test_export_and_import(cli: Cli, tmp_path: Path, answer_files: tuple[Path, Path]) -> None:
    coach(cli, "score", "-q", "1", "--file", str(answer_files[0]), "--save")
    coach(cli, "note", "1", "A note")
    export = tmp_path / "all.jsonl"
    code, _, err = coach(cli, "export", str(export))
    assert code == 0 and "1 attempts" in err
    other = tmp_path / "other.sqlite3"
    code, out, _ = coach(cli, "import", str(export), "--db", str(other))
    assert code == 0 and "1 attempts" in out
    code, out, _ = coach(cli, "import", str(export), "--db", str(other))
    assert code == 0 and "nothing new" in out and "already present" in out
    code, out, _ = coach(cli, "history", "--json", "--db", str(other))
    assert json.loads(out)[0]["coach_note"] == "A note"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(export.read_text().splitlines()[0] + "\n{oops\n")
    code, _, err = coach(cli, "import", str(bad), "--db", str(other))
    assert code == 2
    one_line_error(err, f"{bad}:2", "not valid JSON")
    code, _, err = coach(cli, "import", str(tmp_path / "none.jsonl"))
    assert code == 2
    one_line_error(err, "file not found")


def test_plans_and_due(cli: Cli, tmp_path: Path, answer_files: tuple[Path, Path]) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: Drill\nseconds: 90\nquestions: [build-network, event-roi]\n")
    code, out, _ = coach(cli, "plans", "add", str(plan))
    assert code == 0 and "2 questions, 90 s each" in out
    code, out, _ = coach(cli, "plans")
    assert out.strip() == "Drill: 2 questions, 90 s each"
    code, out, _ = coach(cli, "plans", "show", "drill")
    assert "  - event-roi" in out
    plan.write_text("name: Bad\nquestions: [build-netwrk]\n")
    code, _, err = coach(cli, "plans", "add", str(plan))
    assert code == 2
    one_line_error(err, "plan.yaml:2", "did you mean 'build-network'")
    coach(cli, "score", "-q", "1", "--file", str(answer_files[0]), "--save")
    code, out, _ = coach(cli, "due", "--all")
    assert code == 0 and "build-network" in out and "last grade" in out
    code, out, _ = coach(cli, "due", "--candidate", "me")
    assert code == 0 and "nothing due today" in out


def test_empty_history_and_bad_filters(cli: Cli) -> None:
    code, out, err = coach(cli, "history")
    assert code == 0 and out == "" and "no attempts yet" in err
    code, out, _ = coach(cli, "history", "--json")
    assert code == 0 and json.loads(out) == []
    code, _, err = coach(cli, "history", "--until", "31/01/2026")
    assert code == 2
    one_line_error(err, "--until 31/01/2026")
    code, _, err = coach(cli, "history", "--limit", "0")
    assert code == 2
    one_line_error(err, "--limit")


def test_a_corrupt_database_is_one_line_and_untouched(tmp_path: Path) -> None:
    """In a real process: exit code 2, one line on stderr, the file unchanged."""
    db = tmp_path / "coach.sqlite3"
    db.write_bytes(b"\x00garbage" * 512)
    before = db.read_bytes()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coach.cli import main; raise SystemExit(main())",
            "history",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    one_line_error(proc.stderr, str(db), "damaged or not a database", "left untouched")
    assert db.read_bytes() == before
