"""What the first frame leaves for later: the screens other than home, and the model's heap.

Light on purpose: the app imports this before its first frame.
"""

from __future__ import annotations

import gc
import sys

# The first frame needs the home screen only: the app imports every other screen where it opens
# it, and after the first frame a worker imports these in the background (`warm_up_screens`),
# so that the first Enter, h or l does not wait for them either.
LATER_SCREENS = (
    "answer",
    "results",
    "past_result",
    "history",
    "lab",
    "help",
    "resume",
    "candidates",
    "session_plan",
    "session_summary",
)


def imported(screen_module: str) -> bool:
    """Whether `coach.tui.screens.<screen_module>` is imported yet.

    A check such as "is an answer screen open?" asks this first rather than import the screen's
    module for nothing: until its module is imported, no such screen can be open.
    """
    return f"coach.tui.screens.{screen_module}" in sys.modules


_heap_frozen = False


def freeze_heap() -> None:
    """Move the loaded model's objects out of the garbage collector's sight.

    Otherwise a full collection walks the whole model (0.5 s or more on a small machine), and it
    can fall on the UI thread in the middle of typing. Once per process: what is loaded then
    stays for good.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()
