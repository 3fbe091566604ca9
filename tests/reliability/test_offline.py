"""Offline: tests, a CLI scoring round trip and a TUI round trip inside an empty network namespace.

`unshare -n` gives the process a network namespace with no interfaces (not even loopback up), so
any attempt to reach the network fails. Skipped with a reason where unshare is not permitted.
`scripts/test` (and so CI) runs the whole suite that way and sets COACH_SUITE_OFFLINE=1.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, run_coach
from .tui_process import TmuxApp


def _unshare() -> list[str]:
    path = shutil.which("unshare")
    if path is None:
        pytest.skip("unshare is not installed (util-linux)")
    probe = subprocess.run([path, "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"unshare -n is not permitted here: {probe.stderr.decode().strip()}")
    return [path, "-n"]


def test_no_network_inside_the_namespace() -> None:
    prefix = _unshare()
    code = "import socket; socket.create_connection(('1.1.1.1', 443), timeout=3)"
    proc = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, check=False)
    assert proc.returncode != 0 and b"unreachable" in proc.stderr.lower()


def test_cli_scoring_round_trip_offline(env: dict[str, str], tmp_path: Path) -> None:
    prefix = _unshare()
    env = {**env, "HF_HUB_OFFLINE": "", "TRANSFORMERS_OFFLINE": ""}  # no help from offline flags
    answer = b"I built a referral network with eight partners; pipeline grew 30 percent."
    run = run_coach(["score", "-q", "1", "--json", "--save"], env, stdin=answer, prefix=prefix)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["semantic"] is True, "the real model must load with no network"
    run = run_coach(["history", "--json"], env, prefix=prefix)
    assert run.code == 0 and len(json.loads(run.out)) == 1


SUITE_OFFLINE = os.environ.get("COACH_SUITE_OFFLINE") == "1"


@pytest.mark.skipif(not SUITE_OFFLINE, reason="only when scripts/test runs the suite in unshare -n")
def test_the_whole_suite_is_running_without_a_network() -> None:
    with pytest.raises(OSError):
        socket.create_connection(("1.1.1.1", 443), timeout=3)
    with pytest.raises(OSError):
        socket.getaddrinfo("pypi.org", 443)


@pytest.mark.skipif(SUITE_OFFLINE, reason="the whole suite is running in unshare -n already")
def test_a_subset_of_the_suite_passes_offline(tmp_path: Path) -> None:
    prefix = _unshare()
    tests = ["tests/test_content.py", "tests/reliability/test_safety.py"]
    env = {**os.environ, "COACH_FUZZ": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_tui_round_trip_offline(env: dict[str, str]) -> None:
    prefix = _unshare()
    app = TmuxApp(env, prefix=" ".join(prefix))
    try:
        app.wait_for("Questions")
        app.wait_for(lambda s: "warming up" not in s, timeout=90)  # the model loaded offline
        app.keys("Enter")
        app.wait_for("Your answer")
        app.type(
            "I built a referral network with eight partners and followed up within two days. "
            "Pipeline grew 30 percent."
        )
        app.wait_for("✓ Result", timeout=90)  # the live check has seen the whole answer
        app.keys("C-s")  # submit
        screen = app.wait_for(lambda s: "Grade" in s or "grade" in s, timeout=90)
        assert "Traceback" not in screen
    finally:
        app.close()
