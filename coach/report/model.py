"""What a report is made of, computed from saved attempts (no database access here).

The report reads attempts through the `AttemptLike` protocol; `coach.store.Attempt` fits it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from coach.content import Question

CRITERION_LABELS = {
    "metrics": "Impact metrics",
    "outcome_focus": "Outcome focus",
    "value_first": "Value first",
    "follow_up": "Follow-up system",
}
MISTAKE_LABELS = {
    "generic": "Generic answer",
    "activity_over_outcome": "Activity over outcome",
    "criticizes_others": "Criticises others",
    "transactional": "Transactional",
    "ignores_cross_functional": "Ignores partner teams",
}
STAR_LABELS = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result"}
GRADE_WORDS = {1: "Weak", 2: "Needs work", 3: "Fair", 4: "Strong", 5: "Excellent"}


def label(ident: str) -> str:
    for table in (CRITERION_LABELS, MISTAKE_LABELS, STAR_LABELS):
        if ident in table:
            return table[ident]
    return ident.replace("_", " ").replace("-", " ").capitalize()


class AttemptLike(Protocol):
    """The fields of a saved attempt the report reads (`coach.store.Attempt` has them)."""

    @property
    def id(self) -> int: ...
    @property
    def candidate(self) -> str: ...
    @property
    def question_id(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def scenario(self) -> str: ...
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def overall(self) -> int: ...
    @property
    def grade(self) -> int: ...
    @property
    def human_grade(self) -> int | None: ...
    @property
    def effective_grade(self) -> int: ...
    @property
    def coach_note(self) -> str: ...
    @property
    def result(self) -> Mapping[str, Any]: ...
    @property
    def delivery(self) -> Mapping[str, Any] | None: ...
    @property
    def seconds_taken(self) -> float | None: ...
    @property
    def target_seconds(self) -> int | None: ...
    @property
    def content_hash(self) -> str: ...


def criteria_of(attempt: AttemptLike) -> list[Mapping[str, Any]]:
    return [c for c in attempt.result.get("criteria", []) if isinstance(c, Mapping)]


@dataclass(frozen=True)
class Scorecard:
    """One question: its latest attempt in the report's window, and the ones before it."""

    question_id: str
    title: str
    text: str
    position: int | None
    latest: AttemptLike
    earlier: tuple[AttemptLike, ...]

    @property
    def attempts(self) -> tuple[AttemptLike, ...]:
        return (*self.earlier, self.latest)


@dataclass(frozen=True)
class CriterionSummary:
    criterion: str
    mean_score: float  # over the attempts in the window
    pass_rate: float
    latest_score: float  # mean over each question's latest attempt
    first_score: float  # mean over the first third of attempts
    last_score: float  # mean over the last third
    tip: str


@dataclass(frozen=True)
class CandidateReport:
    name: str
    attempts: tuple[AttemptLike, ...]  # oldest first
    scorecards: tuple[Scorecard, ...]
    criteria: tuple[CriterionSummary, ...]  # weakest first
    due: tuple[tuple[str, date], ...] = ()  # (question id, due date), soonest first

    @property
    def first(self) -> datetime:
        return self.attempts[0].submitted_at

    @property
    def last(self) -> datetime:
        return self.attempts[-1].submitted_at

    @property
    def mean_latest_grade(self) -> float:
        grades = [s.latest.effective_grade for s in self.scorecards]
        return sum(grades) / len(grades) if grades else 0.0

    @property
    def coach_notes(self) -> int:
        return sum(1 for a in self.attempts if a.coach_note)


@dataclass(frozen=True)
class Report:
    title: str
    generated_at: datetime
    candidates: tuple[CandidateReport, ...]
    scope: str = ""  # "since 2025-01-01", "session 3"...
    question_titles: Mapping[str, str] = field(default_factory=dict)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarise_criteria(attempts: Sequence[AttemptLike]) -> list[CriterionSummary]:
    scores: dict[str, list[float]] = defaultdict(list)
    passed: dict[str, list[bool]] = defaultdict(list)
    tips: dict[str, str] = {}
    for attempt in attempts:
        for item in criteria_of(attempt):
            ident = str(item.get("id"))
            scores[ident].append(float(item.get("score", 0.0)))
            passed[ident].append(bool(item.get("passed", False)))
            if item.get("tip"):
                tips[ident] = str(item["tip"])
    latest: dict[str, AttemptLike] = {}
    for attempt in attempts:
        latest[attempt.question_id] = attempt
    latest_scores: dict[str, list[float]] = defaultdict(list)
    for attempt in latest.values():
        for item in criteria_of(attempt):
            latest_scores[str(item.get("id"))].append(float(item.get("score", 0.0)))
    out = []
    for ident, values in scores.items():
        third = max(1, len(values) // 3)
        out.append(
            CriterionSummary(
                criterion=ident,
                mean_score=_mean(values),
                pass_rate=_mean([1.0 if p else 0.0 for p in passed[ident]]),
                latest_score=_mean(latest_scores[ident]),
                first_score=_mean(values[:third]),
                last_score=_mean(values[-third:]),
                tip=tips.get(ident, ""),
            )
        )
    return sorted(out, key=lambda c: (c.latest_score, c.mean_score, c.criterion))


def build_report(
    attempts: Sequence[AttemptLike],
    questions: Sequence[Question] = (),
    *,
    title: str = "Interview practice report",
    scope: str = "",
    generated_at: datetime | None = None,
    due: Mapping[str, Sequence[tuple[str, date]]] | None = None,
) -> Report:
    """Group attempts by candidate, then by question (in the pack's order), oldest first.

    `due` maps a candidate name to its due questions (from `Store.due_questions`), if wanted.
    """
    info = {q.id: (position, q) for position, q in enumerate(questions, start=1)}
    by_candidate: dict[str, list[AttemptLike]] = defaultdict(list)
    for attempt in sorted(attempts, key=lambda a: (a.submitted_at, a.id)):
        by_candidate[attempt.candidate].append(attempt)
    reports = []
    for name, items in by_candidate.items():
        by_question: dict[str, list[AttemptLike]] = defaultdict(list)
        for attempt in items:
            by_question[attempt.question_id].append(attempt)
        cards = []
        for question_id, group in by_question.items():
            position, question = info.get(question_id, (None, None))
            cards.append(
                Scorecard(
                    question_id=question_id,
                    title=question.title if question else question_id,
                    text=question.question if question else "",
                    position=position,
                    latest=group[-1],
                    earlier=tuple(group[:-1]),
                )
            )
        cards.sort(key=lambda c: (c.position is None, c.position or 0, c.question_id))
        reports.append(
            CandidateReport(
                name=name,
                attempts=tuple(items),
                scorecards=tuple(cards),
                criteria=tuple(summarise_criteria(items)),
                due=tuple((due or {}).get(name, ())),
            )
        )
    return Report(
        title=title,
        generated_at=generated_at or datetime.now().astimezone(),
        candidates=tuple(reports),
        scope=scope,
        question_titles={q.id: q.title for q in questions},
    )
