"""Fixtures for the calibration tests: synthetic scored sets (no model) and hand-made label files.

The real model comes from the session-scoped `scorer` fixture in tests/conftest.py; CLI tests
patch `build_scorer` so `coach calibrate` reuses it instead of loading the model again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from coach.calibration import LabelRecord, Params, ScoredSet
from coach.calibration.params import THRESHOLD_IDS, Overrides
from coach.content import ALL_IDS, MISTAKE_IDS, ContentPack
from coach.locations import bundled_content_dir
from coach.scoring import Scorer

SyntheticFactory = Callable[..., ScoredSet]

from calib_texts import AVERAGE, STRONG, WEAK  # noqa: E402

ALL_TRUE = {
    "metrics": True,
    "outcome_focus": True,
    "value_first": True,
    "follow_up": True,
    "situation": True,
    "task": True,
    "action": True,
    "result": True,
    "generic": False,
    "activity_over_outcome": False,
    "criticizes_others": False,
    "transactional": False,
    "ignores_cross_functional": False,
}
WEAK_LABELS = {
    "metrics": False,
    "outcome_focus": False,
    "value_first": False,
    "follow_up": False,
    "situation": False,
    "task": False,
    "action": False,
    "result": False,
    "generic": True,
}


@pytest.fixture
def content_root() -> Path:
    return bundled_content_dir()


@pytest.fixture
def holdout_path(content_root: Path) -> Path:
    return content_root / "calibration" / "holdout.yaml"


def _yaml_block(
    record_id: str, question: str, grade: int, answer: str, labels: dict[str, bool]
) -> str:
    lines = [f"- id: {record_id}", f"  question: {question}", f"  grade: {grade}", "  answer: |"]
    lines.append(f"    {answer}")
    lines.append("  labels:")
    lines += [f"    {key}: {str(value).lower()}" for key, value in labels.items()]
    return "\n".join(lines)


@pytest.fixture
def contradicting_file(tmp_path: Path) -> Path:
    """Consistent records plus one whose human label contradicts a plainly strong answer."""
    blocks = [
        _yaml_block("strong-a", "build-network", 5, STRONG, ALL_TRUE),
        _yaml_block("weak-a", "build-network", 1, WEAK, WEAK_LABELS),
        _yaml_block("weak-b", "referral-requests", 1, WEAK, WEAK_LABELS),
        _yaml_block("average-a", "build-network", 3, AVERAGE, {"metrics": False}),
        _yaml_block(
            "contradiction",
            "build-network",
            1,
            STRONG,
            {**{k: not v for k, v in ALL_TRUE.items()}, "ignores_cross_functional": False},
        ),
    ]
    path = tmp_path / "contradicting.yaml"
    path.write_text("\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def cli_scorer(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> Scorer:
    """Make `coach calibrate` reuse the session's scorer for whichever pack it loads."""

    def build(pack: ContentPack, quiet: bool = False) -> Scorer:
        if pack.content_hash == scorer.pack.content_hash:
            return scorer
        return Scorer(pack, scorer.embedder)

    monkeypatch.setattr("coach.cli.calibrate_cmd.build_scorer", build)
    return scorer


def base_params() -> Params:
    thresholds = {item: 0.5 for item in THRESHOLD_IDS}
    weights = {item: 10.0 for item in THRESHOLD_IDS}
    return Params(
        thresholds=thresholds,
        weights=weights,
        penalties={m: 10.0 for m in MISTAKE_IDS},
        cutoffs=(25.0, 42.0, 58.0, 74.0),
        model_answer_weight=6.0,
        talking_points_weight=6.0,
        off_topic_cap=10.0,
        no_result_max_grade=5,  # no cap: the synthetic sets test the cut-offs alone
        too_long_max_grade=5,
    )


@pytest.fixture
def synthetic() -> SyntheticFactory:
    """A ScoredSet built from random arrays: humans roughly agree with the scores, with noise."""

    def make(
        n: int = 40,
        seed: int = 0,
        *,
        noise: float = 0.15,
        graded: bool = True,
        labelled: bool = True,
        raters: int = 0,
        questions: list[str] | None = None,
        off_topic_share: float = 0.0,
    ) -> ScoredSet:
        rng = np.random.default_rng(seed)
        width = len(THRESHOLD_IDS)
        scores = rng.uniform(0, 1, size=(n, width))
        mistakes = rng.uniform(0, 1, size=(n, len(MISTAKE_IDS))) < 0.2
        model_part = rng.uniform(0, 1, size=n)
        coverage = rng.uniform(0, 1, size=n)
        off_topic = rng.uniform(0, 1, size=n) < off_topic_share
        truth = scores + rng.normal(0, noise, size=scores.shape) >= 0.5
        human_mistakes = mistakes ^ (rng.uniform(0, 1, size=mistakes.shape) < 0.1)
        human_labels = np.concatenate([truth, human_mistakes], axis=1).astype(float)
        quality = scores.mean(axis=1) - 0.1 * mistakes.sum(axis=1)
        human_grade = np.clip(np.round(1 + 4 * quality + rng.normal(0, 0.6, size=n)), 1, 5)
        rater_grades = np.full((n, raters), np.nan)
        for k in range(raters):
            rater_grades[:, k] = np.clip(human_grade + rng.integers(-1, 2, size=n), 1, 5)
        if not graded:
            human_grade[:] = np.nan
        if not labelled:
            human_labels[:] = np.nan
        names = questions or ["build-network"]
        records = tuple(
            LabelRecord(
                id=f"r{i}",
                line=i + 1,
                question=names[i % len(names)],
                answer="synthetic",
                grade=None if np.isnan(human_grade[i]) else int(human_grade[i]),
                grades=tuple(int(g) for g in rater_grades[i]),
                labels={
                    item: bool(human_labels[i, j])
                    for j, item in enumerate(ALL_IDS)
                    if not np.isnan(human_labels[i, j])
                },
            )
            for i in range(n)
        )
        nan = np.full((n, width), np.nan)
        return ScoredSet(
            records=records,
            results=(),
            base=base_params(),
            overrides=Overrides(nan.copy(), nan.copy(), np.full((n, len(MISTAKE_IDS)), np.nan)),
            scores=scores,
            mistakes=mistakes,
            model_part=model_part,
            coverage=coverage,
            off_topic=off_topic,
            too_long=np.zeros(n, dtype=bool),
            human_grade=human_grade,
            raters=rater_grades,
            human_labels=human_labels,
        )

    return make
