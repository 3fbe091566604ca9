"""Helpers for the reliability suite: the fuzz budget, a hang guard, the real CLI.

`pack`, `scorer` and `keyword_scorer` come from tests/conftest.py. Set COACH_FUZZ=nightly for
the long fuzz run (see README.md here).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[2]
COACH = ROOT / ".venv" / "bin" / "coach"

NIGHTLY = os.environ.get("COACH_FUZZ", "").strip().lower() == "nightly"
NIGHTLY_EXAMPLES = int(os.environ.get("COACH_FUZZ_EXAMPLES", "10000"))

settings.register_profile(
    "coach-ci", deadline=None, suppress_health_check=list(HealthCheck), derandomize=False
)
settings.register_profile(
    "coach-nightly",
    max_examples=NIGHTLY_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def fuzz(normal: int, cap: int | None = None) -> settings:
    """Hypothesis settings: `normal` examples in the normal suite, 10,000 (at most `cap`) nightly."""
    profile = settings.get_profile("coach-nightly" if NIGHTLY else "coach-ci")
    count = NIGHTLY_EXAMPLES if NIGHTLY else normal
    if cap is not None:
        count = min(count, cap)
    return settings(profile, max_examples=count, database=None)


class Hang(Exception):
    """A single fuzz case ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail the case (instead of hanging the suite) if the block runs longer than `seconds`."""

    def _alarm(_sig: int, _frame: FrameType | None) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_one_line(message: str, *must_hold: str) -> None:
    text = message.strip()
    assert text, "the error message is empty"
    assert "\n" not in text, f"not one line: {text!r}"
    assert "Traceback" not in text
    for part in must_hold:
        assert part in text, f"{part!r} missing from {text!r}"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float


def coach_env(tmp: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment whose data, cache and database all live under `tmp`."""
    env = dict(os.environ)
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "COACH_DB": str(tmp / "coach.sqlite3"),
        }
    )
    env.update(extra or {})
    return env


def run_coach(
    args: list[str],
    env: Mapping[str, str],
    stdin: bytes | None = None,
    timeout: float = 180,
    prefix: list[str] | None = None,
) -> Run:
    import time

    exe = str(COACH) if COACH.exists() else None
    argv = [exe] if exe else [sys.executable, "-m", "coach"]
    began = time.perf_counter()
    proc = subprocess.run(
        [*(prefix or []), *argv, *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=dict(env),
        timeout=timeout,
        check=False,
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.perf_counter() - began,
    )
