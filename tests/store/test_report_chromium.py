"""The HTML report opens in headless Chromium (Debian's `chromium`); skipped without it."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.content import ContentPack
from coach.report import build_report, render_html
from coach.scoring import ScoreResult
from coach.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def png_info(data: bytes) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the pixel data) of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.fixture
def report_file(
    tmp_path: Path,
    store: Store,
    results: dict[str, ScoreResult],
    answers: dict[str, str],
    pack: ContentPack,
) -> Path:
    store.add_candidate("Ana")
    for days, key in enumerate(["weak", "medium", "strong", "script", "strong_referral"]):
        saved = store.save_attempt(
            result=results[key],
            answer=answers[key],
            candidate="Ana",
            submitted_at=T0 + timedelta(days=days),
            seconds_taken=90,
            target_seconds=120,
        )
    store.add_note(saved.id, "Send me the next version by Friday.")
    path = tmp_path / "report.html"
    path.write_text(render_html(build_report(store.list_attempts(), pack.questions)), "utf-8")
    return path


def test_the_report_renders_in_chromium(tmp_path: Path, report_file: Path) -> None:
    png = tmp_path / "report.png"
    run = chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,1600", report_file.as_uri())
    assert png.exists(), run.stderr[-2000:]
    width, height, distinct = png_info(png.read_bytes())
    assert (width, height) == (1200, 1600)
    assert distinct > 50  # a real page, not a blank one
    assert png.stat().st_size > 30_000


def test_no_script_runs_and_the_tag_shows_as_text(tmp_path: Path, report_file: Path) -> None:
    run = chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = run.stdout
    assert "<h1>Ana</h1>" in dom, run.stderr[-2000:]
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert('pwned')&lt;/script&gt;" in dom
