"""Every path coach reads or writes, in one place."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "coach"


def bundled_content_dir() -> Path:
    """The content pack that ships with coach (overridable with COACH_CONTENT)."""
    override = os.environ.get("COACH_CONTENT")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "content"


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    override = os.environ.get("COACH_CACHE_DIR")
    if override:
        return Path(override)
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    override = os.environ.get("COACH_DB")
    if override:
        return Path(override)
    return data_dir() / "coach.sqlite3"


def drafts_dir() -> Path:
    return data_dir() / "drafts"
