"""Every agreement figure against scikit-learn and scipy, on hand-made and generated data."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import pearsonr, rankdata, spearmanr
from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    confusion_matrix,
    precision_recall_fscore_support,
)

from coach.calibration import metrics
from coach.calibration.suggest_cutoffs import _qwk_many
from coach.calibration.suggest_thresholds import _kappas

GRADES = [1, 2, 3, 4, 5]

# (name, coach grades, human grades)
GRADE_CASES = [
    ("perfect", [1, 2, 3, 4, 5, 3, 2], [1, 2, 3, 4, 5, 3, 2]),
    ("one grade low", [1, 1, 2, 3, 4, 2, 1], [2, 2, 3, 4, 5, 3, 2]),
    ("reversed", [5, 4, 3, 2, 1], [1, 2, 3, 4, 5]),
    ("ties and gaps", [2, 2, 2, 5, 5, 3, 3, 2], [1, 2, 2, 5, 4, 3, 5, 2]),
    ("no 4s given", [1, 3, 5, 5, 3, 1], [1, 3, 5, 3, 3, 1]),
    ("mostly 2s", [2, 2, 2, 2, 3, 2, 1, 2], [2, 2, 3, 2, 2, 2, 2, 1]),
    ("two records", [2, 4], [1, 5]),
    ("random 60", *np.random.default_rng(3).integers(1, 6, size=(2, 60)).tolist()),
    ("random 200", *np.random.default_rng(7).integers(1, 6, size=(2, 200)).tolist()),
]


def reference_qwk(a: list[int], b: list[int]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b, weights="quadratic", labels=GRADES))


def reference_smd(machine: list[int], human: list[int]) -> float:
    m, h = np.array(machine, float), np.array(human, float)
    pooled = math.sqrt((np.std(m, ddof=1) ** 2 + np.std(h, ddof=1) ** 2) / 2)
    return float((m.mean() - h.mean()) / pooled)


@pytest.mark.parametrize(("name", "coach", "human"), GRADE_CASES, ids=[c[0] for c in GRADE_CASES])
def test_grade_figures_match_reference(name: str, coach: list[int], human: list[int]) -> None:
    figures = metrics.grade_figures(coach, human)
    assert figures.n == len(coach)
    assert figures.qwk == pytest.approx(reference_qwk(coach, human), abs=1e-12)
    assert figures.spearman == pytest.approx(spearmanr(coach, human).statistic, abs=1e-12)
    assert figures.pearson == pytest.approx(pearsonr(coach, human).statistic, abs=1e-12)
    assert figures.exact == pytest.approx(accuracy_score(human, coach))
    adjacent = np.mean(np.abs(np.array(coach) - np.array(human)) <= 1)
    assert figures.adjacent == pytest.approx(adjacent)
    assert figures.smd == pytest.approx(reference_smd(coach, human), abs=1e-12)


@pytest.mark.parametrize(("name", "coach", "human"), GRADE_CASES, ids=[c[0] for c in GRADE_CASES])
def test_confusion_matrix_matches_sklearn(name: str, coach: list[int], human: list[int]) -> None:
    ours = metrics.confusion_matrix(human, coach)
    assert ours.tolist() == confusion_matrix(human, coach, labels=GRADES).tolist()


def test_qwk_uses_the_whole_scale_even_for_missing_grades() -> None:
    # sklearn without labels= would treat 3 and 5 as neighbours; the figure must not.
    coach, human = [1, 3, 5, 5], [1, 3, 3, 5]
    assert metrics.quadratic_weighted_kappa(coach, human) == pytest.approx(
        reference_qwk(coach, human)
    )


def test_undefined_figures_are_none() -> None:
    constant = [3, 3, 3, 3]
    assert metrics.quadratic_weighted_kappa(constant, constant) is None
    assert metrics.spearman(constant, [1, 2, 3, 4]) is None
    assert metrics.pearson(constant, [1, 2, 3, 4]) is None
    assert metrics.pearson([1], [1]) is None
    assert metrics.exact_agreement([], []) is None
    assert metrics.standardised_mean_difference([2], [3]) is None
    assert metrics.standardised_mean_difference(constant, constant) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(spearmanr(constant, [1, 2, 3, 4]).statistic)
        assert math.isnan(cohen_kappa_score(constant, constant, weights="quadratic"))


def test_average_ranks_match_scipy() -> None:
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0]
    assert metrics.average_ranks(values).tolist() == rankdata(values).tolist()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=80),
)
def test_grade_figures_property(pairs: list[tuple[int, int]]) -> None:
    coach = [a for a, _ in pairs]
    human = [b for _, b in pairs]
    figures = metrics.grade_figures(coach, human)
    expected_qwk = reference_qwk(coach, human)
    if math.isnan(expected_qwk):
        assert figures.qwk is None
    else:
        assert figures.qwk == pytest.approx(expected_qwk, abs=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = spearmanr(coach, human).statistic
        r = (
            pearsonr(coach, human).statistic
            if len(set(coach)) > 1 and len(set(human)) > 1
            else None
        )
    if figures.spearman is None:
        assert math.isnan(rho)
    else:
        assert figures.spearman == pytest.approx(rho, abs=1e-9)
    if r is not None:
        assert figures.pearson == pytest.approx(r, abs=1e-9)


# (name, coach true/false, human true/false)
BINARY_CASES = [
    ("perfect", [1, 0, 1, 0, 1], [1, 0, 1, 0, 1]),
    ("over-eager", [1, 1, 1, 1, 0, 1], [1, 0, 1, 0, 0, 0]),
    ("timid", [0, 0, 1, 0, 0, 0], [1, 1, 1, 0, 1, 0]),
    ("never says yes", [0, 0, 0, 0], [1, 0, 1, 0]),
    ("no true labels", [1, 0, 0, 1], [0, 0, 0, 0]),
    ("all negative agreed", [0, 0, 0], [0, 0, 0]),
    ("random 80", *(np.random.default_rng(5).uniform(size=(2, 80)) < 0.4).astype(int).tolist()),
]


@pytest.mark.parametrize(("name", "coach", "human"), BINARY_CASES, ids=[c[0] for c in BINARY_CASES])
def test_binary_figures_match_sklearn(name: str, coach: list[int], human: list[int]) -> None:
    figures = metrics.binary_figures(coach, human)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        precision, recall, f1, _ = precision_recall_fscore_support(
            human, coach, average="binary", pos_label=1, zero_division=np.nan
        )
        kappa = cohen_kappa_score(human, coach)
    for ours, reference in (
        (figures.precision, precision),
        (figures.recall, recall),
        (figures.f1, f1),
    ):
        if math.isnan(reference):
            assert ours is None
        else:
            assert ours == pytest.approx(reference, abs=1e-12)
    if math.isnan(kappa):
        assert figures.kappa is None
    else:
        assert figures.kappa == pytest.approx(kappa, abs=1e-12)
    tn, fp, fn, tp = confusion_matrix(human, coach, labels=[0, 1]).ravel().tolist()
    assert (figures.tp, figures.fp, figures.fn, figures.tn) == (tp, fp, fn, tn)
    assert figures.support == sum(human)
    assert figures.n == len(human)


def test_vectorised_threshold_kappas_match_sklearn() -> None:
    rng = np.random.default_rng(11)
    scores = rng.uniform(size=50)
    truth = scores + rng.normal(0, 0.2, size=50) > 0.5
    grid = np.array([0.1, 0.3, 0.5, 0.7, 0.9, 1.5])
    ours = _kappas(scores, truth, grid)
    for value, kappa in zip(grid, ours, strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = cohen_kappa_score(truth, scores >= value)
        if math.isnan(reference):
            assert math.isnan(kappa)
        else:
            assert kappa == pytest.approx(reference, abs=1e-12)


def test_vectorised_qwk_matches_sklearn() -> None:
    rng = np.random.default_rng(2)
    human = rng.integers(1, 6, size=40)
    graded = rng.integers(1, 6, size=(40, 7))
    ours = _qwk_many(human, graded)
    for column in range(graded.shape[1]):
        reference = reference_qwk(graded[:, column].tolist(), human.tolist())
        assert ours[column] == pytest.approx(reference, abs=1e-12)


def test_mean_figures_average_each_figure() -> None:
    a = metrics.grade_figures([1, 2, 3, 4], [1, 2, 3, 5])
    b = metrics.grade_figures([1, 2, 2, 4], [2, 2, 3, 4])
    mean = metrics.mean_figures([a, b])
    assert mean is not None
    assert a.qwk is not None and b.qwk is not None
    assert mean.qwk == pytest.approx((a.qwk + b.qwk) / 2)
    assert metrics.mean_figures([]) is None


@pytest.mark.parametrize(("fixed", "broken"), [(0, 0), (3, 0), (4, 1), (4, 3), (10, 2), (0, 5)])
def test_sign_test_matches_scipy(fixed: int, broken: int) -> None:
    from scipy.stats import binomtest

    from coach.calibration.suggest_thresholds import sign_test

    expected = (
        1.0 if fixed + broken == 0 else binomtest(fixed, fixed + broken, 0.5, "greater").pvalue
    )
    assert sign_test(fixed, broken) == pytest.approx(expected)
