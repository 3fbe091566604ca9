"""The records the store hands out: frozen dataclasses, nothing tied to SQLite."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import UTC, date, datetime
from typing import Any, Literal

from coach.record import Record, record

Mode = Literal["typed", "spoken", "file"]
MODES: tuple[Mode, ...] = ("typed", "spoken", "file")
DEFAULT_CANDIDATE = "me"


def utc_now() -> datetime:
    return datetime.now(UTC)


@record
class Candidate(Record):
    """Someone who practises; the store keeps each one's history apart."""

    id: int
    name: str
    created_at: datetime
    note: str = ""


@record
class Attempt(Record):
    """One scored answer, with everything needed to show, report or re-score it."""

    id: int
    uid: str  # stable across export/import
    candidate: str
    question_id: str
    mode: Mode
    answer: str  # the typed text, the file's text or the transcript
    submitted_at: datetime
    overall: int  # 0-100
    grade: int  # 1-5, the scorer's
    result: Mapping[str, Any]  # ScoreResult.to_dict()
    content_hash: str = ""
    scenario: str = ""
    started_at: datetime | None = None
    seconds_taken: float | None = None
    target_seconds: int | None = None
    delivery: Mapping[str, Any] | None = None  # speech delivery metrics when spoken
    coach_note: str = ""
    human_grade: int | None = None  # 1-5, a coach's grade, overrides `grade` for scheduling
    session_id: int | None = None

    @property
    def effective_grade(self) -> int:
        """The coach's grade when there is one, else the scorer's."""
        return self.human_grade if self.human_grade is not None else self.grade

    def criterion_scores(self) -> dict[str, float]:
        """Criterion id -> score 0-1, from the saved result."""
        out: dict[str, float] = {}
        for item in self.result.get("criteria", []):
            if isinstance(item, Mapping) and "id" in item:
                out[str(item["id"])] = float(item.get("score", 0.0))
        return out

    def criterion_passed(self) -> dict[str, bool]:
        out: dict[str, bool] = {}
        for item in self.result.get("criteria", []):
            if isinstance(item, Mapping) and "id" in item:
                out[str(item["id"])] = bool(item.get("passed", False))
        return out


@record
class TrendPoint(Record):
    """One point of a progress chart."""

    when: datetime
    score: float
    attempt_id: int
    question_id: str


@record
class CriterionWeakness(Record):
    """How one criterion fares over a candidate's recent attempts (weakest first)."""

    criterion: str
    mean_score: float  # 0-1
    pass_rate: float  # 0-1
    attempts: int


@record
class QuestionProgress(Record):
    """Where a candidate stands on one question (weakest first in `weakest_questions`)."""

    question_id: str
    attempts: int
    last_grade: int
    best_grade: int
    mean_overall: float
    last_practised: datetime
    due_on: date | None = None


@record
class ScheduleEntry(Record):
    """The spaced-repetition state of one question for one candidate."""

    candidate: str
    question_id: str
    due_on: date
    interval_days: int
    repetitions: int
    ease: float
    last_grade: int
    last_practised: datetime
    reviews: int

    def is_due(self, today: date) -> bool:
        return self.due_on <= today


@record
class PlanItem(Record):
    """One question of a session plan, with its own time limit if it has one."""

    question_id: str
    seconds: int | None = None  # time limit; None: the plan's default, then the question's target


PlanPick = Literal["list", "random", "due"]


@record
class SessionPlan(Record):
    """A named practice session: a fixed list of questions, `count` random ones, or due first."""

    name: str
    pick: PlanPick = "list"
    items: tuple[PlanItem, ...] = ()
    count: int | None = None  # for random / due
    seconds: int | None = None  # default time limit per question
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "pick": self.pick}
        if self.description:
            out["description"] = self.description
        if self.seconds is not None:
            out["seconds"] = self.seconds
        if self.count is not None:
            out["count"] = self.count
        if self.items:
            out["questions"] = [
                {"question": i.question_id, **({"seconds": i.seconds} if i.seconds else {})}
                for i in self.items
            ]
        return out


@record
class PlanStep(Record):
    """One question of a resolved plan, with its time limit (None: use the question's target)."""

    question_id: str
    seconds: int | None


@record
class Session(Record):
    """A coach's practice session: its plan, its steps, when it started and ended."""

    id: int
    uid: str
    candidate: str
    started_at: datetime
    plan: SessionPlan | None = None
    ended_at: datetime | None = None
    note: str = ""
    steps: tuple[PlanStep, ...] = field(default_factory=tuple)

    @property
    def plan_name(self) -> str:
        return self.plan.name if self.plan else ""
