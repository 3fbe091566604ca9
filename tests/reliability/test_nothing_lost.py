"""Nothing lost: drafts survive SIGKILL and Ctrl+C; concurrent saves and a bad database are safe.

Store-level guarantees (two processes saving at once, a lock retried, a corrupt file untouched)
are tested in tests/store/test_store_db.py; here the same hold through the real CLI and app.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import subprocess
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import COACH, assert_one_line, run_coach
from .tui_process import TmuxApp

DRAFT = "I built a referral network zebra42"


@pytest.fixture
def app_factory(env: dict[str, str]) -> Iterator[list[TmuxApp]]:
    apps: list[TmuxApp] = []
    yield apps
    for app in apps:
        app.close()


def _drafts(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "coach" / "drafts"


def _start(env: dict[str, str], apps: list[TmuxApp]) -> TmuxApp:
    app = TmuxApp(env)
    apps.append(app)
    app.wait_for(lambda s: "Questions" in s or "unfinished answer" in s)
    return app


def _wait_draft(env: dict[str, str], text: str, timeout: float = 15) -> None:

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in _drafts(env).glob("*.json"):
            if text in path.read_text(encoding="utf-8"):
                return
        time.sleep(0.1)
    raise AssertionError(f"no draft holding {text!r} in {_drafts(env)}")


def test_a_draft_survives_sigkill_and_ctrl_c(env: dict[str, str], app_factory: list[TmuxApp]) -> None:
    app = _start(env, app_factory)
    app.keys("Enter")  # open question 1
    app.wait_for("Your answer")
    app.type(DRAFT)
    app.wait_for(DRAFT)
    _wait_draft(env, DRAFT)  # saved as typed, no submit
    app.kill9()

    app = _start(env, app_factory)
    screen = app.wait_for("unfinished answer")
    assert DRAFT in screen

    # Resume, type more, press Ctrl+C mid-answer: the draft is kept, then killed again.
    app.keys("Enter")
    app.wait_for("Your answer")
    app.type(" ctrlc77")
    app.keys("C-c")
    app.wait_for("Draft saved")
    _wait_draft(env, "zebra42 ctrlc77", timeout=2)
    app.kill9()

    app = _start(env, app_factory)
    screen = app.wait_for("unfinished answer")
    assert "ctrlc77" in screen


def test_quitting_while_the_model_loads_exits_cleanly(
    env: dict[str, str], app_factory: list[TmuxApp], tmp_path: Path
) -> None:
    """Ctrl+Q right after the first paint, with the model still loading in its worker: exit 0,
    no abort from onnxruntime's threads at interpreter exit (it was exit 134, "terminate called
    without an active exception")."""
    # A cache with the model graph built, as on any start after the first: the load is then
    # inside onnxruntime when the key comes.
    warm = run_coach(["score", "-q", "1", "--json"], env, stdin=b"I closed 3 deals worth $90K.")
    assert warm.code == 0, warm.err
    status = tmp_path / "status"
    # A shell around coach writes its exit status to a file (tmux's own report of a dead pane
    # can lag behind or miss it).
    app = TmuxApp(env, prefix=f"sh -c '\"$@\"; echo $? > {status}' sh")
    app_factory.append(app)
    deadline = time.monotonic() + 60
    while "Scoring model: warming up" not in app.screen() and time.monotonic() < deadline:
        time.sleep(0.01)  # quit at once: onnxruntime is loading for only a few tenths of a second
    app.keys("C-q")
    deadline = time.monotonic() + 60
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.read_text().strip() == "0"


def _start_importing(env: dict[str, str]) -> tuple[int, subprocess.Popen[bytes], list[Any]]:
    """`coach` in a new pseudo-terminal, once its own imports run (long before Textual takes the
    terminal): the pty's master end, the process, and the terminal's settings before it ran."""
    main, child = pty.openpty()
    settings = termios.tcgetattr(main)
    proc = subprocess.Popen(
        [str(COACH)], stdin=child, stdout=child, stderr=child, env=env, start_new_session=True
    )
    os.close(child)
    # sqlite3 comes with coach.store. Not a fixed time: on a loaded machine Python's own start-up
    # can take longer than any guess, and a key pressed then is Python's, before coach runs.
    maps = Path(f"/proc/{proc.pid}/maps")
    deadline = time.monotonic() + 30
    while "_sqlite3" not in maps.read_text() and time.monotonic() < deadline:
        time.sleep(0.002)
    return main, proc, settings


def test_ctrl_c_while_the_app_starts_is_one_line_not_a_traceback(env: dict[str, str]) -> None:
    """Ctrl+C in the first moments, while the app still imports: "coach: interrupted", exit 130."""
    main, proc, _ = _start_importing(env)
    proc.send_signal(signal.SIGINT)
    output = b""
    with contextlib.suppress(OSError):  # EIO once the process has exited
        while chunk := os.read(main, 65536):
            output += chunk
    os.close(main)
    assert proc.wait(timeout=30) == 130
    text = output.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    assert "coach: interrupted" in text or "Questions" in text, text  # a fast machine: the app


def _read_until(fd: int, text: bytes, timeout: float = 30) -> None:
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < deadline, f"never saw {text!r} in {seen[-500:]!r}"
        if select.select([fd], [], [], 0.05)[0]:
            seen += os.read(fd, 65536)


def test_a_terminal_that_goes_away_does_not_leave_coach_hanging(env: dict[str, str]) -> None:
    """The screen's terminal closes while the app goes on drawing (keys still arrive on the
    other): coach used to block for good once Textual's output queue filled (an orphan process
    holding the draft); it must still handle the hang-up, save the draft and exit."""
    keys_main, keys = pty.openpty()
    screen_main, screen = pty.openpty()
    proc = subprocess.Popen(
        [str(COACH)], stdin=keys, stdout=screen, stderr=screen, env=env, start_new_session=True
    )
    os.close(keys)
    os.close(screen)
    try:
        _read_until(screen_main, b"Questions")
        os.write(keys_main, b"\r")
        _read_until(screen_main, b"Your answer")
        os.close(screen_main)  # the terminal is gone: every write now fails (EIO)
        for char in "I rebuilt my partner network in Singapore":  # each key a repaint
            os.write(keys_main, char.encode())
            time.sleep(0.02)
        _wait_draft(env, "partner network in Singapore")
        proc.send_signal(signal.SIGHUP)
        assert proc.wait(timeout=30) == 128 + signal.SIGHUP
    finally:
        os.close(keys_main)
        if proc.poll() is None:
            proc.kill()


def test_ctrl_q_typed_while_the_app_starts_quits_it(env: dict[str, str]) -> None:
    """ctrl+q pressed before the first frame used to be taken by the terminal as flow control
    (XON) and lost; now it quits the app once it is up, and the terminal is left as it was."""
    main, proc, before = _start_importing(env)
    os.write(main, b"\x11")  # ctrl+q
    output = b""
    deadline = time.monotonic() + 30
    with contextlib.suppress(OSError):  # EIO once the process has exited
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([main], [], [], 0.05)[0]:
                output += os.read(main, 65536)
    if proc.poll() is None:
        proc.kill()
    assert proc.wait(timeout=30) == 0, output.decode("utf-8", "replace")[-2000:]
    assert b"Traceback" not in output
    assert termios.tcgetattr(main) == before
    os.close(main)


def test_concurrent_cli_saves_lose_nothing(env: dict[str, str]) -> None:
    answers = [f"I led partner program number {n} and pipeline grew {10 + n} percent." for n in range(3)]
    procs = [
        subprocess.Popen([str(COACH), "score", "-q", str(n + 1), "--save"], env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for n in range(len(answers))
    ]
    for proc, answer in zip(procs, answers, strict=True):
        proc.stdin.write(answer.encode())  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]
    for proc in procs:
        assert proc.wait(timeout=180) == 0, proc.stderr.read()  # type: ignore[union-attr]
    run = run_coach(["history", "--json"], env)
    assert run.code == 0, run.err
    assert len(json.loads(run.out)) == len(answers)


def test_a_corrupt_database_is_not_overwritten_by_score_save(env: dict[str, str], tmp_path: Path) -> None:
    db = Path(env["COACH_DB"])
    db.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    before = db.read_bytes()
    run = run_coach(["score", "-q", "1", "--save"], env, stdin=b"I led a partner program.")
    assert run.code == 2
    line = [x for x in run.err.splitlines() if x.startswith("coach: error:")]
    assert len(line) == 1, run.err
    assert_one_line(line[0], str(db))
    assert db.read_bytes() == before


def test_a_locked_database_is_waited_for_by_score_save(env: dict[str, str]) -> None:
    import sqlite3
    import threading

    assert run_coach(["history"], env).code == 0  # create it
    holder = sqlite3.connect(env["COACH_DB"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # hold the write lock
    release = threading.Timer(2.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        run = run_coach(["score", "-q", "1", "--save"], env, stdin=b"I led a partner program.")
    finally:
        release.join()
        holder.close()
    assert run.code == 0, run.err
    assert len(json.loads(run_coach(["history", "--json"], env).out)) == 1
