"""The YAML data of a content pack that loaded cleanly, kept as JSON in the cache folder.

Parsing the YAML is most of a pack's load time, and PyYAML's import adds about 10 ms more: a start
whose files hold the same bytes as at the last clean load reads their data from this copy
instead. (The bytes, not sizes and times: a file rewritten within the same clock tick keeps
both.) The data is still validated as usual; only the YAML line numbers are missing, so a problem
found in cached data sends the loader back to the YAML for an error that points at the line. A
copy that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coach import __version__
from coach.locations import cache_dir

# Bumped when what the YAML reader checks or builds changes, so older copies are not trusted.
FORMAT = 1
KEEP = 16  # copies kept (one per pack folder: tests and hiring managers' copies add more)


def _folder() -> Path:
    return cache_dir() / "content"


def _signature(paths: Sequence[Path], blobs: Sequence[bytes]) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}".encode())
    for path, blob in zip(paths, blobs, strict=True):
        digest.update(f"\0{path}\0".encode())
        digest.update(blob)
    return digest.hexdigest()


def _copy_path(paths: Sequence[Path]) -> Path:
    where = "\n".join(str(p.absolute()) for p in paths[:2])  # the questions and shared rubric
    return _folder() / f"{hashlib.sha256(where.encode()).hexdigest()[:24]}.json"


def read(paths: Sequence[Path], blobs: Sequence[bytes]) -> list[Any] | None:
    """The data of `paths` (whose bytes are `blobs`), in order, if a copy of exactly these
    files exists."""
    signature = _signature(paths, blobs)
    try:
        stored = json.loads(_copy_path(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("signature") != signature:
        return None
    data = stored.get("data")
    return data if isinstance(data, list) and len(data) == len(paths) else None


def write(paths: Sequence[Path], blobs: Sequence[bytes], data: Sequence[Any]) -> None:
    """Keep the data of `paths` for the next start, if JSON holds it exactly (YAML dates or
    number keys would come back different, so such a pack is simply not cached)."""
    try:
        text = json.dumps({"signature": _signature(paths, blobs), "data": list(data)})
        if json.loads(text)["data"] != list(data):
            return
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(_copy_path(paths), text)
        copies = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in copies[:-KEEP]:
            old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass


def _write_atomic(path: Path, text: str) -> None:
    """Readers see the old copy or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
