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

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from coach.calibration.metrics import (
    GRADES,
    BinaryFigures,
    GradeFigures,
    binary_figures,
    grade_figures,
)
from coach.calibration.scored import THRESHOLD_IDS, FloatArray, Params, ScoredSet
from coach.content import ALL_IDS

DEFAULT_FOLDS = 5
MIN_GAIN = 0.01  # a suggestion must beat the current rubric by this much, cross-validated
SMD_GAIN = 0.05  # or bring the grade means this much closer (in SDs) without losing QWK
SIGN_TEST_P = 0.1  # a threshold change must fix clearly more answers than it breaks
MIN_CLASS = 2  # fewest true and false labels a fit needs
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
CUTOFF_RANGE = (1, 100)  # integer cut-offs within the 0-100 overall score
DISTRIBUTION_TOLERANCE = 0.05  # coach's cumulative grade shares stay this close to the humans'
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


@dataclass(frozen=True)
class CutoffSuggestion:
    current: tuple[float, ...]
    suggested: tuple[float, ...]  # fitted on every graded record
    n: int
    human_distribution: tuple[int, ...]  # records per grade 1-5
    machine_before: tuple[int, ...]
    machine_after: tuple[int, ...]  # with the suggested cut-offs, on all records
    before: GradeFigures
    after: GradeFigures | None  # out-of-fold
    helps: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": list(self.current),
            "suggested": list(self.suggested),
            "n": self.n,
            "human_distribution": list(self.human_distribution),
            "machine_distribution_before": list(self.machine_before),
            "machine_distribution_after": list(self.machine_after),
            "before": self.before.to_dict(),
            "after": self.after.to_dict() if self.after else None,
            "helps": self.helps,
            "note": self.note,
        }


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


# ---------------------------------------------------------------- thresholds


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


def _fit_threshold_on(
    scored: ScoredSet, item: str, rows: npt.NDArray[np.bool_], current: float
) -> float:
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
    suggested = round(_fit_threshold_on(scored, item, everyone, current), 2)
    predicted = np.zeros(len(scored), dtype=bool)
    for fold in sorted(set(fold_of[labelled].tolist())):
        test = fold_of == fold
        fitted = _fit_threshold_on(scored, item, ~test, current)
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


# ---------------------------------------------------------------- cut-offs


def _qwk_many(human: IntArray, graded: npt.NDArray[np.int64]) -> FloatArray:
    """QWK of each column of `graded` (records x candidates, grades 1-5) against `human`."""
    size = len(GRADES)
    m = graded.shape[1]
    cells = (
        np.arange(m)[None, :] * size * size + (human[:, None] - 1) * size + (graded - 1)
    ).ravel()
    observed = np.bincount(cells, minlength=m * size * size).reshape(m, size, size).astype(float)
    total = observed.sum(axis=(1, 2))
    steps = np.arange(size, dtype=float)
    weights = (steps[:, None] - steps[None, :]) ** 2
    expected = (
        np.einsum("mi,mj->mij", observed.sum(axis=2), observed.sum(axis=1)) / total[:, None, None]
    )
    denominator = np.einsum("ij,mij->m", weights, expected)
    numerator = np.einsum("ij,mij->m", weights, observed)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, 1.0 - numerator / denominator, np.nan)


def _rising(cuts: list[int]) -> list[int]:
    low, high = CUTOFF_RANGE
    out = [min(max(c, low + i), high - (len(cuts) - 1 - i)) for i, c in enumerate(cuts)]
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + 1)
    return out


def equipercentile_cutoffs(overall: FloatArray, human: IntArray) -> list[int]:
    """Cut-offs that give coach the humans' grade distribution: as many 1s, 2s, ... as they gave."""
    shares = np.cumsum([np.mean(human == g) for g in GRADES])[:-1]
    ordered = np.sort(overall)
    cuts = []
    for share in shares:
        count = int(round(share * len(ordered)))  # records that should fall below the cut
        if count <= 0:
            cuts.append(int(np.floor(ordered[0])))
        elif count >= len(ordered):
            cuts.append(int(np.floor(ordered[-1])) + 1)
        else:
            cuts.append(int(np.floor(ordered[count - 1])) + 1)
    return _rising(cuts)


def cutoff_bands(overall: FloatArray, human: IntArray, tolerance: float) -> list[IntArray]:
    """For each cut-off, the integer values that keep coach's share of grades below it within
    `tolerance` of the humans' share (so coach's grade distribution stays matched to theirs)."""
    values = np.arange(CUTOFF_RANGE[0], CUTOFF_RANGE[1] + 1)
    below = np.mean(overall[:, None] < values[None, :], axis=0)
    shares = np.cumsum([np.mean(human == g) for g in GRADES])[:-1]
    return [values[np.abs(below - share) <= tolerance + 1e-9] for share in shares]


def fit_cutoffs(
    overall: FloatArray, human: IntArray, current: tuple[float, ...]
) -> tuple[float, ...]:
    """Cut-offs matched to the human grade distribution that maximise QWK.

    Start from the equipercentile cut-offs (coach gives as many 1s, 2s, ... as the humans did),
    then move each cut-off, one at a time, to the value with the best QWK among those that keep
    the cumulative share of each grade within 5 points (or one record) of the humans'. Ties go to
    the value closest to the equipercentile one.
    """
    if len(human) < 2 or len(set(human.tolist())) < 2:
        return current
    target = equipercentile_cutoffs(overall, human)
    tolerance = max(DISTRIBUTION_TOLERANCE, 1.0 / len(human))
    bands = cutoff_bands(overall, human, tolerance)
    cuts = list(target)
    for _ in range(20):
        moved = False
        for k in range(len(cuts)):
            low = cuts[k - 1] + 1 if k else CUTOFF_RANGE[0]
            high = cuts[k + 1] - 1 if k + 1 < len(cuts) else CUTOFF_RANGE[1]
            values = bands[k][(bands[k] >= low) & (bands[k] <= high)]
            if not len(values):
                continue
            others = np.array([c for i, c in enumerate(cuts) if i != k], dtype=float)
            base = 1 + np.sum(overall[:, None] >= others[None, :], axis=1)
            graded = base[:, None] + (overall[:, None] >= values[None, :])
            kappas = np.nan_to_num(_qwk_many(human, graded.astype(np.int64)), nan=-1.0)
            tied = values[np.isclose(kappas, kappas.max(), rtol=0, atol=1e-12)]
            choice = int(tied[np.argmin(np.abs(tied - target[k]))])
            if choice != cuts[k]:
                cuts[k] = choice
                moved = True
        if not moved:
            break
    return tuple(float(c) for c in cuts)


def _distribution(grades: npt.NDArray[np.int64] | FloatArray) -> tuple[int, ...]:
    return tuple(int(np.sum(grades == g)) for g in GRADES)


def _qwk_value(figures: GradeFigures | None) -> float:
    return -1.0 if figures is None or figures.qwk is None else figures.qwk


def _abs_smd(figures: GradeFigures | None) -> float:
    return 9.0 if figures is None or figures.smd is None else abs(figures.smd)


def _grades_better(before: GradeFigures, after: GradeFigures | None) -> bool:
    """QWK no lower (within MIN_GAIN) and either QWK up by MIN_GAIN or |SMD| down by SMD_GAIN."""
    qwk_before, qwk_after = _qwk_value(before), _qwk_value(after)
    if qwk_after < qwk_before - MIN_GAIN:
        return False
    return qwk_after >= qwk_before + MIN_GAIN or _abs_smd(after) <= _abs_smd(before) - SMD_GAIN


def _fit_params(
    scored: ScoredSet, params: Params, rows: npt.NDArray[np.bool_], tune: list[str]
) -> Params:
    """Fit the helpful thresholds, then the cut-offs, on `rows` only."""
    fitted = params
    for item in tune:
        value = _fit_threshold_on(scored, item, rows, float(params.thresholds[item]))
        fitted = fitted.with_threshold(item, round(value, 2))
    graded = rows & ~np.isnan(scored.human_grade)
    if np.sum(graded) < 2:
        return fitted
    overall = scored.machine(fitted).overall[graded]
    cuts = fit_cutoffs(overall, scored.human_grade[graded].astype(np.int64), fitted.cutoffs)
    return fitted.with_cutoffs(cuts)


def suggest_cutoffs(
    scored: ScoredSet, params: Params, fold_of: IntArray, tune: list[str]
) -> CutoffSuggestion | None:
    graded = ~np.isnan(scored.human_grade)
    if np.sum(graded) < 2:
        return None
    human = scored.human_grade[graded].astype(np.int64)
    before_grades = scored.machine(params).grade[graded]
    before = grade_figures(before_grades, human)
    everyone = np.ones(len(scored), dtype=bool)
    final = _fit_params(scored, params, everyone, tune)
    predicted = np.zeros(len(scored), dtype=np.int64)
    for fold in sorted(set(fold_of[graded].tolist())):
        test = fold_of == fold
        fitted = _fit_params(scored, params, ~test, tune)
        predicted[test] = scored.machine(fitted).grade[test]
    after = grade_figures(predicted[graded], human)
    changed = tuple(final.cutoffs) != tuple(params.cutoffs)
    helps = changed and _grades_better(before, after)
    if not changed:
        note = "keep: the current cut-offs already fit the human grades best"
    elif helps:
        note = "change: better agreement on answers the fit never saw"
    else:
        note = "keep: the better fit does not hold up on answers it never saw"
    return CutoffSuggestion(
        current=tuple(params.cutoffs),
        suggested=tuple(final.cutoffs),
        n=int(np.sum(graded)),
        human_distribution=_distribution(human),
        machine_before=_distribution(before_grades),
        machine_after=_distribution(scored.machine(final).grade[graded]),
        before=before,
        after=after,
        helps=helps,
        note=note,
    )


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
