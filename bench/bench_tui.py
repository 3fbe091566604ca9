"""Issue 8's app figures: first paint after start, and whether typing waits on the model.

    .venv/bin/python bench/bench_tui.py [--runs 7]

First paint: `coach` is started in a pseudo-terminal (100x30) with a fresh history and drafts
folder; the time is taken from the start of the process to the first output that draws the
question list (its "Questions" border title). A minimal Textual app that draws "Questions" is
timed the same way, as the floor on this machine, and so is a plain Textual app with the home
screen's widgets (the floor for a screen like it). Typing: the app runs in process under Textual's
Pilot with the real model loading in its worker; each key press is timed until the app has
handled it and repainted, first while the model loads, then while the live check rescores a
growing answer. Each figure is printed as median, min and max.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_PAINT_S = 0.3
# The floor for the first paint: Textual's start and one widget.
MINIMAL_APP = """\
from textual.app import App
from textual.widgets import Static


class Minimal(App[None]):
    def compose(self):
        yield Static("Questions")


Minimal().run()
"""
# The floor for a screen like coach's home: the same Textual widgets, none of coach's code.
HOME_LIKE_APP = """\
from textual.app import App
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, ListItem, ListView, Static


class HomeLike(App[None]):
    CSS = "ListView { border: round $accent; height: 14; }"
    BINDINGS = [Binding(key, "bell", f"key {key}") for key in "abcdefghij"]

    def compose(self):
        yield Header()
        yield Static("model status")
        yield Static("session status")
        items = ListView(*[ListItem(Label(f"{i}. A question about networking")) for i in range(10)])
        items.border_title = "Questions"
        yield items
        with VerticalScroll():
            yield Static("The question and its scenario. " * 20)
        yield Footer(compact=True)


HomeLike().run()
"""
ANSWER = (
    "At a payments startup I was the first partnerships hire and we had no distributor contacts. "
    "My goal was $500K of partner-sourced pipeline in a year. I introduced three controllers to "
    "an auditor they needed before asking for anything. We closed 4 deals worth $620K."
)


def summary(label: str, values: list[float], unit: str, digits: int = 3) -> str:
    return (
        f"{label}: median {statistics.median(values):.{digits}f}{unit}  "
        f"min {min(values):.{digits}f}{unit}  max {max(values):.{digits}f}{unit}  (n={len(values)})"
    )


def first_paint(
    env: dict[str, str], timeout: float = 30.0, args: tuple[str, ...] = ("-m", "coach")
) -> float:
    """Seconds from starting `coach` (or python with other `args`) in a terminal to the
    question list on screen."""
    main, child = pty.openpty()
    os.set_blocking(main, False)
    # 30 rows, 100 columns, as TIOCSWINSZ expects them
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(child)
    seen = b""
    painted = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([main], [], [], 0.01)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    break
                if b"Questions" in seen:
                    painted = time.perf_counter() - start
                    break
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(main)
    if painted is None:
        raise SystemExit(f"no question list within {timeout} s; output:\n{seen[-2000:]!r}")
    return painted


async def typing_latency(data: Path, model: bool = True) -> tuple[list[float], list[float]]:
    """Milliseconds per key press while the model loads, then while the live check scores.
    With `model=False`, the same keys with keyword checks only: Pilot's own cost per key."""
    from textual.widgets import TextArea

    from coach.content import load_pack
    from coach.locations import bundled_content_dir
    from coach.tui.app import create_app
    from coach.tui.engine import Engine
    from coach.tui.screens.answer import AnswerScreen

    pack = load_pack(bundled_content_dir())
    engine = None if model else Engine.keyword_only(pack)
    app = create_app(pack=pack, engine=engine, drafts=data / "drafts", live_delay=0.05)
    loading: list[float] = []
    scoring: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # the first question
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        editor = app.screen.query_one("#answer", TextArea)
        for key in "I built":
            start = time.perf_counter()
            await pilot.press(key if key != " " else "space")
            loading.append((time.perf_counter() - start) * 1000)
        print(f"  (model state after the first keys: {app.model_state})")
        while str(app.model_state) == "loading":
            await pilot.pause(0.1)
        for word in ANSWER.split()[2:]:
            editor.insert(" ")
            for key in word[:3]:  # a few real key presses per word, while the live check runs
                start = time.perf_counter()
                await pilot.press(key if key.isalnum() else "full_stop" if key == "." else key)
                scoring.append((time.perf_counter() - start) * 1000)
            editor.insert(word[3:])
        await pilot.press("ctrl+q")
    return loading, scoring


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"coach bench_tui, {time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "HF_HUB_OFFLINE": "1",
            "XDG_DATA_HOME": str(tmp / "data"),
            "COACH_DB": str(tmp / "coach.sqlite3"),
            "PYTHONPATH": str(ROOT),
        }
        # Without it every start compiles every module again; a user's start reads .pyc files.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        minimal = tmp / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        home_like = tmp / "home_like_app.py"
        home_like.write_text(HOME_LIKE_APP)
        first_paint(env)  # the first start writes the history file; not a user's everyday start
        first_paint(env, args=(str(minimal),))
        first_paint(env, args=(str(home_like),))
        paints, floor, widgets = [], [], []
        for _ in range(args.runs):  # in turns, so that all see the same load on the machine
            paints.append(first_paint(env))
            floor.append(first_paint(env, args=(str(minimal),)))
            widgets.append(first_paint(env, args=(str(home_like),)))
        print(summary("first paint of the question list after start", paints, " s"))
        print(summary("  floor: a minimal Textual app drawing one Static", floor, " s"))
        print(summary("  floor: a plain Textual app with the home screen's widgets", widgets, " s"))
        median = statistics.median(paints)
        verdict = "meets" if median <= TARGET_PAINT_S else "MISSES"
        print(f"  target <= {TARGET_PAINT_S} s: {verdict} the target")
        baseline = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import textual.app"], env=env, check=True)
            baseline.append(time.perf_counter() - start)
        print(summary('  for scale: `python -c "import textual.app"`', baseline, " s"))
        os.environ.update({"HF_HUB_OFFLINE": "1", "COACH_DB": str(tmp / "typing.sqlite3")})
        _, plain = asyncio.run(typing_latency(tmp, model=False))
        loading, scoring = asyncio.run(typing_latency(tmp))
        print(summary("key press handled and drawn, while the model loads", loading, " ms", 1))
        print(
            summary("key press handled and drawn, while the live check scores", scoring, " ms", 1)
        )
        print(summary("  for scale: the same keys with keyword checks only", plain, " ms", 1))


if __name__ == "__main__":
    main()
