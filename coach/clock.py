"""Durations as people read them: `65` -> `1:05`. Shared by the core and the UI."""

from __future__ import annotations


def clock(seconds: float) -> str:
    """Minutes and seconds, rounded to the second: `83.6` -> `1:24`."""
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"
