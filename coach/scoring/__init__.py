"""The scorer: STAR parts, rubric criteria and mistakes, each with its evidence sentence."""

from coach.scoring.embedding import Embedder, MiniLM, ModelUnavailable
from coach.scoring.result import ScoreResult
from coach.scoring.scorer import EmptyAnswer, Scorer

__all__ = ["Embedder", "EmptyAnswer", "MiniLM", "ModelUnavailable", "ScoreResult", "Scorer"]
