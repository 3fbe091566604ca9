"""A disk cache of the embeddings of content texts, so a cold start encodes only the answer.

Only texts the caller marks as content (rubric exemplars, talking points, question text, model-answer
sentences) are ever written: `CachingEmbedder.encode` passes everything else straight to the model,
without touching the disk. The scorer marks its content by encoding inside `content()`:

    with content_texts(self.embedder):  # coach.scoring.embedding.content_texts
        vectors = self._encode(texts)

Rows are keyed by the model (backend and a hash of its files) and the sha256 of the text, so a
changed exemplar simply misses and an unchanged one keeps hitting: invalidation needs no bookkeeping.
The cache is best effort: an unwritable or broken cache file only costs speed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from coach.scoring.embedding import Embedder

DIM = 384
FILE_NAME = "embeddings.sqlite3"
_CHUNK = 500  # keys per SELECT, below sqlite's variable limit
# The live check re-scores a growing answer every few keystrokes; keeping its recent sentences in
# memory means each check encodes only the sentence being typed, and the final score none.
RECENT_SENTENCES = 512


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]


class EmbeddingStore:
    """A sqlite file of (model, text hash) -> float32 vector."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: Any = None
        self._broken = False
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        if self._db is None and not self._broken:
            import sqlite3

            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
                    "vector BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID"
                )
                db.commit()
                self._db = db
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._db

    def get(self, model: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        import sqlite3

        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            db = self._connect()
            if db is None:
                return found
            try:
                for start in range(0, len(keys), _CHUNK):
                    chunk = list(keys[start : start + _CHUNK])
                    marks = ",".join("?" * len(chunk))
                    rows = db.execute(
                        f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                        [model, *chunk],
                    )
                    for key, blob in rows:
                        if len(blob) == DIM * 4:
                            found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.Error:
                return {}
        return found

    def put(self, model: str, items: Sequence[tuple[bytes, np.ndarray]]) -> None:
        import sqlite3

        if not items:
            return
        with self._lock:
            db = self._connect()
            if db is None:
                return
            try:
                with db:
                    db.executemany(
                        "INSERT OR REPLACE INTO vectors (model, key, vector) VALUES (?, ?, ?)",
                        [
                            (model, key, np.asarray(v, dtype=np.float32).tobytes())
                            for key, v in items
                        ],
                    )
            except sqlite3.Error:
                pass

    def count(self, model: str | None = None) -> int:
        with self._lock:
            db = self._connect()
            if db is None:
                return 0
            if model is None:
                return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])
            sql = "SELECT count(*) FROM vectors WHERE model = ?"
            return int(db.execute(sql, [model]).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class CachingEmbedder:
    """Wraps an embedder; inside `content()`, embeddings come from (and go to) the disk cache.

    Outside `content()` nothing is stored on disk, so answers never reach it: their latest
    sentences are kept in memory only (RECENT_SENTENCES), for answers scored again as they grow.
    The marking is per thread.
    """

    def __init__(self, inner: Embedder, store: EmbeddingStore | None) -> None:
        self.inner = inner
        self.name = inner.name
        self.store = store
        self._local = threading.local()
        self._memo: dict[bytes, np.ndarray] = {}
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()
        self._model_key: str | None = None
        self.hits = 0  # content texts served from the disk cache, for tests and benchmarks
        self.misses = 0  # content texts the model had to encode

    def load(self) -> None:
        load = getattr(self.inner, "load", None)
        if load is not None:
            load()

    @property
    def model_key(self) -> str:
        if self._model_key is None:
            self._model_key = str(getattr(self.inner, "cache_key", self.inner.name))
        return self._model_key

    @contextmanager
    def content(self) -> Iterator[None]:
        """Mark the texts encoded in this block (this thread only) as content: cacheable."""
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth

    @property
    def in_content(self) -> bool:
        return bool(getattr(self._local, "depth", 0))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.in_content:
            return self.encode_content(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._recent_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._recent))
            if missing:
                vectors = np.asarray(self.inner.encode(missing), dtype=np.float32)
                self._recent.update(zip(missing, vectors, strict=True))
            out = np.stack([self._recent[t] for t in texts])
            for text in texts:
                self._recent.move_to_end(text)
            while len(self._recent) > RECENT_SENTENCES:
                self._recent.popitem(last=False)
        return out

    def encode_content(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of content texts: memory, then disk, then the model (whose results are kept)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        wanted = list(dict.fromkeys(k for k in keys if k not in self._memo))
        if wanted and self.store is not None:
            found = self.store.get(self.model_key, wanted)
            self.hits += len(found)
            self._memo.update(found)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._memo}
        if missing:
            vectors = np.asarray(self.inner.encode(list(missing.values())), dtype=np.float32)
            fresh = list(zip(missing, vectors, strict=True))
            self.misses += len(fresh)
            self._memo.update(fresh)
            if self.store is not None:
                self.store.put(self.model_key, fresh)
        return np.stack([self._memo[k] for k in keys])
