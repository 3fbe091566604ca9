"""Messages the app's workers and widgets post upwards (attributes go down, messages go up)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, dataclass_transform

from textual.message import Message

from coach.store import Attempt as SavedAttempt
from coach.store import Candidate, SessionPlan
from coach.tui.engine import ModelState
from coach.tui.practice import HistoryView, SessionRun, SessionSummary

if TYPE_CHECKING:  # numpy and the calibration code load when the lab opens, not at start-up
    from coach.calibration import Lab
    from coach.scoring import ScoreResult  # the scoring code loads after the first frame

M = TypeVar("M", bound=Message)


@dataclass_transform()
def message(cls: type[M]) -> type[M]:
    """A dataclass message. Only its `__init__` is compiled: messages are never compared, and
    Textual shows them with its own repr (each method dataclasses compile costs the start)."""
    return dataclass(eq=False, repr=False)(cls)


@message
class ModelLoaded(Message):
    """The model worker finished: the scorer is ready, or runs on keyword checks only."""

    state: ModelState
    problem: str = ""


@message
class LiveScored(Message):
    """The live checklist's score of the draft as it stood at `version`."""

    question_id: str
    version: int
    result: ScoreResult | None  # None: nothing to score yet (an empty draft)


@message
class AnswerScored(Message):
    """A submitted answer came back from the scorer."""

    question_id: str
    answer: str
    seconds: float
    result: ScoreResult


@message
class ScoringFailed(Message):
    """A submitted answer could not be scored; `reason` is shown to the user."""

    question_id: str
    reason: str


@message
class EvidenceFocused(Message):
    """A feedback item was highlighted: show these answer sentences (indices) as its evidence."""

    sentences: tuple[int, ...]


@message
class OpenQuestion(Message):
    """Open the answer screen for a question (with a drawn scenario prompt, if any)."""

    question_id: str
    scenario: str | None = None
    fresh: bool = False  # True: start a new attempt even if a draft is kept


@message
class StoreProblem(Message):
    """A call to the practice store failed; `reason` is one line to show."""

    reason: str
    title: str = "Practice history"


@message
class HistoryLoaded(Message):
    """The history screen's worker read the attempts, trends and weak spots for a filter."""

    view: HistoryView


@message
class AttemptUpdated(Message):
    """A coach's note or grade was saved on an attempt."""

    attempt: SavedAttempt


@message
class CandidatesLoaded(Message):
    """The store's candidates, read in a worker."""

    candidates: list[Candidate]


@message
class CandidateAdded(Message):
    """A new candidate was added; switch to them."""

    name: str


@message
class CandidateSwitched(Message):
    """The app practises as this candidate now."""

    name: str


@message
class CandidateRefused(Message):
    """A new candidate's name was refused (empty, taken, too long...)."""

    reason: str


@message
class PlansLoaded(Message):
    """The session plans, read in a worker."""

    plans: list[SessionPlan]


@message
class SessionStarted(Message):
    """A coach session was started from a plan."""

    run: SessionRun


@message
class SessionFinished(Message):
    """A coach session ended; show its summary."""

    summary: SessionSummary


@message
class LabProgress(Message):
    """Records of the labels file scored so far."""

    done: int
    total: int


@message
class LabReady(Message):
    """The labels file is scored: the lab can move numbers now."""

    lab: Lab
    path: Path


@message
class LabFailed(Message):
    """The labels file could not be opened or scored (or, `saving`, the rubric not written)."""

    reason: str
    saving: bool = False


@message
class RubricSaved(Message):
    """The tuned rubric (or pack) was written; `message` says where, and any backup."""

    message: str
