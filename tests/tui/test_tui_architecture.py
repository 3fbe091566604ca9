"""The layering the TUI relies on: the core never imports Textual, and each screen module has
its stylesheet beside it (shipped as package data)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from textual.pilot import Pilot
from tui_fakes import GatedLoad

import coach.tui.screens as screens_package
from coach.tui.app import CoachApp, create_app
from coach.tui.engine import Engine

CORE = [
    "coach.content",
    "coach.scoring",
    "coach.store",
    "coach.calibration",
    "coach.tui.engine",
    "coach.tui.drafts",
    "coach.tui.practice",
    "coach.tui.stored_result",
]


def test_the_core_never_imports_textual() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(leaked))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0", out.stdout


def test_every_screen_has_its_stylesheet_beside_it() -> None:
    folder = Path(screens_package.__file__).parent
    modules = sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")
    assert modules
    for module in modules:
        assert module.with_suffix(".tcss").is_file(), f"{module.name} has no .tcss beside it"


def test_the_entry_point_runs_the_app_the_factory_builds(monkeypatch, tmp_path: Path) -> None:
    """`coach` (run_app) builds its app with `create_app`, as the tests do, on the store at
    COACH_DB for the default candidate, and closes the store after."""
    from coach.tui import app as app_module

    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))
    built: list[CoachApp] = []

    def factory(**options: object) -> CoachApp:
        app = create_app(drafts=tmp_path / "drafts", **options)  # type: ignore[arg-type]
        monkeypatch.setattr(app, "run", lambda *a, **k: None)
        built.append(app)
        return app

    monkeypatch.setattr(app_module, "create_app", factory)
    assert app_module.run_app(argparse.Namespace(verb=None)) == 0
    assert len(built) == 1 and built[0].handle_signals
    practice = built[0].services.practice
    assert practice is not None and practice.candidate == "me"
    assert practice.store.path == tmp_path / "coach.sqlite3"
    assert built[0].services.history is practice.history


def test_quitting_while_the_model_loads_does_not_wait_for_it(make_app, pack) -> None:
    """ctrl+q (or a closed terminal) during warm-up gives the shell back at once."""
    load = GatedLoad(None)  # a model load that does not finish during this test
    app = make_app(engine=Engine(pack, load))

    async def quit_at_once(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("ctrl+q")

    started = time.monotonic()
    try:
        app.run(headless=True, size=(80, 24), auto_pilot=quit_at_once)
        assert time.monotonic() - started < 10, "the app waited for the model to finish loading"
    finally:
        load.gate.set()
