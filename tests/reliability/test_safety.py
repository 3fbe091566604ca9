"""Safety: safe YAML only, escaped HTML, content confined to its pack, a private database."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from coach.calibration.labels import LabelsError, load_labels
from coach.content import ContentError, load_pack
from coach.locations import bundled_content_dir

from .helpers import assert_one_line, run_coach

EVIL_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object:os.system {{}}",
    "!!python/name:os.system",
]


def _copy_pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(bundled_content_dir(), root, ignore=shutil.ignore_patterns("calibration"))
    return root


@pytest.mark.parametrize("tag", EVIL_TAGS)
def test_python_tags_are_refused_by_the_loader(tmp_path: Path, tag: str) -> None:
    root = _copy_pack(tmp_path)
    marker = tmp_path / "pwned"
    path = root / "questions.yaml"
    path.write_text(f"hack: {tag.format(marker=marker)}\n" + path.read_text(encoding="utf-8"))
    with pytest.raises(ContentError) as caught:
        load_pack(root)
    assert_one_line(str(caught.value), str(path), "invalid YAML")
    assert not marker.exists()


@pytest.mark.parametrize("tag", EVIL_TAGS)
def test_python_tags_are_refused_in_label_files(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "labels.yaml"
    path.write_text(f"- id: a\n  answer: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    assert_one_line(str(caught.value), str(path))
    assert not marker.exists()


@pytest.mark.parametrize(
    "name", ["questions.yaml", "rubrics/networking.yaml", "rubrics/questions/outside.yaml"]
)
def test_a_symlink_out_of_the_pack_is_refused(tmp_path: Path, name: str) -> None:
    """No content field holds a path; the loader reads only the pack's own files."""
    root = _copy_pack(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    original = root / name
    if original.exists():
        outside.write_bytes(original.read_bytes())
        original.unlink()
    else:  # a per-question addition living outside the pack
        extra = next((root / "rubrics" / "questions").glob("*.yaml"))
        outside.write_bytes(extra.read_bytes())
        extra.unlink()
    original.symlink_to(outside)
    with pytest.raises(ContentError) as caught:
        load_pack(root)
    assert_one_line(str(caught.value), "outside the content pack")


def test_symlinks_inside_the_pack_are_fine(tmp_path: Path) -> None:
    root = _copy_pack(tmp_path)
    (root / "rubrics" / "shared.yaml").write_bytes((root / "rubrics" / "networking.yaml").read_bytes())
    (root / "rubrics" / "networking.yaml").unlink()
    (root / "rubrics" / "networking.yaml").symlink_to(root / "rubrics" / "shared.yaml")
    assert len(load_pack(root).questions) == 10


def test_exported_html_escapes_answer_text(env: dict[str, str], tmp_path: Path) -> None:
    answer = "I met partners monthly. <script>alert('pwned')</script> <img src=x onerror=alert(1)> Referrals rose 30%."
    run = run_coach(["score", "-q", "1", "--save"], env, stdin=answer.encode())
    assert run.code == 0, run.err
    page = tmp_path / "report.html"
    run = run_coach(["report", "--out", str(page)], env)
    assert run.code == 0, run.err
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_database_is_created_owner_only(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "nested" / "coach.sqlite3"
    old = os.umask(0o000)  # even with a permissive umask
    try:
        run = run_coach(["score", "-q", "1", "--save", "--db", str(db)], env, stdin=b"I led a partner program.")
    finally:
        os.umask(old)
    assert run.code == 0, run.err
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for sidecar in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if sidecar.exists():
            assert stat.S_IMODE(sidecar.stat().st_mode) & 0o077 == 0, sidecar
