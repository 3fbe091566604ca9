"""Messages the app's workers and widgets post upwards (attributes go down, messages go up)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from coach.scoring import ScoreResult
from coach.tui.engine import ModelState


@dataclass
class ModelLoaded(Message):
    """The model worker finished: the scorer is ready, or runs on keyword checks only."""

    state: ModelState
    problem: str = ""


@dataclass
class LiveScored(Message):
    """The live checklist's score of the draft as it stood at `version`."""

    question_id: str
    version: int
    result: ScoreResult | None  # None: nothing to score yet (an empty draft)


@dataclass
class AnswerScored(Message):
    """A submitted answer came back from the scorer."""

    question_id: str
    answer: str
    seconds: float
    result: ScoreResult


@dataclass
class ScoringFailed(Message):
    """A submitted answer could not be scored; `reason` is shown to the user."""

    question_id: str
    reason: str


@dataclass
class EvidenceFocused(Message):
    """A feedback item was highlighted: show these answer spans (char offsets) as its evidence."""

    spans: tuple[tuple[int, int], ...]
