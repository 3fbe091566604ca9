"""The scorer behind the app: loads the embedding model once, then scores from any thread.

Plain Python (no Textual): the app runs `load` and `score` in thread workers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from coach.content import ContentPack

if TYPE_CHECKING:  # the scoring code loads in the worker, after the first paint
    from coach.scoring import Embedder, Scorer, ScoreResult

T = TypeVar("T")


class ModelState(StrEnum):
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"  # keyword checks only


def load_minilm() -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded (the fast onnxruntime path with the content cache when
    it works, else sentence-transformers); raises ModelUnavailable."""
    from coach.scoring.embedding import default_embedder

    # One model thread leaves the other core to the interface: with two, each key press waited
    # about 80 ms longer while the live check ran (bench/bench_tui.py); with one, about 20 ms.
    return default_embedder(threads=1)


def _scorer(pack: ContentPack, embedder: Embedder | None) -> Scorer:
    from coach.scoring.scorer import Scorer

    return Scorer(pack, embedder)


class Engine:
    """One `Scorer` for the app; scoring is serialised (the model is not shared across threads)."""

    def __init__(
        self, pack: ContentPack, load_embedder: Callable[[], Embedder] | None = load_minilm
    ) -> None:
        self.pack = pack
        self._load_embedder = load_embedder
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._scorer: Scorer | None = None
        self.state = ModelState.LOADING
        self.problem = ""  # why the model is unavailable
        if load_embedder is None:
            self._finish(_scorer(pack, None), ModelState.UNAVAILABLE, "keyword checks only")

    @classmethod
    def keyword_only(cls, pack: ContentPack, reason: str = "keyword checks only") -> Engine:
        engine = cls(pack, None)
        engine.problem = reason
        return engine

    @classmethod
    def from_scorer(cls, scorer: Scorer) -> Engine:
        """An engine over a scorer that is ready now (tests share one loaded model)."""
        engine = cls(scorer.pack, None)
        state = ModelState.READY if scorer.embedder is not None else ModelState.UNAVAILABLE
        engine._finish(scorer, state, "" if scorer.embedder is not None else "keyword checks only")
        return engine

    def _finish(self, scorer: Scorer, state: ModelState, problem: str) -> None:
        self._scorer = scorer
        self.state = state
        self.problem = problem
        self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def load(self, warm_question: str | None = None) -> ModelState:
        """Load the model (once; slow), falling back to keyword checks; then warm one question."""
        if not self._ready.is_set():
            from coach.scoring import ModelUnavailable

            assert self._load_embedder is not None
            try:
                scorer = _scorer(self.pack, self._load_embedder())
                self._finish(scorer, ModelState.READY, "")
            except ModelUnavailable as exc:
                self._finish(_scorer(self.pack, None), ModelState.UNAVAILABLE, str(exc))
            except Exception as exc:  # whatever breaks, the app goes on with keyword checks
                problem = f"cannot load the embedding model ({type(exc).__name__}: {exc})"
                self._finish(_scorer(self.pack, None), ModelState.UNAVAILABLE, problem)
        if warm_question is not None:
            self.warm(warm_question)
        return self.state

    def warm(self, question_id: str) -> None:
        """Prepare a question's rubric vectors now, so its first score is quick."""
        if not self._ready.is_set():
            return
        with self._lock:
            assert self._scorer is not None
            self._scorer.prepare(self.pack.find_question(question_id))

    def score(
        self, question_id: str, text: str, cancelled: Callable[[], bool] | None = None
    ) -> ScoreResult | None:
        """Score an answer, waiting for the model if it is still loading.

        Returns None if `cancelled()` turns true before scoring starts. Raises `EmptyAnswer`.
        """
        self._ready.wait()
        with self._lock:
            if cancelled is not None and cancelled():
                return None
            assert self._scorer is not None
            return self._scorer.score(question_id, text)

    def run(self, job: Callable[[Scorer], T]) -> T:
        """Run `job` with the scorer to itself (the rubric lab scores a labels file this way),
        waiting for the model if it is still loading. Slow: call it from a thread worker."""
        self._ready.wait()
        with self._lock:
            assert self._scorer is not None
            return job(self._scorer)
