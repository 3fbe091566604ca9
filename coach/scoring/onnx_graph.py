"""all-MiniLM-L6-v2 as an ONNX graph of onnxruntime's fused BERT kernels, written by hand.

The weights are read from the package's `model.safetensors` with numpy, and the graph is written
as ONNX protobuf bytes by the small writer below: no torch, transformers or onnx package. A
problem with the files raises ValueError (or OSError, KeyError), which the embedder reports.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np

GRAPH_VERSION = 2  # bump whenever the graph builder changes: old cached graphs are then ignored
DIM = 384


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
            raise ValueError(f"unexpected dtype {info['dtype']} for {name} in {path}")
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
            raise ValueError(f"{root / 'config.json'}: {key} is not {value!r}")
    return build_graph(
        read_safetensors(root / "model.safetensors"),
        int(config["num_hidden_layers"]),
        int(config["num_attention_heads"]),
        float(config["layer_norm_eps"]),
        quantized,
    )
