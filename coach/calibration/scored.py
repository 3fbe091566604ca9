"""Score a labels file once, then recompute coach's labels and grades for any rubric numbers.

The model runs once (`score_labels`). What comes out is kept as numpy arrays: each criterion's and
STAR part's continuous 0-1 score, which mistakes were found, the model-answer and talking-point
parts of the overall score. `ScoredSet.machine(params)` then applies thresholds, weights, penalties
and cut-offs in a few vector operations, so a screen can move a number and see the figures at once.

The recomputation follows the scorer's own rules (a task implied by a full story, nothing shown by
an off-topic answer) and `recompute_mismatches` checks it reproduces the scorer exactly with the
rubric's numbers. What cannot move without re-scoring: mistake thresholds (they act sentence by
sentence), exemplars, keywords and semantic ranges. Two mistakes also depend on a criterion
passing (no `activity_over_outcome` when `metrics` passes; `transactional` looks at
`value_first`); the recomputation keeps the mistakes found at scoring time. A task implied by the
story keeps the score it was given (the task threshold), not its own lower one, when the task
threshold is moved down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from coach.calibration.labels import LabelIssue, LabelRecord, LabelSet
from coach.calibration.params import (
    THRESHOLD_IDS,
    WEIGHT_IDS,
    BoolArray,
    FloatArray,
    Overrides,
    Params,
    effective,
)
from coach.content import ALL_IDS, CRITERION_IDS, MISTAKE_IDS, STAR_PARTS, ContentPack
from coach.scoring import EmptyAnswer, Scorer, ScoreResult
from coach.scoring.grading import too_long_to_say

# The part of the overall score the model-answer similarity earns: the scorer's ramp.
MODEL_ANSWER_RAMP = (0.25, 0.7)

ProgressCallback = Callable[[int, int], None]  # (records done, records in all)


@dataclass(frozen=True)
class Machine:
    """Coach's verdicts for every record under one set of rubric numbers."""

    labels: BoolArray  # records x ALL_IDS
    overall: FloatArray  # unrounded 0-100
    grade: npt.NDArray[np.int64]  # 1-5

    def label(self, row: int) -> dict[str, bool]:
        return {item: bool(self.labels[row, j]) for j, item in enumerate(ALL_IDS)}


@dataclass(frozen=True)
class ScoredSet:
    """A labels file scored once: the human side and coach's continuous scores, as arrays."""

    records: tuple[LabelRecord, ...]
    results: tuple[ScoreResult, ...]
    base: Params  # the rubric's own numbers
    overrides: Overrides
    scores: FloatArray  # records x THRESHOLD_IDS: criterion and STAR part scores, 0-1
    mistakes: BoolArray  # records x MISTAKE_IDS: found at scoring time
    model_part: FloatArray  # 0-1 ramp of the similarity to the model answer
    coverage: FloatArray  # share of talking points covered
    off_topic: BoolArray
    too_long: BoolArray  # far too long to say in the question's target time
    human_grade: FloatArray  # reference human grade, NaN when none
    raters: FloatArray  # records x raters: each rater's grade, NaN when none
    human_labels: FloatArray  # records x ALL_IDS: 1 true, 0 false, NaN not labelled
    issues: tuple[LabelIssue, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def ids(self) -> tuple[str, ...]:
        return ALL_IDS

    def labelled_ids(self) -> list[str]:
        """Ids the human labelled on at least one record, in the contract's order."""
        return [
            item for j, item in enumerate(ALL_IDS) if np.any(~np.isnan(self.human_labels[:, j]))
        ]

    def effective_thresholds(self, params: Params | None = None) -> FloatArray:
        """records x THRESHOLD_IDS: the threshold each record is judged by (shared or its
        question's own)."""
        p = params or self.base
        return effective(p.thresholds, THRESHOLD_IDS, self.overrides.thresholds)

    def machine(
        self, params: Params | None = None, rows: npt.NDArray[np.int64] | None = None
    ) -> Machine:
        """Coach's labels, overall scores and grades under `params` (default: the rubric's)."""
        p = params or self.base
        pick = slice(None) if rows is None else rows
        scores = self.scores[pick]
        thresholds = effective(p.thresholds, THRESHOLD_IDS, self.overrides.thresholds[pick])
        weights = effective(p.weights, WEIGHT_IDS, self.overrides.weights[pick])
        penalties = effective(p.penalties, MISTAKE_IDS, self.overrides.penalties[pick])
        passed = scores >= thresholds
        n_criteria = len(CRITERION_IDS)
        earned = (weights[:, :n_criteria] * scores[:, :n_criteria]).sum(axis=1)
        star = np.where(passed[:, n_criteria:], scores[:, n_criteria:], 0.0)
        # The scorer's rule: a story with a situation, actions and a result implies its task,
        # which then earns the task threshold as its score.
        situation, task, action, result = (THRESHOLD_IDS.index(p) for p in STAR_PARTS)
        implied = passed[:, situation] & passed[:, action] & passed[:, result] & ~passed[:, task]
        star[:, task - n_criteria] = np.where(
            implied, thresholds[:, task], star[:, task - n_criteria]
        )
        passed[:, task] |= implied
        earned = earned + (weights[:, n_criteria:] * star).sum(axis=1)
        earned = earned + p.model_answer_weight * self.model_part[pick]
        earned = earned + p.talking_points_weight * self.coverage[pick]
        possible = weights.sum(axis=1) + p.model_answer_weight + p.talking_points_weight
        mistakes = self.mistakes[pick]
        overall = 100.0 * earned / np.maximum(possible, 1e-9) - (penalties * mistakes).sum(axis=1)
        overall = np.where(self.off_topic[pick], np.minimum(overall, p.off_topic_cap), overall)
        overall = np.clip(overall, 0.0, 100.0)
        grade = np.where(self.off_topic[pick], 1, grades_for(overall, p.cutoffs))
        grade = np.where(passed[:, result], grade, np.minimum(grade, p.no_result_max_grade))
        grade = np.where(self.too_long[pick], np.minimum(grade, p.too_long_max_grade), grade)
        # An off-topic answer is scored as above, then reported as grade 1 with no criterion or
        # part shown.
        passed[self.off_topic[pick], :] = False
        labels = np.concatenate([passed, mistakes], axis=1)
        return Machine(labels=labels, overall=overall, grade=grade)

    def recompute_mismatches(self) -> list[int]:
        """Rows where recomputing with the rubric's own numbers misses the scorer's grade or
        labels: empty unless the scorer's formula changed under this module."""
        machine = self.machine()
        bad = []
        for row, result in enumerate(self.results):
            if int(machine.grade[row]) != result.grade or machine.label(row) != result.labels():
                bad.append(row)
        return bad


def grades_for(overall: FloatArray, cutoffs: Sequence[float]) -> npt.NDArray[np.int64]:
    cuts = np.asarray(cutoffs, dtype=np.float64)
    counts: npt.NDArray[np.int64] = (overall[:, None] >= cuts[None, :]).sum(axis=1).astype(np.int64)
    return counts + 1


def _ramp(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def build_scored_set(
    pack: ContentPack,
    records: Sequence[LabelRecord],
    results: Sequence[ScoreResult],
    issues: Sequence[LabelIssue] = (),
) -> ScoredSet:
    """Arrays from records and their results (one result per record, same order)."""
    if len(records) != len(results):
        raise ValueError("one result per record is needed")
    n = len(records)
    scores = np.zeros((n, len(THRESHOLD_IDS)))
    mistakes = np.zeros((n, len(MISTAKE_IDS)), dtype=bool)
    model_part = np.zeros(n)
    coverage = np.zeros(n)
    off_topic = np.zeros(n, dtype=bool)
    too_long = np.zeros(n, dtype=bool)
    for row, result in enumerate(results):
        for column, criterion_id in enumerate(CRITERION_IDS):
            scores[row, column] = result.criterion(criterion_id).score
        for column, part in enumerate(STAR_PARTS, start=len(CRITERION_IDS)):
            scores[row, column] = result.star[part].score
        found = set(result.mistake_ids())
        mistakes[row] = [m in found for m in MISTAKE_IDS]
        model_part[row] = _ramp(result.model_answer_similarity, *MODEL_ANSWER_RAMP)
        points = result.talking_points
        coverage[row] = sum(p.covered for p in points) / max(1, len(points))
        off_topic[row] = result.off_topic
        target = pack.find_question(result.question).target_seconds
        too_long[row] = too_long_to_say(pack.rubric.grading, result.word_count, target)
    width = max((len(r.grades) for r in records), default=0)
    raters = np.full((n, width), np.nan)
    human_labels = np.full((n, len(ALL_IDS)), np.nan)
    human_grade = np.full(n, np.nan)
    for row, record in enumerate(records):
        if record.grade is not None:
            human_grade[row] = record.grade
        raters[row, : len(record.grades)] = record.grades
        for column, item in enumerate(ALL_IDS):
            if item in record.labels:
                human_labels[row, column] = float(record.labels[item])
    return ScoredSet(
        records=tuple(records),
        results=tuple(results),
        base=Params.from_rubric(pack.rubric),
        overrides=Overrides.for_questions(pack, [r.question for r in records]),
        scores=scores,
        mistakes=mistakes,
        model_part=model_part,
        coverage=coverage,
        off_topic=off_topic,
        too_long=too_long,
        human_grade=human_grade,
        raters=raters,
        human_labels=human_labels,
        issues=tuple(issues),
    )


def score_labels(
    scorer: Scorer,
    labels: LabelSet,
    progress: ProgressCallback | None = None,
    batch_size: int = 16,
) -> ScoredSet:
    """Score every record in batches (each batch's sentences go through the model together).

    A record the scorer refuses (an empty answer) is reported as an issue and left out.
    """
    records = labels.records
    kept: list[LabelRecord] = []
    results: list[ScoreResult] = []
    problems = list(labels.issues)
    total = len(records)
    for start in range(0, total, batch_size):
        chunk = list(records[start : start + batch_size])
        try:
            chunk_results = scorer.score_many([(r.question, r.answer) for r in chunk])
            kept.extend(chunk)
            results.extend(chunk_results)
        except (EmptyAnswer, KeyError):
            for record in chunk:  # find the bad one; score the rest
                try:
                    results.append(scorer.score(record.question, record.answer))
                    kept.append(record)
                except (EmptyAnswer, KeyError) as exc:
                    message = exc.args[0] if exc.args else str(exc)
                    problems.append(
                        LabelIssue(str(labels.path), record.line, f"cannot score: {message}", True)
                    )
        if progress is not None:
            progress(min(total, start + len(chunk)), total)
    return build_scored_set(scorer.pack, kept, results, problems)
