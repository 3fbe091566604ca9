"""The practice store as the app uses it: the candidate, history views and coach sessions.

Plain Python (no Textual): the screens call it from thread workers and post what comes back.
Every method may raise `coach.store.StoreError` (a one-line message to show).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from coach.content import ContentPack
from coach.record import Record, record
from coach.store import (
    DEFAULT_CANDIDATE,
    Candidate,
    CandidateHistory,
    CriterionWeakness,
    InvalidValue,
    NotFound,
    PlanStep,
    QuestionProgress,
    Session,
    SessionPlan,
    Store,
    resolve_plan,
)
from coach.store import Attempt as SavedAttempt

HISTORY_LIMIT = 500  # attempts listed at once in the history screen (the newest)
QuickPick = Literal["random", "due"]


def quick_plan(pick: QuickPick, count: int) -> SessionPlan:
    """A plan made on the spot: `count` random questions, or due ones first."""
    count = max(1, count)
    if pick == "random":
        name = f"{count} random question{'s' if count != 1 else ''}"
    else:
        name = f"Due first ({count})"
    return SessionPlan(name=name, pick=pick, count=count)


def due_plan(count: int) -> SessionPlan:
    """ "Drill due": the questions due today, most overdue first."""
    return SessionPlan(name="Drill due", pick="due", count=max(1, count))


@record
class HistoryFilter(Record):
    """What the history screen shows: whose answers, to which question, since when."""

    candidate: str
    question: str | None = None  # a question id; None: every question
    since: date | None = None  # from this local day on; None: all time


@record
class HistoryView(Record):
    """What the history screen shows for one filter."""

    filter: HistoryFilter
    attempts: tuple[SavedAttempt, ...]  # newest first
    trends: dict[str, tuple[float, ...]]  # "overall" (0-100) and criterion ids (0-1), oldest first
    weakest_criteria: tuple[CriterionWeakness, ...]  # over the last 10 attempts, weakest first
    weakest_questions: tuple[QuestionProgress, ...]  # weakest first


@dataclass
class SessionRun:
    """A coach session in progress: the questions it asks and which one is up."""

    session: Session
    steps: tuple[PlanStep, ...]
    index: int = 0
    scenarios: dict[int, str] = field(default_factory=dict)  # step index -> drawn prompt

    @property
    def name(self) -> str:
        return self.session.plan_name or "Session"

    @property
    def current(self) -> PlanStep | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def advance(self) -> PlanStep | None:
        self.index = min(self.index + 1, len(self.steps))
        return self.current


@record
class SummaryRow(Record):
    """One question of a finished session, with the answer given to it."""

    number: int
    question_id: str
    title: str
    limit: int  # the time limit in seconds
    attempt: SavedAttempt | None  # the latest answer given in the session; None: skipped


@record
class SessionSummary(Record):
    """A finished session: its questions, answers and weakest criterion."""

    session: Session
    rows: tuple[SummaryRow, ...]
    weakest: CriterionWeakness | None  # the criterion with the lowest mean score in the session

    @property
    def answered(self) -> list[SavedAttempt]:
        return [row.attempt for row in self.rows if row.attempt is not None]

    @property
    def points(self) -> int:
        """Grade points earned (the coach's grade where one was given)."""
        return sum(a.effective_grade for a in self.answered)

    @property
    def max_points(self) -> int:
        return 5 * len(self.rows)

    @property
    def mean_overall(self) -> float | None:
        answered = self.answered
        return sum(a.overall for a in answered) / len(answered) if answered else None


def weakest_criterion(attempts: list[SavedAttempt]) -> CriterionWeakness | None:
    scores: dict[str, list[float]] = defaultdict(list)
    passes: dict[str, list[bool]] = defaultdict(list)
    for attempt in attempts:
        for criterion, score in attempt.criterion_scores().items():
            scores[criterion].append(score)
        for criterion, ok in attempt.criterion_passed().items():
            passes[criterion].append(ok)
    ranked = sorted(
        (
            CriterionWeakness(
                criterion=c,
                mean_score=sum(v) / len(v),
                pass_rate=sum(passes[c]) / len(passes[c]) if passes[c] else 0.0,
                attempts=len(v),
            )
            for c, v in scores.items()
        ),
        key=lambda w: (w.mean_score, w.pass_rate, w.criterion),
    )
    return ranked[0] if ranked else None


class Practice:
    """One store, one content pack and the candidate practising now."""

    def __init__(self, store: Store, pack: ContentPack, candidate: str = DEFAULT_CANDIDATE) -> None:
        self.store = store
        self.pack = pack
        name, self.created = self.ensure_candidate(candidate)
        self.history = CandidateHistory(store, name, pack.content_hash)

    @property
    def candidate(self) -> str:
        return self.history.candidate

    # ------------------------------------------------------------ candidates

    def ensure_candidate(self, name: str) -> tuple[str, bool]:
        """The stored name of candidate `name` (same name in another case counts), creating the
        candidate when there is none; True when it was created. InvalidValue for a bad name."""
        try:
            return self.store.get_candidate(name).name, False
        except NotFound:
            pass
        wanted = " ".join(name.split()).casefold()
        for candidate in self.store.list_candidates():
            if candidate.name.casefold() == wanted:
                return candidate.name, False
        return self.store.add_candidate(name).name, True

    def candidates(self) -> list[Candidate]:
        return self.store.list_candidates()

    def add_candidate(self, name: str) -> Candidate:
        return self.store.add_candidate(name)

    def switch(self, name: str) -> str:
        """Practise as `name` from now on (NotFound if there is no such candidate)."""
        self.history.candidate = self.store.get_candidate(name).name
        return self.history.candidate

    # ------------------------------------------------------------ history

    def history_view(self, wanted: HistoryFilter) -> HistoryView:
        store = self.store
        attempts = store.list_attempts(
            candidate=wanted.candidate,
            question=wanted.question,
            since=wanted.since,
            limit=HISTORY_LIMIT,
            newest_first=True,
        )
        trends = store.trends(wanted.candidate, question=wanted.question, since=wanted.since)
        series = {
            key: tuple(point.score for point in points)
            for key, points in trends.items()
            if key != "grade"
        }
        return HistoryView(
            filter=wanted,
            attempts=tuple(attempts),
            trends=series,
            weakest_criteria=tuple(
                store.weakest_criteria(wanted.candidate, question=wanted.question)
            ),
            weakest_questions=tuple(store.weakest_questions(wanted.candidate)),
        )

    def set_note(self, attempt_id: int, note: str) -> SavedAttempt:
        return self.store.add_note(attempt_id, note)

    def set_human_grade(self, attempt_id: int, grade: int | None) -> SavedAttempt:
        return self.store.set_human_grade(attempt_id, grade)

    # ------------------------------------------------------------ sessions

    def plans(self) -> list[SessionPlan]:
        return self.store.list_plans()

    def start_session(self, plan: SessionPlan, rng: random.Random | None = None) -> SessionRun:
        """Resolve the plan's questions for this candidate and open a session in the store."""
        ids = self.pack.question_ids()
        order = self.store.practice_order(self.candidate, ids) if plan.pick == "due" else None
        steps = resolve_plan(plan, ids, order, rng)
        if not steps:
            raise InvalidValue(f"plan {plan.name!r} names no question of this content pack")
        session = self.store.start_session(self.candidate, plan=plan, steps=steps)
        return SessionRun(session, tuple(steps))

    def finish_session(self, run: SessionRun) -> SessionSummary:
        """Close the session in the store and sum it up from the attempts saved in it."""
        session = run.session
        if session.ended_at is None:
            session = self.store.end_session(session.id)
            run.session = session
        return self.summary(session, run.steps)

    def summary(self, session: Session, steps: tuple[PlanStep, ...] = ()) -> SessionSummary:
        steps = steps or session.steps
        attempts = self.store.list_attempts(session=session.id)
        latest: dict[str, SavedAttempt] = {}
        for attempt in attempts:  # oldest first: the last one wins
            latest[attempt.question_id] = attempt
        rows = []
        for number, step in enumerate(steps, start=1):
            try:
                question = self.pack.find_question(step.question_id)
                title, target = question.title, question.target_seconds
            except KeyError:
                title, target = step.question_id, 0
            rows.append(
                SummaryRow(
                    number=number,
                    question_id=step.question_id,
                    title=title,
                    limit=step.seconds or target,
                    attempt=latest.get(step.question_id),
                )
            )
        answered = [row.attempt for row in rows if row.attempt is not None]
        return SessionSummary(session, tuple(rows), weakest_criterion(answered))
