"""The scorer: STAR parts, rubric criteria and mistakes, each with its evidence sentence.

The error types import nothing heavy; `ScoreResult` (a few dozen dataclasses, about 6 ms),
`Scorer`, `MiniLM` and `Embedder` (numpy and the model code) are imported when first used, so the
app can draw its first screen before they are.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from coach.scoring.errors import EmptyAnswer, ModelUnavailable

if TYPE_CHECKING:
    from coach.scoring.embedding import Embedder, MiniLM
    from coach.scoring.result import ScoreResult
    from coach.scoring.scorer import Scorer

_LAZY = {
    "Embedder": "coach.scoring.embedding",
    "MiniLM": "coach.scoring.embedding",
    "Scorer": "coach.scoring.scorer",
    "ScoreResult": "coach.scoring.result",
}

__all__ = ["Embedder", "EmptyAnswer", "MiniLM", "ModelUnavailable", "ScoreResult", "Scorer"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
