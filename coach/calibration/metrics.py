"""Agreement figures between coach and human raters, in plain numpy.

Every function returns `None` where the figure is undefined (no data, or no variance), never NaN,
so a report can print a dash and JSON gets `null`. The tests check each figure against
scikit-learn and scipy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

GRADES: tuple[int, ...] = (1, 2, 3, 4, 5)

FloatArray = npt.NDArray[np.float64]
ArrayLike = Sequence[float] | Sequence[int] | Sequence[bool] | npt.NDArray[Any]


def _pair(a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("expected two 1-d sequences of the same length")
    return x, y


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def confusion_matrix(
    a: ArrayLike, b: ArrayLike, categories: Sequence[int] = GRADES
) -> npt.NDArray[np.int64]:
    """Counts with rows for `a` and columns for `b`, one per category (others are dropped)."""
    x, y = _pair(a, b)
    values = np.asarray(categories, dtype=np.float64)
    size = len(values)
    i = np.searchsorted(values, x)
    j = np.searchsorted(values, y)
    ok = (i < size) & (j < size)
    ok[ok] &= (values[i[ok]] == x[ok]) & (values[j[ok]] == y[ok])
    counts = np.bincount(i[ok] * size + j[ok], minlength=size * size)
    return counts.reshape(size, size).astype(np.int64)


def quadratic_weighted_kappa(
    a: ArrayLike, b: ArrayLike, categories: Sequence[int] = GRADES
) -> float | None:
    """Cohen's kappa with quadratic weights over the fixed grade scale (1-5 by default).

    The weights use the distance on the whole scale, as `cohen_kappa_score(a, b,
    weights="quadratic", labels=[1, 2, 3, 4, 5])` does: grades 3 and 5 are two steps apart even
    when nobody gave a 4.
    """
    observed = confusion_matrix(a, b, categories).astype(np.float64)
    total = observed.sum()
    if total == 0:
        return None
    size = len(categories)
    steps = np.arange(size, dtype=np.float64)
    weights = (steps[:, None] - steps[None, :]) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    denominator = float((weights * expected).sum())
    if denominator == 0:
        return None
    return 1.0 - float((weights * observed).sum()) / denominator


def pearson(a: ArrayLike, b: ArrayLike) -> float | None:
    x, y = _pair(a, b)
    if len(x) < 2:
        return None
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    if denominator == 0:
        return None
    return max(-1.0, min(1.0, float((dx * dy).sum()) / denominator))


def average_ranks(values: ArrayLike) -> FloatArray:
    """1-based ranks with ties given the mean of the ranks they span."""
    x = np.asarray(values, dtype=np.float64)
    _unique, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts + 1.0  # the rank of each distinct value's first copy
    mean_rank: FloatArray = (first + (counts - 1) / 2.0)[inverse.reshape(-1)]
    return mean_rank


def spearman(a: ArrayLike, b: ArrayLike) -> float | None:
    x, y = _pair(a, b)
    return pearson(average_ranks(x), average_ranks(y))


def exact_agreement(a: ArrayLike, b: ArrayLike) -> float | None:
    x, y = _pair(a, b)
    return float(np.mean(x == y)) if len(x) else None


def adjacent_agreement(a: ArrayLike, b: ArrayLike) -> float | None:
    """Share of pairs at most one grade apart (exact agreement included)."""
    x, y = _pair(a, b)
    return float(np.mean(np.abs(x - y) <= 1)) if len(x) else None


def standardised_mean_difference(machine: ArrayLike, human: ArrayLike) -> float | None:
    """(mean machine - mean human) / sqrt((sd machine^2 + sd human^2) / 2), sample SDs.

    The form of Williamson, Xi & Breyer (2012): positive means coach grades higher.
    """
    x, y = _pair(machine, human)
    if len(x) < 2:
        return None
    pooled = math.sqrt((float(x.var(ddof=1)) + float(y.var(ddof=1))) / 2.0)
    if pooled == 0:
        return 0.0 if float(x.mean()) == float(y.mean()) else None
    return (float(x.mean()) - float(y.mean())) / pooled


@dataclass(frozen=True)
class GradeFigures:
    """Agreement between two sets of grades (first: coach or rater A; second: the human)."""

    n: int
    qwk: float | None
    spearman: float | None
    pearson: float | None
    exact: float | None
    adjacent: float | None
    smd: float | None
    machine_mean: float | None
    human_mean: float | None

    def to_dict(self) -> dict[str, Any]:
        return {key: _round(value) for key, value in asdict(self).items()}


def grade_figures(machine: ArrayLike, human: ArrayLike) -> GradeFigures:
    x, y = _pair(machine, human)
    return GradeFigures(
        n=len(x),
        qwk=quadratic_weighted_kappa(x, y),
        spearman=spearman(x, y),
        pearson=pearson(x, y),
        exact=exact_agreement(x, y),
        adjacent=adjacent_agreement(x, y),
        smd=standardised_mean_difference(x, y),
        machine_mean=float(x.mean()) if len(x) else None,
        human_mean=float(y.mean()) if len(y) else None,
    )


def mean_figures(items: Sequence[GradeFigures]) -> GradeFigures | None:
    """The mean of each figure over several comparisons (rater pairs), ignoring undefined ones."""
    if not items:
        return None

    def mean(name: str) -> float | None:
        values = [getattr(item, name) for item in items if getattr(item, name) is not None]
        return float(np.mean(values)) if values else None

    return GradeFigures(
        n=max(item.n for item in items),
        qwk=mean("qwk"),
        spearman=mean("spearman"),
        pearson=mean("pearson"),
        exact=mean("exact"),
        adjacent=mean("adjacent"),
        smd=mean("smd"),
        machine_mean=mean("machine_mean"),
        human_mean=mean("human_mean"),
    )


@dataclass(frozen=True)
class BinaryFigures:
    """Coach's true/false for one id against the human label; positive = true."""

    n: int
    support: int  # records the human marked true
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None
    recall: float | None
    f1: float | None
    kappa: float | None

    def to_dict(self) -> dict[str, Any]:
        return {key: _round(value) for key, value in asdict(self).items()}


def binary_figures(machine: ArrayLike, human: ArrayLike) -> BinaryFigures:
    """Precision, recall and F1 as scikit-learn computes them with `zero_division=np.nan`."""
    x, y = _pair(machine, human)
    predicted, actual = x.astype(bool), y.astype(bool)
    tp = int(np.sum(predicted & actual))
    fp = int(np.sum(predicted & ~actual))
    fn = int(np.sum(~predicted & actual))
    tn = int(np.sum(~predicted & ~actual))
    return BinaryFigures(
        n=len(x),
        support=tp + fn,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / (tp + fn) if tp + fn else None,
        f1=2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
        kappa=_binary_kappa(tp, fp, fn, tn),
    )


def _binary_kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Cohen's (unweighted) kappa from a 2x2 table; None when chance explains every agreement."""
    total = tp + fp + fn + tn
    if not total:
        return None
    observed = (tp + tn) / total
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / total**2
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _round(value: Any, digits: int = 4) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    return value
