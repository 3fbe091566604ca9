"""Drive the real `coach` app in a detached tmux session (a real terminal, a real process)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping

import pytest

from .helpers import COACH


def need_tmux() -> str:
    path = shutil.which("tmux")
    if path is None:
        pytest.skip("tmux is not installed")
    return path


class TmuxApp:
    def __init__(self, env: Mapping[str, str], prefix: str = "") -> None:
        need_tmux()
        self.name = f"coach-rel-{uuid.uuid4().hex[:8]}"
        keep = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                "COACH_DB", "PATH", "HOME", "LANG")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k in keep)
        command = f"{prefix} env TERM=xterm-256color {exports} {shlex.quote(str(COACH))}".strip()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30",
                        command], check=True)

    def pid(self) -> int:
        out = subprocess.run(["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[0])

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, predicate: Callable[[str], bool] | str, timeout: float = 60) -> str:
        test = (lambda s: predicate in s) if isinstance(predicate, str) else predicate
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {predicate!r}; screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def kill9(self) -> None:
        """SIGKILL the coach process (the pane's process; with a prefix, its descendants)."""
        root = self.pid()
        out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(root)], capture_output=True,
                             text=True, check=False).stdout
        targets = [root]
        for line in out.splitlines():
            targets.append(int(line.split()[0]))
        for pid in reversed(targets):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)
