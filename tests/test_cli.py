"""The `coach` command as a user runs it: exit codes, one-line errors, JSON and batch output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ANSWER = (
    "At a payments startup I was the first partnerships hire and we had no contacts with distributors. "
    "My goal was $500K of partner-sourced pipeline in a year. Before asking for anything I introduced "
    "three controllers to an auditor they needed, and I followed up within a week of every meeting. "
    "We closed 4 deals worth $620K and referral deals converted at 45%."
)


def coach(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "coach", *args],
        input=data if data is not None else b"",
        capture_output=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


@pytest.fixture(scope="module")
def answer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


def test_score_json_has_the_contract_keys(answer_file: Path) -> None:
    done = coach("score", "-q", "1", "--file", str(answer_file), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["question"] == "build-network"
    assert data["grade"] >= 4
    assert {c["id"] for c in data["criteria"]} == {
        "metrics",
        "outcome_focus",
        "value_first",
        "follow_up",
    }
    assert done.stderr == ""


def test_score_human_output_reads_from_stdin() -> None:
    done = coach("score", "-q", "referral-requests", stdin=ANSWER)
    assert done.returncode == 0, done.stderr
    assert "Grade" in done.stdout and "metrics" in done.stdout
    assert '"' in done.stdout  # evidence sentences are quoted


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (["score", "-q", "11"], ANSWER, "expected 1 to 10"),
        (["score", "-q", "event-rio"], ANSWER, "did you mean 'event-roi'"),
        (["score", "-q", "1"], "", "the answer is empty"),
        (["score", "-q", "1"], "   \n  ", "the answer is empty"),
        (["score", "-q", "1", "--file", "/nonexistent/answer.txt"], None, "file not found"),
        (["score", "--frobnicate"], None, "unrecognized arguments: --frobnicate"),
        (["score"], None, "needs -q/--question"),
        (["score", "-q", "1", "--content", "/nonexistent"], ANSWER, "expected a content directory"),
        (["score", "-q", "1"], b"\xff\xfe\x00binary", "not UTF-8"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(
    args: list[str], stdin: str | bytes | None, fragment: str
) -> None:
    done = coach(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert fragment in done.stderr
    assert "Traceback" not in done.stderr


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.bin"
    path.write_bytes(os.urandom(2000) + b"\x00")
    done = coach("score", "-q", "1", "--file", str(path))
    assert done.returncode == 2 and "binary" in done.stderr


def test_batch_scores_every_good_line_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "question": 1, "answer": ANSWER}),
        "{not json",
        json.dumps({"id": "c", "question": "nope", "answer": ANSWER}),
        json.dumps({"question": "event-follow-up", "answer": "I rarely follow up after events."}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = coach("score", "--batch", str(source), "--out", str(out))
    assert done.returncode == 2
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in records] == ["a", None, "c", 4]
    assert records[0]["grade"] >= 4
    assert "line 2: not valid JSON" in records[1]["error"]
    assert "line 3: field 'question'" in records[2]["error"]
    assert records[3]["question"] == "event-follow-up"
    assert "scoring 4/4" in done.stderr


def test_questions_lists_all_ten() -> None:
    done = coach("questions")
    assert done.returncode == 0
    assert len(done.stdout.strip().splitlines()) == 10


def test_every_verb_in_the_help_has_its_own_help() -> None:
    listed = coach("--help")
    assert listed.returncode == 0
    verbs = listed.stdout.split("{", 1)[1].split("}", 1)[0].split(",")
    assert {"score", "calibrate", "history", "transcribe", "questions"} <= set(verbs)
    for verb in verbs:
        done = coach(verb, "--help")
        assert done.returncode == 0, f"{verb}: {done.stderr}"
        assert f"usage: coach {verb}" in done.stdout


def test_score_does_not_load_the_speech_history_or_calibration_code() -> None:
    probe = (
        "import sys, runpy; sys.argv = ['coach', 'score', '-q', '1'];\n"
        "try: runpy.run_module('coach', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('coach.speech', 'coach.calibration',"
        " 'coach.report', 'coach.cli.history_cmd', 'textual', 'torch'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        input=ANSWER.encode(),
        capture_output=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip().splitlines()[-1] == "[]"
