"""Per-criterion threshold suggestions: for each criterion and STAR part with human labels, the
threshold with the best Cohen's kappa, checked out-of-fold and by a sign test on the answers whose
verdict it flips. The cut-off suggestions reuse MIN_GAIN, IntArray and fit_threshold_on from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from coach.calibration.metrics import BinaryFigures, binary_figures
from coach.calibration.params import THRESHOLD_IDS, FloatArray, Params
from coach.calibration.scored import ScoredSet
from coach.content import ALL_IDS

MIN_GAIN = 0.01  # a suggestion must beat the current rubric by this much, cross-validated
SIGN_TEST_P = 0.1  # a threshold change must fix clearly more answers than it breaks
MIN_CLASS = 2  # fewest true and false labels a fit needs
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ThresholdSuggestion:
    id: str
    current: float
    suggested: float  # fitted on every labelled record
    n: int
    before: BinaryFigures  # the current threshold
    after: BinaryFigures | None  # out-of-fold: each record judged by a threshold fitted without it
    helps: bool
    note: str = ""
    fixed: int = 0  # out-of-fold: records the tuned threshold gets right and the current one wrong
    broken: int = 0  # ... and the other way round

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "current": self.current,
            "suggested": self.suggested,
            "n": self.n,
            "before": self.before.to_dict(),
            "after": self.after.to_dict() if self.after else None,
            "fixed": self.fixed,
            "broken": self.broken,
            "helps": self.helps,
            "note": self.note,
        }


def _kappas(scores: FloatArray, truth: npt.NDArray[np.bool_], grid: FloatArray) -> FloatArray:
    """Cohen's kappa of `scores >= t` against `truth`, for every t in `grid` (NaN: undefined)."""
    predicted = scores[:, None] >= grid[None, :]
    actual = truth[:, None]
    n = float(len(scores))
    tp = np.sum(predicted & actual, axis=0)
    fp = np.sum(predicted & ~actual, axis=0)
    fn = np.sum(~predicted & actual, axis=0)
    tn = np.sum(~predicted & ~actual, axis=0)
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected < 1.0, (observed - expected) / (1.0 - expected), np.nan)


def fit_threshold(scores: FloatArray, truth: npt.NDArray[np.bool_], current: float) -> float:
    """The threshold with the best kappa; the current one unless the data can tell them apart."""
    positives = int(np.sum(truth))
    if positives < MIN_CLASS or len(truth) - positives < MIN_CLASS:
        return current
    grid = np.unique(np.append(THRESHOLD_GRID, round(current, 4)))
    kappas = _kappas(scores, truth, grid)
    if np.all(np.isnan(kappas)):
        return current
    best = np.nanmax(kappas)
    candidates = grid[np.isclose(kappas, best, rtol=0, atol=1e-12)]
    return float(candidates[np.argmin(np.abs(candidates - current))])


def _threshold_rows(
    scored: ScoredSet, item: str
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(labelled rows, rows whose threshold follows the shared rubric) for one id."""
    column = ALL_IDS.index(item)
    labelled = ~np.isnan(scored.human_labels[:, column])
    shared = np.isnan(scored.overrides.thresholds[:, THRESHOLD_IDS.index(item)])
    return labelled, shared


def fit_threshold_on(
    scored: ScoredSet, item: str, rows: npt.NDArray[np.bool_], current: float
) -> float:
    """The best threshold for `item` fitted on `rows` only (labelled, following the rubric)."""
    labelled, shared = _threshold_rows(scored, item)
    fit_rows = rows & labelled & shared
    column = ALL_IDS.index(item)
    return fit_threshold(
        scored.scores[fit_rows, THRESHOLD_IDS.index(item)],
        scored.human_labels[fit_rows, column].astype(bool),
        current,
    )


def _kappa_value(figures: BinaryFigures | None) -> float:
    return -1.0 if figures is None or figures.kappa is None else figures.kappa


def suggest_threshold(
    scored: ScoredSet, params: Params, item: str, fold_of: IntArray
) -> ThresholdSuggestion:
    column = ALL_IDS.index(item)
    labelled, _shared = _threshold_rows(scored, item)
    truth = scored.human_labels[labelled, column]
    current = float(params.thresholds[item])
    everyone = np.ones(len(scored), dtype=bool)
    now = scored.machine(params).labels[:, column]
    before = binary_figures(now[labelled], truth)
    suggested = round(fit_threshold_on(scored, item, everyone, current), 2)
    predicted = np.zeros(len(scored), dtype=bool)
    for fold in sorted(set(fold_of[labelled].tolist())):
        test = fold_of == fold
        fitted = fit_threshold_on(scored, item, ~test, current)
        machine = scored.machine(params.with_threshold(item, fitted))
        predicted[test] = machine.labels[test, column]
    after = binary_figures(predicted[labelled], truth)
    human = truth.astype(bool)
    fixed = int(np.sum((predicted[labelled] == human) & (now[labelled] != human)))
    broken = int(np.sum((predicted[labelled] != human) & (now[labelled] == human)))
    p_value = sign_test(fixed, broken)
    better = _kappa_value(after) >= _kappa_value(before) + MIN_GAIN
    helps = suggested != current and better and p_value <= SIGN_TEST_P
    if suggested == current:
        note = "keep: the current threshold already fits the labels best"
    elif helps:
        note = (
            f"change: on answers the fit never saw it puts {fixed} right and {broken} wrong "
            "that the current threshold gets the other way"
        )
    elif better:
        note = (
            f"keep: {fixed} answers put right against {broken} put wrong could be chance "
            f"(sign test p={p_value:.2f}); more labelled answers would settle it"
        )
    else:
        note = "keep: the better fit does not hold up on answers it never saw"
    return ThresholdSuggestion(
        item, current, suggested, int(np.sum(labelled)), before, after, helps, note, fixed, broken
    )


def sign_test(fixed: int, broken: int) -> float:
    """One-sided sign test: the chance of `fixed` or more of `fixed + broken` changes going the
    right way if the new threshold were no better than the old one."""
    total = fixed + broken
    if total == 0:
        return 1.0
    return sum(math.comb(total, k) for k in range(fixed, total + 1)) / 2.0**total
