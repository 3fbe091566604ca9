"""Stand-ins for the model: a canned scorer and a model load the test holds back."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from coach.content import ContentPack
from coach.scoring import Embedder, ModelUnavailable, Scorer, ScoreResult


class UnusedEmbedder:
    """Stands in for the model where nothing is embedded (the canned scorer)."""

    name = "unused"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("the canned scorer embeds nothing")


class CannedScorer(Scorer):
    """Returns one fixed result (built for question 2), so snapshots do not move with the rubric."""

    def __init__(self, pack: ContentPack, result: ScoreResult) -> None:
        super().__init__(pack, UnusedEmbedder())
        self.result = result

    def score(self, question_ref: str | int, answer: str) -> ScoreResult:
        return self.result


class GatedLoad:
    """A model load that waits until the test opens the gate (a model still warming up)."""

    def __init__(self, embedder: Embedder | None, error: str = "") -> None:
        self.gate = threading.Event()
        self.embedder = embedder
        self.error = error

    def __call__(self) -> Embedder:
        self.gate.wait(timeout=30)
        if self.embedder is None:
            raise ModelUnavailable(self.error or "the test has no model")
        return self.embedder


class LabScorer(Scorer):
    """Scores a labels record from numbers written in its answer ("follow_up=0.4 metrics=0.9"),
    on top of the canned result: the rubric lab's figures without the model or the rubric's
    keywords."""

    def __init__(self, pack: ContentPack, result: ScoreResult) -> None:
        super().__init__(pack, UnusedEmbedder())
        self.result = result

    def score(self, question_ref: str | int, answer: str) -> ScoreResult:
        scores = dict(
            (key, float(value))
            for key, _, value in (word.partition("=") for word in answer.split())
            if value
        )
        criteria = tuple(
            replace(c, score=scores.get(c.id, c.score), passed=scores.get(c.id, c.score) >= 0.5)
            for c in self.result.criteria
        )
        question = self.pack.find_question(question_ref).id
        return replace(self.result, question=question, criteria=criteria)

    def score_many(self, items: Sequence[tuple[str | int, str]]) -> list[ScoreResult]:
        return [self.score(question, answer) for question, answer in items]
