"""Messages the app's workers and widgets post upwards (attributes go down, messages go up)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from coach.store import Attempt as SavedAttempt
from coach.store import Candidate, SessionPlan
from coach.tui.engine import ModelState
from coach.tui.practice import HistoryView, SessionRun, SessionSummary

if TYPE_CHECKING:  # numpy and the calibration code load when the lab opens, not at start-up
    from coach.calibration import Lab
    from coach.scoring import ScoreResult  # the scoring code loads after the first frame


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
    """A feedback item was highlighted: show these answer sentences (indices) as its evidence."""

    sentences: tuple[int, ...]


@dataclass
class OpenQuestion(Message):
    """Open the answer screen for a question (with a drawn scenario prompt, if any)."""

    question_id: str
    scenario: str | None = None
    fresh: bool = False  # True: start a new attempt even if a draft is kept


@dataclass
class StoreProblem(Message):
    """A call to the practice store failed; `reason` is one line to show."""

    reason: str
    title: str = "Practice history"


@dataclass
class HistoryLoaded(Message):
    """The history screen's worker read the attempts, trends and weak spots for a filter."""

    view: HistoryView


@dataclass
class AttemptUpdated(Message):
    """A coach's note or grade was saved on an attempt."""

    attempt: SavedAttempt


@dataclass
class CandidatesLoaded(Message):
    candidates: list[Candidate]


@dataclass
class CandidateAdded(Message):
    name: str


@dataclass
class CandidateSwitched(Message):
    """The app practises as this candidate now."""

    name: str


@dataclass
class CandidateRefused(Message):
    """A new candidate's name was refused (empty, taken, too long...)."""

    reason: str


@dataclass
class PlansLoaded(Message):
    plans: list[SessionPlan]


@dataclass
class SessionStarted(Message):
    run: SessionRun


@dataclass
class SessionFinished(Message):
    summary: SessionSummary


@dataclass
class LabProgress(Message):
    """Records of the labels file scored so far."""

    done: int
    total: int


@dataclass
class LabReady(Message):
    """The labels file is scored: the lab can move numbers now."""

    lab: Lab
    path: Path


@dataclass
class LabFailed(Message):
    """The labels file could not be opened or scored (or, `saving`, the rubric not written)."""

    reason: str
    saving: bool = False


@dataclass
class RubricSaved(Message):
    """The tuned rubric (or pack) was written; `message` says where, and any backup."""

    message: str
