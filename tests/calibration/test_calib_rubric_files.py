"""Writing tuned rubrics: only numbers change, comments stay, the original is never touched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from coach.calibration import (
    Params,
    RubricChange,
    RubricWriteError,
    changes_between,
    load_pack_with_rubrics,
    write_rubric,
    write_tuned_pack,
)
from coach.calibration.rubric_files import edit_rubric_text
from coach.cli import main
from coach.content import ContentError, load_pack


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def pack_copy(tmp_path: Path, content_root: Path) -> Path:
    """A private copy of the bundled pack, so these tests never depend on the real one changing."""
    root = tmp_path / "pack"
    shutil.copytree(content_root, root, ignore=shutil.ignore_patterns("*.bak*", "__pycache__"))
    return root


def tuned_params(root: Path) -> tuple[Params, Params]:
    base = Params.from_rubric(load_pack(root).rubric)
    tuned = base.with_threshold("follow_up", 0.37).with_threshold("result", 0.61)
    tuned = tuned.with_cutoffs([20, 39, 57, 71]).with_weight("metrics", 22.5)
    return base, tuned


def test_edit_keeps_comments_and_changes_only_the_numbers(pack_copy: Path) -> None:
    path = pack_copy / "rubrics" / "networking.yaml"
    text = path.read_text(encoding="utf-8")
    base, tuned = tuned_params(pack_copy)
    changes = changes_between(base, tuned)
    assert {c.name for c in changes} == {
        "grading.cutoffs",
        "star.result.threshold",
        "criteria.metrics.weight",
        "criteria.follow_up.threshold",
    }
    edited = edit_rubric_text(text, changes)
    assert edited.kept_comments
    before, after = text.splitlines(), edited.text.splitlines()
    comments = [line for line in before if line.lstrip().startswith("#")]
    assert comments == [line for line in after if line.lstrip().startswith("#")]
    if len(before) == len(after):  # every key was there already: only its line changes
        changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert len(changed) == len(changes)
    data = yaml.safe_load(edited.text)
    assert data["grading"]["cutoffs"] == [20, 39, 57, 71]
    assert data["criteria"]["follow_up"]["threshold"] == 0.37
    assert data["criteria"]["metrics"]["weight"] == 22.5
    assert data["star"]["result"]["threshold"] == 0.61


MISSING_KEY = """\
# top comment
grading:
  cutoffs: [25, 42, 58, 74]   # rising
star:
  result:
    weight: 9
    exemplars:
      - As a result we closed three deals.
criteria:
  metrics: {weight: 20, threshold: 0.55}
"""


def test_a_missing_key_is_inserted_with_its_neighbours_indent() -> None:
    change = RubricChange(("star", "result", "threshold"), 0.45, 0.5)
    edited = edit_rubric_text(MISSING_KEY, [change])
    assert edited.kept_comments
    assert "  result:\n    threshold: 0.5\n    weight: 9\n" in edited.text
    assert "# rising" in edited.text


def test_inline_mappings_are_edited_in_place() -> None:
    change = RubricChange(("criteria", "metrics", "threshold"), 0.55, 0.6)
    edited = edit_rubric_text(MISSING_KEY, [change])
    assert edited.kept_comments
    assert "metrics: {weight: 20, threshold: 0.6}" in edited.text


def test_when_line_edits_cannot_work_the_file_is_redumped() -> None:
    change = RubricChange(("criteria", "metrics", "own_example"), 1.0, 0.0)  # inline: no insert
    edited = edit_rubric_text(MISSING_KEY, [change])
    assert not edited.kept_comments
    assert yaml.safe_load(edited.text)["criteria"]["metrics"]["own_example"] == 0.0


def test_write_rubric_refuses_the_source_and_backs_up_the_destination(tmp_path: Path) -> None:
    source = tmp_path / "networking.yaml"
    source.write_text(MISSING_KEY, encoding="utf-8")
    change = RubricChange(
        ("grading", "cutoffs"), (25.0, 42.0, 58.0, 74.0), (20.0, 40.0, 60.0, 80.0)
    )
    with pytest.raises(RubricWriteError, match="refusing to overwrite"):
        write_rubric(source, source, [change])
    dest = tmp_path / "tuned.yaml"
    first = write_rubric(source, dest, [change])
    assert first.backup is None
    assert "cutoffs: [20, 40, 60, 80]   # rising" in dest.read_text(encoding="utf-8")
    second = write_rubric(source, dest, [change])
    assert second.backup == tmp_path / "tuned.yaml.bak"
    third = write_rubric(source, dest, [change])
    assert third.backup == tmp_path / "tuned.yaml.bak1"
    assert source.read_text(encoding="utf-8") == MISSING_KEY


def test_write_tuned_pack_copies_never_modifies_and_validates(
    pack_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tree_digest(pack_copy)
    base, tuned = tuned_params(pack_copy)
    out = tmp_path / "tuned-pack"
    written = write_tuned_pack(pack_copy, out, changes_between(base, tuned))
    assert tree_digest(pack_copy) == original
    assert written.backups == ()
    assert Params.from_rubric(written.pack.rubric) == tuned
    assert main(["content", "check", str(out)]) == 0
    assert "OK" in capsys.readouterr().out
    # Writing again over a copy someone edited backs their file up first.
    rubric = out / "rubrics" / "networking.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
    again = write_tuned_pack(pack_copy, out, changes_between(base, tuned))
    assert rubric.with_name("networking.yaml.bak") in again.backups
    assert "# my note" in rubric.with_name("networking.yaml.bak").read_text(encoding="utf-8")
    assert tree_digest(pack_copy) == original


@pytest.mark.parametrize("where", ["", "rubrics", "rubrics/tuned"])
def test_write_tuned_pack_refuses_the_original(pack_copy: Path, where: str) -> None:
    with pytest.raises(RubricWriteError, match="inside the pack being tuned"):
        write_tuned_pack(pack_copy, pack_copy / where, [])


def test_write_tuned_pack_refuses_a_folder_that_is_not_a_pack(
    pack_copy: Path, tmp_path: Path
) -> None:
    other = tmp_path / "documents"
    other.mkdir()
    (other / "letter.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(RubricWriteError, match="not a content pack"):
        write_tuned_pack(pack_copy, other, [])


def test_another_rubrics_folder_is_used_and_copied(pack_copy: Path, tmp_path: Path) -> None:
    rubrics = tmp_path / "my-rubrics"
    shutil.copytree(pack_copy / "rubrics", rubrics)
    shutil.rmtree(rubrics / "questions")
    shared = rubrics / "networking.yaml"
    text = shared.read_text(encoding="utf-8")
    base = Params.from_rubric(load_pack(pack_copy).rubric)
    shared.write_text(
        edit_rubric_text(
            text, [RubricChange(("grading", "cutoffs"), base.cutoffs, (10, 20, 30, 40))]
        ).text,
        encoding="utf-8",
    )
    for folder in (rubrics, tmp_path):  # the folder itself, or a pack holding rubrics/
        if folder == tmp_path:
            (tmp_path / "rubrics").symlink_to(rubrics)
        pack = load_pack_with_rubrics(pack_copy, folder)
        assert pack.rubric.grading.cutoffs == [10, 20, 30, 40]
        assert pack.question_rubrics == {}
    out = tmp_path / "copy"
    written = write_tuned_pack(pack_copy, out, [], rubrics)
    assert written.pack.rubric.grading.cutoffs == [10, 20, 30, 40]
    assert not (out / "rubrics" / "questions").exists()
    with pytest.raises(ContentError, match="expected a rubrics folder"):
        load_pack_with_rubrics(pack_copy, tmp_path / "copy" / "calibration")


def test_cli_refuses_a_bad_write_destination_before_scoring(
    pack_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_model(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the model must not load for a bad --write")

    monkeypatch.setattr("coach.cli.calibrate_cmd.build_scorer", no_model)
    labels = pack_copy / "calibration" / "holdout.yaml"
    argv = ["calibrate", str(labels), "--content", str(pack_copy), "--write", str(pack_copy)]
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "inside the pack being tuned" in capsys.readouterr().err
