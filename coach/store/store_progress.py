"""The progress part of `Store`: trends for charts and the weakest criteria and questions.

Read-only summaries computed from `list_attempts` (and `schedule`, for due dates).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from coach.store.models import Attempt, CriterionWeakness, QuestionProgress, TrendPoint
from coach.store.store_attempts import AttemptsMixin
from coach.store.store_schedule import ScheduleMixin


class ProgressMixin(AttemptsMixin, ScheduleMixin):
    def trends(
        self,
        candidate: str,
        *,
        question: str | None = None,
        since: datetime | date | None = None,
    ) -> dict[str, list[TrendPoint]]:
        """Series for charts, oldest first: "overall" (0-100), "grade" (1-5, the coach's when
        given) and each criterion id (0-1)."""
        out: dict[str, list[TrendPoint]] = defaultdict(list)
        for a in self.list_attempts(candidate=candidate, question=question, since=since):
            out["overall"].append(TrendPoint(a.submitted_at, float(a.overall), a.id, a.question_id))
            out["grade"].append(
                TrendPoint(a.submitted_at, float(a.effective_grade), a.id, a.question_id)
            )
            for criterion, score in a.criterion_scores().items():
                out[criterion].append(TrendPoint(a.submitted_at, score, a.id, a.question_id))
        return dict(out)

    def trend(
        self,
        candidate: str,
        criterion: str = "overall",
        *,
        question: str | None = None,
        since: datetime | date | None = None,
    ) -> list[TrendPoint]:
        """One series of `trends` (a criterion id, "overall" or "grade")."""
        return self.trends(candidate, question=question, since=since).get(criterion, [])

    def weakest_criteria(
        self, candidate: str, *, last: int = 10, question: str | None = None
    ) -> list[CriterionWeakness]:
        """Criteria by mean score over the candidate's `last` attempts, weakest first."""
        scores: dict[str, list[float]] = defaultdict(list)
        passes: dict[str, list[bool]] = defaultdict(list)
        for a in self.list_attempts(candidate=candidate, question=question, limit=last):
            for criterion, score in a.criterion_scores().items():
                scores[criterion].append(score)
            for criterion, ok in a.criterion_passed().items():
                passes[criterion].append(ok)
        out = [
            CriterionWeakness(
                criterion=c,
                mean_score=round(sum(v) / len(v), 4),
                pass_rate=round(sum(passes[c]) / len(passes[c]), 4) if passes[c] else 0.0,
                attempts=len(v),
            )
            for c, v in scores.items()
        ]
        return sorted(out, key=lambda w: (w.mean_score, w.pass_rate, w.criterion))

    def weakest_questions(self, candidate: str) -> list[QuestionProgress]:
        """Every practised question, weakest first (last grade, then mean overall)."""
        by_question: dict[str, list[Attempt]] = defaultdict(list)
        for a in self.list_attempts(candidate=candidate):
            by_question[a.question_id].append(a)
        due = {e.question_id: e.due_on for e in self.schedule(candidate)}
        out = [
            QuestionProgress(
                question_id=q,
                attempts=len(items),
                last_grade=items[-1].effective_grade,
                best_grade=max(a.effective_grade for a in items),
                mean_overall=round(sum(a.overall for a in items) / len(items), 2),
                last_practised=items[-1].submitted_at,
                due_on=due.get(q),
            )
            for q, items in by_question.items()
        ]
        return sorted(out, key=lambda p: (p.last_grade, p.mean_overall, p.question_id))
