"""Fixtures for the reliability suite (`pack`, `scorer`, `keyword_scorer`: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import coach_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment for a real `coach` process whose files all live under tmp_path."""
    return coach_env(tmp_path)
