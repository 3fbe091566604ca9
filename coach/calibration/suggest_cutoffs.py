"""Grade cut-off suggestions: the score-to-grade cut-offs, starting from the ones that match the
human grade distribution (equipercentile) and moved to maximise quadratic weighted kappa, checked
out-of-fold together with the threshold changes that help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from coach.calibration.metrics import GRADES, GradeFigures, grade_figures
from coach.calibration.params import FloatArray, Params
from coach.calibration.scored import ScoredSet
from coach.calibration.suggest_thresholds import MIN_GAIN, IntArray, fit_threshold_on

SMD_GAIN = 0.05  # or, instead of MIN_GAIN, bring the grade means this much closer (in SDs)
CUTOFF_RANGE = (1, 100)  # integer cut-offs within the 0-100 overall score
DISTRIBUTION_TOLERANCE = 0.05  # coach's cumulative grade shares stay this close to the humans'


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
        value = fit_threshold_on(scored, item, rows, float(params.thresholds[item]))
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
