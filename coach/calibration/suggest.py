"""Suggest rubric numbers that agree better with the humans, judged by K-fold cross-validation.

For each criterion and STAR part with human labels: the threshold that maximises Cohen's kappa
with the human labels. For the grade: the score-to-grade cut-offs, starting from the ones that
match the human grade distribution (equipercentile) and moved to maximise quadratic weighted
kappa. Each suggestion comes with "before" (the rubric as it is) and "after" figures, where
"after" is measured only on records the fit never saw (each fold is fitted on the others), so a
suggestion that merely memorises the labels shows no gain and is not recommended. A threshold
change must also fix clearly more answers than it breaks (a one-sided sign test on the answers
whose verdict it flips), so a gain of one or two answers on a small set is not taken for skill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coach.calibration.params import THRESHOLD_IDS, Params
from coach.calibration.scored import ScoredSet
from coach.calibration.suggest_cutoffs import CutoffSuggestion, suggest_cutoffs
from coach.calibration.suggest_thresholds import IntArray, ThresholdSuggestion, suggest_threshold
from coach.content import ALL_IDS

DEFAULT_FOLDS = 5


@dataclass(frozen=True)
class Suggestions:
    folds: int
    thresholds: tuple[ThresholdSuggestion, ...]
    cutoffs: CutoffSuggestion | None
    params: Params  # the rubric's numbers with every suggestion that helps applied
    notes: tuple[str, ...] = field(default_factory=tuple)

    def changed(self) -> bool:
        return any(t.helps for t in self.thresholds) or bool(self.cutoffs and self.cutoffs.helps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "thresholds": [t.to_dict() for t in self.thresholds],
            "cutoffs": self.cutoffs.to_dict() if self.cutoffs else None,
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------- folds


def assign_folds(scored: ScoredSet, folds: int, seed: int = 0) -> IntArray:
    """A fold number per record, stratified by human grade so each fold sees every grade."""
    n = len(scored)
    out = np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    strata = np.where(np.isnan(scored.human_grade), 0, scored.human_grade).astype(int)
    offset = 0
    for stratum in sorted(set(strata.tolist())):
        rows = np.flatnonzero(strata == stratum)
        rows = rows[rng.permutation(len(rows))]
        out[rows] = (np.arange(len(rows)) + offset) % folds
        offset += len(rows)
    return out


def suggest(
    scored: ScoredSet, params: Params | None = None, folds: int = DEFAULT_FOLDS
) -> Suggestions:
    """Thresholds and cut-offs that agree better with the humans, cross-validated over `folds`."""
    params = params or scored.base
    notes: list[str] = []
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    if len(scored) < 2:
        notes.append(
            "too few records to suggest anything: at least 2 are needed, 30 or more are wise"
        )
        return Suggestions(folds, (), None, params, tuple(notes))
    used = min(folds, len(scored))
    if used < folds:
        notes.append(f"only {len(scored)} records: {used} folds instead of {folds}")
    fold_of = assign_folds(scored, used)
    thresholds = []
    for item in THRESHOLD_IDS:
        column = ALL_IDS.index(item)
        if np.any(~np.isnan(scored.human_labels[:, column])):
            thresholds.append(suggest_threshold(scored, params, item, fold_of))
    tune = [t.id for t in thresholds if t.helps]
    cutoffs = suggest_cutoffs(scored, params, fold_of, tune)
    tuned = params
    for t in thresholds:
        if t.helps:
            tuned = tuned.with_threshold(t.id, t.suggested)
    if cutoffs is not None and cutoffs.helps:
        tuned = tuned.with_cutoffs(cutoffs.suggested)
    return Suggestions(used, tuple(thresholds), cutoffs, tuned, tuple(notes))
