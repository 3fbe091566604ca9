"""The report, the instant recomputation behind the rubric lab, and the suggestions, on synthetic
scored sets (no model): every figure is checked against scikit-learn and scipy."""

from __future__ import annotations

import dataclasses
import math
import time
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

from coach.calibration import Lab, Params, ScoredSet, build_report, suggest
from coach.calibration.params import THRESHOLD_IDS, Overrides
from coach.calibration.suggest_cutoffs import equipercentile_cutoffs, fit_cutoffs
from coach.calibration.suggest_thresholds import fit_threshold
from coach.content import ALL_IDS, CRITERION_IDS, STAR_PARTS, ContentPack

# The factory fixture in conftest.py returns this (imported by name, `conftest` modules collide).
SyntheticFactory = Callable[..., ScoredSet]


def qwk(a: np.ndarray, b: np.ndarray) -> float:
    return float(cohen_kappa_score(a, b, weights="quadratic", labels=[1, 2, 3, 4, 5]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_report_matches_reference_libraries(synthetic: SyntheticFactory, seed: int) -> None:
    scored = synthetic(n=80, seed=seed, off_topic_share=0.1)
    report = build_report(scored)
    machine = scored.machine()
    human = scored.human_grade
    assert report.n == report.graded == report.labelled == 80
    assert report.grade is not None
    assert report.grade.qwk == pytest.approx(qwk(machine.grade, human))
    assert report.grade.spearman == pytest.approx(spearmanr(machine.grade, human).statistic)
    assert report.grade.pearson == pytest.approx(pearsonr(machine.grade, human).statistic)
    assert report.grade.exact == pytest.approx(np.mean(machine.grade == human))
    assert sum(map(sum, report.grade_confusion)) == 80
    f1s = []
    for column, item in enumerate(ALL_IDS):
        figures = report.criteria[item]
        y_true = scored.human_labels[:, column].astype(bool)
        y_pred = machine.labels[:, column]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = (
                precision_score(y_true, y_pred, zero_division=np.nan),
                recall_score(y_true, y_pred, zero_division=np.nan),
                f1_score(y_true, y_pred, zero_division=np.nan),
            )
        for ours, reference in zip(
            (figures.precision, figures.recall, figures.f1), expected, strict=True
        ):
            assert (ours is None) if math.isnan(reference) else ours == pytest.approx(reference)
        assert figures.support == int(y_true.sum())
        assert figures.tp + figures.fp + figures.fn + figures.tn == 80
        if figures.f1 is not None:
            f1s.append(figures.f1)
    assert report.macro_f1 == pytest.approx(np.mean(f1s))
    as_json = report.to_dict()
    assert set(as_json["grade"]) >= {"qwk", "spearman", "pearson", "exact", "adjacent", "smd"}
    assert set(as_json["criteria"]["metrics"]) >= {
        "precision",
        "recall",
        "f1",
        "support",
        "tp",
        "fp",
    }


def test_partial_labels_use_only_the_records_that_have_them(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=30, seed=4)
    labels = scored.human_labels.copy()
    labels[:20, ALL_IDS.index("follow_up")] = np.nan
    labels[:, ALL_IDS.index("generic")] = np.nan
    grades = scored.human_grade.copy()
    grades[::3] = np.nan
    partial = dataclasses.replace(scored, human_labels=labels, human_grade=grades)
    report = build_report(partial)
    assert report.criteria["follow_up"].n == 10
    assert "generic" not in report.criteria
    assert report.grade is not None and report.grade.n == report.graded == 20


def test_several_raters_give_human_human_figures(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=60, seed=5, raters=2)
    report = build_report(scored)
    assert report.raters is not None
    hh = report.raters.human_human
    assert hh is not None
    assert hh.qwk == pytest.approx(qwk(scored.raters[:, 0], scored.raters[:, 1]))
    machine = scored.machine().grade
    expected = np.mean([qwk(machine, scored.raters[:, k]) for k in range(2)])
    assert report.raters.machine_human is not None
    assert report.raters.machine_human.qwk == pytest.approx(expected)
    assert "raters" in report.to_dict()["grade"]


def test_flags_name_the_problem_in_plain_words(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=20, seed=6)
    random_grades = np.random.default_rng(0).integers(1, 6, 20).astype(np.float64)
    noisy = dataclasses.replace(scored, human_grade=random_grades)
    raters = np.stack([noisy.human_grade, noisy.human_grade], axis=1)
    flags = {
        f.code: f.message for f in build_report(dataclasses.replace(noisy, raters=raters)).flags
    }
    assert "QWK" in flags["qwk_low"] and "0.70" in flags["qwk_low"]
    assert "raters agree with each other" in flags["below_humans"]
    assert "Only 20 graded records" in flags["small_sample"]
    harsh = dataclasses.replace(scored, base=scored.base.with_cutoffs([80, 85, 90, 95]))
    smd = {f.code: f.message for f in build_report(harsh).flags}["smd"]
    assert "systematically lower" in smd


def test_disagreements_put_a_contradiction_first(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=40, seed=7, noise=0.05)
    machine = scored.machine()
    labels = scored.human_labels.copy()
    grades = scored.human_grade.copy()
    labels[17] = 1.0 - machine.labels[17]  # the human contradicts coach on every id
    grades[17] = 6 - machine.grade[17] if machine.grade[17] != 3 else 5
    report = build_report(dataclasses.replace(scored, human_labels=labels, human_grade=grades))
    top = report.disagreements[0]
    assert top.id == "r17"
    assert len(top.mismatches) == len(ALL_IDS)
    gaps = [d.gap for d in report.disagreements]
    assert gaps == sorted(gaps, reverse=True)


def test_moving_numbers_recomputes_only_what_they_touch(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=50, seed=8)
    before = scored.machine()
    column = ALL_IDS.index("follow_up")
    moved = scored.machine(scored.base.with_threshold("follow_up", 0.9))
    assert (moved.labels[:, column] == (scored.scores[:, column] >= 0.9)).all()
    others = [j for j in range(len(ALL_IDS)) if j != column]
    assert (moved.labels[:, others] == before.labels[:, others]).all()
    assert np.allclose(moved.overall, before.overall)  # criterion thresholds do not move the score
    heavier = scored.machine(scored.base.with_weight("metrics", 40))
    assert not np.allclose(heavier.overall, before.overall)
    assert (heavier.labels == before.labels).all()
    star = scored.machine(scored.base.with_threshold("result", 0.95))
    assert (star.overall <= before.overall + 1e-9).all()  # fewer results present, less credit
    lenient = scored.machine(scored.base.with_cutoffs([1, 2, 3, 4]))
    assert (lenient.grade >= before.grade).all()
    penalised = scored.machine(scored.base.with_penalty("generic", 50))
    assert (penalised.overall <= before.overall + 1e-9).all()
    with pytest.raises(KeyError):
        scored.base.with_threshold("generic", 0.5)
    with pytest.raises(ValueError):
        scored.base.with_cutoffs([30, 20, 40, 50])


def test_per_question_overrides_keep_their_own_threshold(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=20, seed=9)
    thresholds = scored.overrides.thresholds.copy()
    thresholds[:5, THRESHOLD_IDS.index("metrics")] = 0.0  # these questions pass everyone
    overridden = dataclasses.replace(
        scored,
        overrides=Overrides(thresholds, scored.overrides.weights, scored.overrides.penalties),
    )
    machine = overridden.machine(overridden.base.with_threshold("metrics", 1.0))
    assert machine.labels[:5, 0].all()
    assert not machine.labels[5:, 0].any()


def test_lab_updates_figures_instantly(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=2000, seed=10)
    lab = Lab(scored)
    first = lab.report
    start = time.perf_counter()
    report = lab.set_threshold("value_first", 0.8)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0  # a few milliseconds on a quiet machine
    column = ALL_IDS.index("value_first")
    y_pred = scored.scores[:, column] >= 0.8
    y_true = scored.human_labels[:, column].astype(bool)
    assert report.criteria["value_first"].recall == pytest.approx(recall_score(y_true, y_pred))
    assert report.criteria["value_first"].f1 != first.criteria["value_first"].f1
    assert [c.name for c in lab.changes()] == ["criteria.value_first.threshold"]
    lab.set_weight("task", 3)
    lab.set_cutoffs([20, 40, 60, 80])
    assert {c.name for c in lab.changes()} == {
        "criteria.value_first.threshold",
        "star.task.weight",
        "grading.cutoffs",
    }
    assert lab.report.grade is not None
    assert lab.report.grade.qwk == pytest.approx(qwk(lab.machine.grade, scored.human_grade))
    points = lab.sweep("result", [0.2, 0.5, 0.8])
    assert [p.value for p in points] == [0.2, 0.5, 0.8]
    assert all(p.figures is not None and p.qwk is not None for p in points)
    assert lab.reset().to_dict() == first.to_dict()
    assert lab.changes() == []


@pytest.mark.parametrize(
    ("n", "graded", "labelled", "raters"),
    [
        (1, True, True, 0),
        (2, True, True, 0),
        (3, True, False, 2),
        (5, False, True, 0),
        (8, True, True, 0),
    ],
)
def test_suggestions_do_not_crash_on_small_data(
    synthetic: SyntheticFactory, n: int, graded: bool, labelled: bool, raters: int
) -> None:
    scored = synthetic(n=n, seed=n, graded=graded, labelled=labelled, raters=raters)
    tips = suggest(scored, folds=5)
    report = build_report(scored)
    assert report.n == n
    assert tips.to_dict()["folds"] <= 5
    if n < 5:
        assert tips.notes
    for t in tips.thresholds:
        assert 0 <= t.suggested <= 1
    if tips.cutoffs is not None:
        cuts = tips.cutoffs.suggested
        assert all(b > a for a, b in zip(cuts, cuts[1:], strict=False))


def test_suggestions_with_one_class_only(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=30, seed=11)
    labels = scored.human_labels.copy()
    labels[:, : len(THRESHOLD_IDS)] = 1.0  # every label true: nothing to fit a threshold to
    grades = np.full(30, 3.0)  # a single grade: nothing to fit cut-offs to
    tips = suggest(dataclasses.replace(scored, human_labels=labels, human_grade=grades))
    assert not any(t.helps for t in tips.thresholds)
    assert all(t.suggested == t.current for t in tips.thresholds)
    assert tips.cutoffs is not None and not tips.cutoffs.helps


def test_a_wrong_threshold_is_found_and_holds_up(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=120, seed=12, noise=0.05)
    off = scored.base.with_threshold("outcome_focus", 0.85)
    tips = suggest(scored, off, folds=5)
    tip = next(t for t in tips.thresholds if t.id == "outcome_focus")
    assert tip.current == 0.85
    assert abs(tip.suggested - 0.5) < 0.1
    assert tip.helps and tip.after is not None
    assert tip.after.kappa is not None and tip.before.kappa is not None
    assert tip.after.kappa > tip.before.kappa
    assert tips.params.thresholds["outcome_focus"] == tip.suggested
    untouched = [t for t in tips.thresholds if t.id in CRITERION_IDS and t.id != "outcome_focus"]
    assert all(
        tips.params.thresholds[t.id] == (t.suggested if t.helps else t.current) for t in untouched
    )


def test_cutoffs_match_the_human_distribution(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=150, seed=13)
    harsh = scored.base.with_cutoffs([70, 80, 90, 95])
    tips = suggest(scored, harsh)
    c = tips.cutoffs
    assert c is not None and c.after is not None and c.before.smd is not None
    assert c.helps
    assert c.after.smd is not None and abs(c.after.smd) < abs(c.before.smd)
    human = np.array(c.human_distribution)
    assert np.abs(np.cumsum(c.machine_after) - np.cumsum(human))[:-1].max() <= 0.05 * 150 + 1


def test_fit_helpers_on_hand_made_data() -> None:
    scores = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])
    truth = np.array([False, False, False, True, True, True])
    assert 0.3 < fit_threshold(scores, truth, 0.95) <= 0.6
    assert fit_threshold(scores, np.ones(6, dtype=bool), 0.42) == 0.42
    overall = np.array([5, 15, 25, 35, 45, 55, 65, 75, 85, 95], dtype=float)
    human = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    cuts = equipercentile_cutoffs(overall, human)
    assert cuts == sorted(cuts)
    grades = 1 + (overall[:, None] >= np.array(cuts)[None, :]).sum(axis=1)
    assert grades.tolist() == human.tolist()
    fitted = fit_cutoffs(overall, human, (30.0, 45.0, 60.0, 75.0))
    grades = 1 + (overall[:, None] >= np.array(fitted)[None, :]).sum(axis=1)
    assert qwk(grades, human) == pytest.approx(1.0)


def test_params_come_from_the_rubric(pack: ContentPack) -> None:
    params = Params.from_rubric(pack.rubric)
    assert params.cutoffs == tuple(pack.rubric.grading.cutoffs)
    assert params.thresholds["follow_up"] == pack.rubric.criteria.follow_up.threshold
    assert params.weights["result"] == pack.rubric.star.result.weight
    assert params.penalties["generic"] == pack.rubric.mistakes.generic.penalty


def test_scored_set_is_plain_data(synthetic: SyntheticFactory) -> None:
    scored: ScoredSet = synthetic(n=3)
    assert len(scored) == 3
    assert scored.labelled_ids() == list(ALL_IDS)


def test_recomputation_follows_the_scorers_story_rules(synthetic: SyntheticFactory) -> None:
    scored = synthetic(n=4, seed=14)
    scores = np.zeros_like(scored.scores)
    situation, task, action, result = (THRESHOLD_IDS.index(p) for p in STAR_PARTS)
    scores[0, [situation, action, result]] = 0.9  # a full story without a task sentence
    scores[0, task] = 0.1
    scores[1, [situation, action]] = 0.9  # no result: no task implied
    scores[2, :] = 0.9  # everything shown, but off-topic
    off_topic = np.array([False, False, True, False])
    story = dataclasses.replace(scored, scores=scores, off_topic=off_topic)
    machine = story.machine()
    task_column = ALL_IDS.index("task")
    assert machine.labels[0, task_column] and not machine.labels[1, task_column]
    plain = story.machine(story.base.with_threshold("task", 0.05))  # now shown by its own score
    weight = story.base.weights["task"]
    total = sum(story.base.weights.values()) + 12.0  # + model answer and talking points weights
    assert machine.overall[0] - plain.overall[0] == pytest.approx(
        100 * weight * (0.5 - 0.1) / total
    )
    assert not machine.labels[2, : len(THRESHOLD_IDS)].any()
    assert machine.overall[2] <= story.base.off_topic_cap
