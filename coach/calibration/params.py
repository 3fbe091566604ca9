"""The rubric numbers calibration can move (`Params`), and each question's own replacements
for them (`Overrides`), as `ScoredSet.machine` applies them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from coach.content import CRITERION_IDS, MISTAKE_IDS, STAR_PARTS, ContentPack, Rubric

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

THRESHOLD_IDS: tuple[str, ...] = (*CRITERION_IDS, *STAR_PARTS)  # ids with a movable threshold
WEIGHT_IDS: tuple[str, ...] = (*CRITERION_IDS, *STAR_PARTS)


@dataclass(frozen=True)
class Params:
    """The rubric numbers calibration can move; the shared rubric's values (per-question
    additions in `rubrics/questions/` still replace them for their question, as in the scorer)."""

    thresholds: Mapping[str, float]  # criterion and STAR part ids
    weights: Mapping[str, float]  # criterion and STAR part ids
    penalties: Mapping[str, float]  # mistake ids
    cutoffs: tuple[float, ...]  # overall score at or above cutoffs[i] earns grade i + 2
    model_answer_weight: float
    talking_points_weight: float
    off_topic_cap: float
    no_result_max_grade: int  # a story without a result earns at most this grade
    too_long_max_grade: int  # an answer far too long to say earns at most this grade

    @classmethod
    def from_rubric(cls, rubric: Rubric) -> Params:
        thresholds = {c: getattr(rubric.criteria, c).threshold for c in CRITERION_IDS}
        thresholds.update({p: getattr(rubric.star, p).threshold for p in STAR_PARTS})
        weights = {c: getattr(rubric.criteria, c).weight for c in CRITERION_IDS}
        weights.update({p: getattr(rubric.star, p).weight for p in STAR_PARTS})
        return cls(
            thresholds=thresholds,
            weights=weights,
            penalties={m: getattr(rubric.mistakes, m).penalty for m in MISTAKE_IDS},
            cutoffs=tuple(rubric.grading.cutoffs),
            model_answer_weight=rubric.grading.model_answer_weight,
            talking_points_weight=rubric.grading.talking_points_weight,
            off_topic_cap=rubric.grading.off_topic_cap,
            no_result_max_grade=rubric.grading.no_result_max_grade,
            too_long_max_grade=rubric.grading.too_long_max_grade,
        )

    def with_threshold(self, item: str, value: float) -> Params:
        if item not in THRESHOLD_IDS:
            raise KeyError(
                f"no movable threshold {item!r}; expected one of {', '.join(THRESHOLD_IDS)}"
            )
        return replace(self, thresholds={**self.thresholds, item: float(min(1.0, max(0.0, value)))})

    def with_weight(self, item: str, value: float) -> Params:
        if item not in WEIGHT_IDS:
            raise KeyError(f"no weight {item!r}; expected one of {', '.join(WEIGHT_IDS)}")
        return replace(self, weights={**self.weights, item: float(max(0.0, value))})

    def with_penalty(self, item: str, value: float) -> Params:
        if item not in MISTAKE_IDS:
            raise KeyError(f"no mistake {item!r}; expected one of {', '.join(MISTAKE_IDS)}")
        return replace(self, penalties={**self.penalties, item: float(max(0.0, value))})

    def with_cutoffs(self, cutoffs: Sequence[float]) -> Params:
        values = tuple(float(c) for c in cutoffs)
        if len(values) != 4 or any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError("cut-offs must be four rising numbers, e.g. [30, 45, 60, 75]")
        return replace(self, cutoffs=values)


@dataclass(frozen=True)
class Overrides:
    """Per-question replacements from `rubrics/questions/*.yaml`, one row per record (NaN: none)."""

    thresholds: FloatArray  # records x THRESHOLD_IDS
    weights: FloatArray  # records x WEIGHT_IDS
    penalties: FloatArray  # records x MISTAKE_IDS

    @classmethod
    def for_questions(cls, pack: ContentPack, questions: Sequence[str]) -> Overrides:
        n = len(questions)
        thresholds = np.full((n, len(THRESHOLD_IDS)), np.nan)
        weights = np.full((n, len(WEIGHT_IDS)), np.nan)
        penalties = np.full((n, len(MISTAKE_IDS)), np.nan)
        for row, question in enumerate(questions):
            addition = pack.question_rubrics.get(question)
            if addition is None:
                continue
            for criterion_id, extra in addition.criteria.items():
                column = THRESHOLD_IDS.index(criterion_id)
                if extra.threshold is not None:
                    thresholds[row, column] = extra.threshold
                if extra.weight is not None:
                    weights[row, WEIGHT_IDS.index(criterion_id)] = extra.weight
            for mistake_id, extra in addition.mistakes.items():
                if extra.penalty is not None:
                    penalties[row, MISTAKE_IDS.index(mistake_id)] = extra.penalty
        return cls(thresholds, weights, penalties)


def effective(shared: Mapping[str, float], ids: Sequence[str], override: FloatArray) -> FloatArray:
    row = np.array([shared[i] for i in ids], dtype=np.float64)
    return np.where(np.isnan(override), row[None, :], override)
