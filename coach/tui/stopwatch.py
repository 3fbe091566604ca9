"""A pausable stopwatch over an injectable clock (tests drive the clock, never sleep)."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]
"""Returns seconds from an arbitrary, monotonic origin (like `time.monotonic`)."""


class Stopwatch:
    """Elapsed seconds across start/pause cycles, read from `clock`."""

    def __init__(self, clock: Clock = time.monotonic, elapsed: float = 0.0) -> None:
        self._clock = clock
        self._banked = max(0.0, elapsed)
        self._started_at: float | None = None

    @property
    def running(self) -> bool:
        return self._started_at is not None

    def start(self) -> None:
        if self._started_at is None:
            self._started_at = self._clock()

    def pause(self) -> None:
        if self._started_at is not None:
            self._banked += max(0.0, self._clock() - self._started_at)
            self._started_at = None

    def elapsed(self) -> float:
        if self._started_at is None:
            return self._banked
        return self._banked + max(0.0, self._clock() - self._started_at)


class FakeClock:
    """A clock that moves only when told to: `clock.advance(seconds)`."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def format_seconds(seconds: float) -> str:
    """`83.4` -> `1:23`."""
    whole = int(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"
