"""The core never imports Textual: each core module is imported alone in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import coach

CORE = ("content", "scoring", "speech", "store", "calibration", "report")


def core_modules() -> list[str]:
    names = []
    for package in CORE:
        names.append(f"coach.{package}")
        module = __import__(f"coach.{package}", fromlist=["_"])
        for info in pkgutil.walk_packages(module.__path__, prefix=f"coach.{package}."):
            names.append(info.name)
    return names


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'coach.tui'))]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_package_is_importable() -> None:
    assert coach.__version__


def test_the_app_draws_before_the_scorer_model_code_and_numpy_are_imported() -> None:
    """The first screen must not wait for the scorer (its model code loads in a worker), nor
    for numpy (the speech code imports it with the first recording or audio file)."""
    probe = (
        "import sys, coach.tui.app;"
        "print(sorted(m for m in sys.modules if m.startswith(('coach.scoring.scorer',"
        " 'coach.scoring.embedding', 'coach.scoring.onnx_embedder', 'onnxruntime', 'torch',"
        " 'sentence_transformers', 'faster_whisper', 'numpy'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_app_draws_its_first_frame_before_the_other_screens_are_imported() -> None:
    """The first frame is the home screen: the app imports the other screens where it opens
    them (and warms them up in a worker after the first frame), and the scoring and speech code
    with the answer screen or the model."""
    probe = (
        "import sys, coach.tui.app;"
        "print(sorted(m for m in sys.modules if m.startswith(('coach.tui.screens.answer',"
        " 'coach.tui.screens.results', 'coach.tui.screens.history', 'coach.tui.screens.lab',"
        " 'coach.tui.screens.help', 'coach.tui.voice', 'coach.scoring', 'coach.speech'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
