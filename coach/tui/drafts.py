"""Answers in progress, kept on disk as they are typed so a closed or killed app loses nothing.

One JSON file per question in the drafts directory, replaced atomically (write a temporary file
in the same directory, fsync, rename), so a crash mid-write leaves the previous draft intact.
A spoken answer's recording is kept beside it as `<question>.wav` until the answer is submitted
or thrown away; a recording with no JSON file (the app was killed in between) is a draft too.
Drafts hold the user's own words: the directory is the owner's only (0700, its files 0600), and
a looser one left by an older version is tightened when the store opens it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from coach.record import Record, record

FORMAT = 1
DIR_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path: Path, mode: int) -> None:
    """Take away every permission bit outside `mode` (group and others)."""
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        path.chmod(current & mode)


def private_dir(directory: Path) -> Path:
    """`directory`, created or tightened so that only its owner can list or read it."""
    directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(directory, DIR_MODE)
    return directory


@record
class Draft(Record):
    """An unfinished answer to one question."""

    question_id: str
    text: str
    elapsed: float = 0.0  # seconds on the answer timer
    scenario: str | None = None
    saved_at: float = 0.0  # wall-clock time of the save (time.time())
    take: dict[str, Any] | None = None  # a spoken take (`coach.tui.voice.Take.to_dict()`)
    recording: str | None = None  # the kept recording (a WAV file beside the draft), if any

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.recording


class DraftStore:
    """Drafts on disk, plus the latest unsaved version of each (`stage`, then `flush`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._pending: dict[str, Draft] = {}
        if directory.is_dir():
            with contextlib.suppress(OSError):  # never refuse to start over a draft folder
                self._tighten_existing()

    def _tighten_existing(self) -> None:
        _tighten(self.directory, DIR_MODE)
        for path in self.directory.iterdir():
            if path.suffix in (".json", ".wav") and path.is_file() and not path.is_symlink():
                _tighten(path, FILE_MODE)

    def _path(self, question_id: str) -> Path:
        return self.directory / f"{question_id}.json"

    def recording_path(self, question_id: str) -> Path:
        """Where a spoken answer's recording is kept until it is submitted or discarded."""
        return self.directory / f"{question_id}.wav"

    # ------------------------------------------------------------------ writing

    def stage(self, draft: Draft) -> None:
        """Remember the newest text; it reaches the disk on the next `flush`."""
        self._pending[draft.question_id] = draft

    def flush(self) -> list[str]:
        """Write every staged draft (an empty one deletes the file); returns error messages."""
        errors: list[str] = []
        pending, self._pending = self._pending, {}
        for draft in pending.values():
            try:
                if draft.is_empty:
                    self._remove(draft.question_id)
                else:
                    self._write(draft)
            except OSError as exc:
                errors.append(f"cannot save the draft to {self._path(draft.question_id)}: {exc}")
        return errors

    def save(self, draft: Draft) -> list[str]:
        self.stage(draft)
        return self.flush()

    def discard(self, question_id: str) -> None:
        """Forget a draft and its recording (the answer was submitted, or thrown away)."""
        self._pending.pop(question_id, None)
        with contextlib.suppress(OSError):
            self._remove(question_id)
        with contextlib.suppress(OSError):
            self.recording_path(question_id).unlink(missing_ok=True)

    def _write(self, draft: Draft) -> None:
        private_dir(self.directory)
        record = {"format": FORMAT, **asdict(draft), "saved_at": time.time()}
        # mkstemp makes the file 0600, and the rename keeps that mode.
        fd, tmp = tempfile.mkstemp(
            prefix=f".{draft.question_id}.", suffix=".tmp", dir=self.directory
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path(draft.question_id))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _remove(self, question_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(question_id).unlink()

    # ------------------------------------------------------------------ reading

    def load(self, question_id: str) -> Draft | None:
        """The newest draft of a question: staged if any, else from disk; None if there is none."""
        if question_id in self._pending:
            staged = self._pending[question_id]
            return None if staged.is_empty else staged
        return self._with_recording(question_id, self._read(self._path(question_id)))

    def all(self) -> list[Draft]:
        """Every draft, newest first."""
        found: dict[str, Draft] = {}
        if self.directory.is_dir():
            for path in self.directory.glob("*.json"):
                read = self._read(path)
                draft = self._with_recording(read.question_id, read) if read else None
                if draft is not None:
                    found[draft.question_id] = draft
            for path in self.directory.glob("*.wav"):
                if path.stem not in found:
                    orphan = self._with_recording(path.stem, None)  # killed before its draft
                    if orphan is not None:
                        found[path.stem] = orphan
        for question_id, staged in self._pending.items():
            if staged.is_empty:
                found.pop(question_id, None)
            else:
                found[question_id] = staged
        return sorted(found.values(), key=lambda d: d.saved_at, reverse=True)

    @staticmethod
    def _read(path: Path) -> Draft | None:
        """A draft file, or None if it is missing or unreadable (never crash over a draft)."""
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            take = record.get("take")
            draft = Draft(
                question_id=str(record["question_id"]),
                text=str(record["text"]),
                elapsed=float(record.get("elapsed", 0.0)),
                scenario=record.get("scenario") or None,
                saved_at=float(record.get("saved_at", 0.0)),
                take=take if isinstance(take, dict) else None,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return draft

    def _with_recording(self, question_id: str, draft: Draft | None) -> Draft | None:
        """The draft with its kept recording, if the WAV file is there; None if empty."""
        wav = self.recording_path(question_id)
        try:
            stat = wav.stat() if wav.is_file() else None
        except OSError:
            stat = None
        if stat is not None and stat.st_size > 0:
            if draft is None:
                draft = Draft(question_id, "", saved_at=stat.st_mtime)
            draft = replace(draft, recording=str(wav))
        elif draft is not None and draft.recording:
            draft = replace(draft, recording=None)
        return None if draft is None or draft.is_empty else draft
