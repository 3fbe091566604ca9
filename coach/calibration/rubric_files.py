"""Rubric files for calibration: load a pack with another rubrics folder, and write a tuned copy.

A tuned copy changes only numbers. The YAML text is edited line by line so comments and layout
stay; the result is parsed back and compared with what was intended, and only if that check
fails is the file re-written from the data (comments lost, said so in the result). The original
pack is never written to, and any file about to be overwritten is backed up first.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coach.calibration.labels import node_lines
from coach.calibration.params import Params
from coach.content import (
    CRITERION_IDS,
    MISTAKE_IDS,
    STAR_PARTS,
    ContentError,
    ContentPack,
)
from coach.content.loader import SHARED_RUBRIC, load_pack
from coach.content.yaml_lines import Loc

Number = float | tuple[float, ...]


class RubricWriteError(Exception):
    """The tuned copy cannot be written where asked; the message says why, in one line."""


@dataclass(frozen=True)
class RubricChange:
    loc: tuple[str, ...]  # e.g. ("criteria", "follow_up", "threshold") or ("grading", "cutoffs")
    old: Number
    new: Number

    @property
    def name(self) -> str:
        return ".".join(self.loc)

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Number) -> Any:
            return list(value) if isinstance(value, tuple) else value

        return {"field": self.name, "old": plain(self.old), "new": plain(self.new)}


def changes_between(base: Params, tuned: Params) -> list[RubricChange]:
    """The rubric fields to change to turn `base` into `tuned`, in file order."""
    out: list[RubricChange] = []

    def add(loc: tuple[str, ...], old: float, new: float) -> None:
        if abs(float(old) - float(new)) > 1e-9:
            out.append(RubricChange(loc, float(old), float(new)))

    if tuple(base.cutoffs) != tuple(tuned.cutoffs):
        out.append(RubricChange(("grading", "cutoffs"), tuple(base.cutoffs), tuple(tuned.cutoffs)))
    add(("grading", "model_answer_weight"), base.model_answer_weight, tuned.model_answer_weight)
    add(
        ("grading", "talking_points_weight"),
        base.talking_points_weight,
        tuned.talking_points_weight,
    )
    add(("grading", "off_topic_cap"), base.off_topic_cap, tuned.off_topic_cap)
    for part in STAR_PARTS:
        add(("star", part, "weight"), base.weights[part], tuned.weights[part])
        add(("star", part, "threshold"), base.thresholds[part], tuned.thresholds[part])
    for criterion in CRITERION_IDS:
        add(("criteria", criterion, "weight"), base.weights[criterion], tuned.weights[criterion])
        add(
            ("criteria", criterion, "threshold"),
            base.thresholds[criterion],
            tuned.thresholds[criterion],
        )
    for mistake in MISTAKE_IDS:
        add(("mistakes", mistake, "penalty"), base.penalties[mistake], tuned.penalties[mistake])
    return out


# ---------------------------------------------------------------- editing YAML text


def format_number(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return repr(round(value, 4))


def _format(value: Number) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(format_number(v) for v in value) + "]"
    return format_number(value)


NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _replace_on_line(line: str, key: str, value: Number) -> str | None:
    if isinstance(value, tuple):
        pattern = rf"(?<![\w-])({re.escape(key)}\s*:\s*)\[[^\]\n#]*\]"
    else:
        pattern = rf"(?<![\w-])({re.escape(key)}\s*:\s*){NUMBER}(?=\s*(?:#|,|\}}|$))"
    new, count = re.subn(pattern, lambda m: m.group(1) + _format(value), line, count=1)
    return new if count else None


def _set_in(data: Any, loc: Sequence[str], value: Number) -> None:
    node = data
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = list(value) if isinstance(value, tuple) else value


def _line_edits(text: str, changes: Sequence[RubricChange], lines: dict[Loc, int]) -> str | None:
    """The text with every change made on its own line, or None when one cannot be done that way."""
    rows = text.split("\n")
    inserts: list[tuple[int, str]] = []
    for change in changes:
        loc: Loc = tuple(change.loc)
        key = change.loc[-1]
        line = lines.get(loc)
        if line is not None:
            edited = _replace_on_line(rows[line - 1], key, change.new)
            if edited is None:
                return None
            rows[line - 1] = edited
            continue
        parent_line = lines.get(loc[:-1])
        children = [
            number
            for path, number in lines.items()
            if len(path) == len(loc) and path[:-1] == loc[:-1]
        ]
        if parent_line is None or not children or min(children) <= parent_line:
            return None  # the parent is missing or written inline: leave it to the fallback
        first = rows[min(children) - 1]
        indent = first[: len(first) - len(first.lstrip())]
        inserts.append((parent_line, f"{indent}{key}: {_format(change.new)}"))
    for after, row in sorted(inserts, reverse=True):
        rows.insert(after, row)
    return "\n".join(rows)


@dataclass(frozen=True)
class EditedText:
    text: str
    kept_comments: bool  # False: the file had to be re-written from its data


def edit_rubric_text(text: str, changes: Sequence[RubricChange]) -> EditedText:
    """Apply number changes to a rubric's YAML text, keeping comments when it safely can."""
    lines = key_lines(text)
    expected = yaml.safe_load(text)
    for change in changes:
        _set_in(expected, change.loc, change.new)
    edited = _line_edits(text, changes, lines)
    if edited is not None:
        try:
            if yaml.safe_load(edited) == expected:
                return EditedText(edited, True)
        except yaml.YAMLError:
            pass
    dumped = yaml.safe_dump(expected, sort_keys=False, allow_unicode=True, width=100)
    header = "# Tuned by `coach calibrate --write`; the original's comments could not be kept.\n"
    return EditedText(header + dumped, False)


def key_lines(text: str) -> dict[Loc, int]:
    """Line (1-based) of every key in the YAML `text`, by key path."""
    lines: dict[Loc, int] = {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        node_lines(root, (), lines)
    return lines


# ---------------------------------------------------------------- files


def backup(path: Path) -> Path:
    """Copy `path` to `path.bak` (or .bak1, .bak2, ... when that exists) and return the copy."""
    candidate = path.with_name(path.name + ".bak")
    number = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak{number}")
        number += 1
    shutil.copy2(path, candidate)
    return candidate


def rubric_source(directory: Path) -> Path:
    """The rubrics folder meant by `--rubric DIR`: DIR itself, or DIR/rubrics for a whole pack."""
    directory = Path(directory)
    if (directory / SHARED_RUBRIC).is_file():
        return directory
    if (directory / "rubrics" / SHARED_RUBRIC).is_file():
        return directory / "rubrics"
    if not directory.is_dir():
        raise ContentError(directory, None, "", "rubrics folder not found")
    raise ContentError(directory, None, "", f"expected a rubrics folder holding {SHARED_RUBRIC}")


def load_pack_with_rubrics(root: Path, rubric_dir: Path | None) -> ContentPack:
    """The pack at `root`, with its rubrics taken from `rubric_dir` when one is given."""
    if rubric_dir is None:
        return load_pack(root)
    return load_pack(root, rubrics=rubric_source(rubric_dir))


@dataclass(frozen=True)
class WrittenRubric:
    path: Path
    backup: Path | None
    kept_comments: bool
    changes: tuple[RubricChange, ...]


def write_rubric(source: Path, dest: Path, changes: Sequence[RubricChange]) -> WrittenRubric:
    """Write `source` with `changes` to `dest` (never to `source` itself), backing up `dest`."""
    if Path(dest).resolve() == Path(source).resolve():
        raise RubricWriteError(
            f"{dest}: refusing to overwrite the rubric being tuned; pick a new file"
        )
    text = source.read_text(encoding="utf-8")
    edited = edit_rubric_text(text, changes)
    saved = None
    if dest.exists():
        if dest.is_dir():
            raise RubricWriteError(f"{dest}: is a directory, expected a file name")
        saved = backup(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(edited.text, encoding="utf-8")
    return WrittenRubric(dest, saved, edited.kept_comments, tuple(changes))


@dataclass(frozen=True)
class WrittenPack:
    root: Path
    rubric: WrittenRubric
    backups: tuple[Path, ...]  # every file that was about to be overwritten, saved first
    pack: ContentPack  # the copy, loaded and validated


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _pack_files(root: Path, rubric_dir: Path | None) -> dict[Path, Path]:
    """Relative path in the copy -> file to copy, for every file of the pack."""
    files: dict[Path, Path] = {}
    skip = {"__pycache__"}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(
            part in skip or part.startswith(".") for part in relative.parts
        ):
            continue
        if rubric_dir is not None and relative.parts[0] == "rubrics":
            continue
        files[relative] = path
    if rubric_dir is not None:
        for path in sorted(rubric_dir.rglob("*")):
            relative = path.relative_to(rubric_dir)
            if path.is_file() and not any(p in skip or p.startswith(".") for p in relative.parts):
                files[Path("rubrics") / relative] = path
    return files


def check_out_dir(root: Path, out_dir: Path, rubric_dir: Path | None = None) -> None:
    """Raise RubricWriteError unless a tuned copy of the pack at `root` may go to `out_dir`:
    never into the pack or rubrics being tuned, never over a folder that is not a pack."""
    source = Path(root).resolve()
    rubrics = rubric_source(rubric_dir).resolve() if rubric_dir is not None else source / "rubrics"
    out = Path(out_dir).resolve()
    for original in (source, rubrics):
        if _inside(out, original):
            raise RubricWriteError(
                f"{out_dir}: inside the pack being tuned ({original}); "
                "write the copy somewhere else"
            )
    if out.exists() and not out.is_dir():
        raise RubricWriteError(f"{out_dir}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / "questions.yaml").is_file():
        raise RubricWriteError(
            f"{out_dir}: a non-empty folder that is not a content pack; pick a new or empty folder"
        )


def write_tuned_pack(
    root: Path, out_dir: Path, changes: Sequence[RubricChange], rubric_dir: Path | None = None
) -> WrittenPack:
    """Copy the pack at `root` (rubrics from `rubric_dir` if given) to `out_dir` and apply
    `changes` to the copy's shared rubric. The source is only read."""
    check_out_dir(root, out_dir, rubric_dir)
    source = Path(root).resolve()
    rubrics = rubric_source(rubric_dir).resolve() if rubric_dir is not None else source / "rubrics"
    out = Path(out_dir).resolve()
    files = _pack_files(source, rubrics if rubric_dir is not None else None)
    backups: list[Path] = []
    for relative, path in files.items():
        dest = out / relative
        if dest.exists():
            if dest.read_bytes() == path.read_bytes():
                continue
            backups.append(backup(dest))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    # A per-question rubric left over from an older copy would change the scoring: set it aside.
    extra = out / "rubrics" / "questions"
    for stale in sorted(extra.glob("*.yaml")) if extra.is_dir() else []:
        if stale.relative_to(out) not in files:
            backups.append(backup(stale))
            stale.unlink()
    rubric_path = out / "rubrics" / SHARED_RUBRIC
    text = rubric_path.read_text(encoding="utf-8")
    edited = edit_rubric_text(text, changes)
    if edited.text != text:
        rubric_path.write_text(edited.text, encoding="utf-8")
    written = WrittenRubric(rubric_path, None, edited.kept_comments, tuple(changes))
    try:
        pack = load_pack(out)
    except ContentError as exc:
        raise RubricWriteError(f"the tuned copy does not validate: {exc}") from None
    return WrittenPack(out, written, tuple(backups), pack)
