"""`coach transcribe FILE` and `coach score --audio FILE`, run as a user would (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from .helpers import DEAL, FIRST_HALF, wer, write_wav

Say = Callable[..., Path]


def coach(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-c", "from coach.cli import main; raise SystemExit(main())", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="session")
def bad_files(speech_dir: Path) -> dict[str, Path]:
    bad = speech_dir / "bad"
    bad.mkdir()
    (bad / "empty.wav").write_bytes(b"")
    (bad / "corrupt.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + os.urandom(3000))
    (bad / "random.mp3").write_bytes(np.random.default_rng(3).bytes(5000))
    (bad / "notes.txt").write_text("At my last company I built a referral network.\n")
    write_wav(bad / "silence.wav", np.zeros(16_000 * 3, dtype=np.int16), 16_000)
    return {p.stem: p for p in bad.iterdir()}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing", "missing.wav: file not found"),
        ("empty", "empty.wav: empty file (0 bytes), expected audio"),
        ("corrupt", "corrupt.wav: cannot decode the audio (corrupt, or not really wav)"),
        ("random", "random.mp3: cannot decode the audio (corrupt, or not really mp3)"),
        ("notes", "notes.txt: unsupported format '.txt'; use an audio file"),
        ("silence", "no speech found in "),
    ],
)
@pytest.mark.parametrize("verb", ["transcribe", "score"])
def test_bad_audio_is_one_line_and_exit_2(
    bad_files: dict[str, Path], speech_dir: Path, name: str, message: str, verb: str
) -> None:
    path = bad_files.get(name, speech_dir / "bad" / "missing.wav")
    args: list[str | Path] = (
        ["transcribe", path] if verb == "transcribe" else ["score", "-q", "10", "--audio", path]
    )
    result = coach(*args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("coach: error: ") and message in lines[0]
    if name == "silence":
        assert lines[0] == f"coach: error: no speech found in {path}"


def test_audio_and_file_together_are_refused(say: Say, tmp_path: Path) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("text")
    result = coach("score", "-q", "10", "--audio", say(FIRST_HALF, "first.wav"), "--file", answer)
    assert result.returncode == 2
    assert result.stderr.strip() == "coach: error: --audio and --file both give the answer; use one"


def test_transcribe_prints_timestamps_and_delivery(say: Say) -> None:
    result = coach("transcribe", say(FIRST_HALF, "first.wav"), "-q", "10")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("[0:00.0] ")
    assert wer(FIRST_HALF, lines[2].removeprefix("[0:00.0] ")) < 0.25
    assert "Delivery" in lines and any("target" in line for line in lines)

    as_json = json.loads(coach("transcribe", say(FIRST_HALF, "first.wav"), "--json").stdout)
    assert {"transcript", "duration_s", "lines", "words", "delivery"} <= set(as_json)
    assert as_json["words"][0]["start"] == 0.0


def test_spoken_answer_scores_like_the_typed_text(say: Say, tmp_path: Path) -> None:
    audio = say(DEAL, "deal.wav")
    typed = tmp_path / "deal.txt"
    typed.write_text(DEAL)
    spoken_run = coach("score", "-q", "10", "--audio", audio, "--json")
    typed_run = coach("score", "-q", "10", "--file", typed, "--json")
    assert spoken_run.returncode == 0, spoken_run.stderr
    assert typed_run.returncode == 0, typed_run.stderr
    spoken, written = json.loads(spoken_run.stdout), json.loads(typed_run.stdout)

    assert wer(DEAL, spoken["transcript"]) < 0.25
    passed = {c["id"] for c in spoken["criteria"] if c["passed"]}
    assert passed == {c["id"] for c in written["criteria"] if c["passed"]}
    print(f"\nspoken: grade {spoken['grade']} overall {spoken['overall']}, passed {sorted(passed)};"
          f" typed: grade {written['grade']} overall {written['overall']}; wpm {spoken['wpm']}")
    assert 1 <= spoken["grade"] <= 5
    assert 120 <= spoken["wpm"] <= 200
    assert spoken["duration_s"] > 30
    assert isinstance(spoken["fillers"], list) and isinstance(spoken["pauses"], list)
    assert spoken["filler_per_min"] >= 0
    assert spoken["delivery"]["target_seconds"] == 150

    human = coach("score", "-q", "10", "--audio", audio)
    assert human.returncode == 0, human.stderr
    assert "Delivery" in human.stdout and "words/min" in human.stdout
