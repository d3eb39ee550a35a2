"""all-MiniLM-L6-v2 as an ONNX graph for onnxruntime, built from the safetensors weights.

The graph computes what the NumPy forward pass in embeddings.py computes — BERT embeddings, the encoder layers with
the tanh form of GELU, mean pooling over real tokens, L2 normalisation — in standard ONNX operators except for
self-attention, which is onnxruntime's fused Attention kernel; the vectors agree with NumPy's to about 1e-6.
"""

from typing import Any

import numpy as np
import onnx
from numpy.typing import NDArray
from onnx import TensorProto, helper, numpy_helper

_OPSET = 20  # the first with Gelu's tanh form
_MICROSOFT = "com.microsoft"


class _GraphBuilder:
    """Collects nodes and initializers, naming every intermediate value after the node that makes it."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def constant(self, name: str, value: NDArray[np.generic]) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], *, output: str | None = None, domain: str = "", **attributes: Any) -> str:
        name = output or f"{op}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, domain=domain, **attributes))
        return name


def build(weights: dict[str, NDArray[np.generic]], *, heads: int, layer_norm_eps: float) -> onnx.ModelProto:
    """The graph: input_ids and attention_mask (int64, [batch, sequence]) in, unit vectors [batch, hidden] out."""
    g = _GraphBuilder()
    hidden = weights["embeddings.word_embeddings.weight"].shape[1]
    layers = sum(1 for name in weights if name.endswith(".attention.self.query.weight"))

    def dense(x: str, name: str) -> str:
        product = g.node("MatMul", [x, g.constant(name + ".weight", weights[name + ".weight"].T)])
        return g.node("Add", [product, g.constant(name + ".bias", weights[name + ".bias"])])

    def layer_norm(x: str, name: str) -> str:
        scale, bias = (g.constant(f"{name}.{part}", weights[f"{name}.{part}"]) for part in ("weight", "bias"))
        return g.node("LayerNormalization", [x, scale, bias], axis=-1, epsilon=layer_norm_eps)

    def int64s(name: str, *values: int) -> str:
        return g.constant(name, np.array(values, dtype=np.int64))

    def float32(name: str, value: float) -> str:
        return g.constant(name, np.array(value, dtype=np.float32))

    # Embeddings: word + position + token type 0, then layer norm.
    length = g.node("Slice", [g.node("Shape", ["input_ids"]), int64s("one", 1), int64s("two", 2)])
    positions = g.constant("embeddings.position_embeddings.weight", weights["embeddings.position_embeddings.weight"])
    words = g.constant("embeddings.word_embeddings.weight", weights["embeddings.word_embeddings.weight"])
    x = g.node("Add", [g.node("Gather", [words, "input_ids"]), g.node("Slice", [positions, int64s("zero", 0), length])])
    token_type = g.constant("token_type", weights["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(g.node("Add", [x, token_type]), "embeddings.LayerNorm")
    mask_index = g.node("Cast", ["attention_mask"], to=TensorProto.INT32)

    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        # Query, key and value come from one GEMM; masked keys get -1e9 before the softmax, as in the NumPy pass.
        qkv_weight = np.concatenate([weights[f"{p}attention.self.{n}.weight"].T for n in ("query", "key", "value")], 1)
        qkv_bias = np.concatenate([weights[f"{p}attention.self.{n}.bias"] for n in ("query", "key", "value")])
        context = g.node(
            "Attention",
            [x, g.constant(p + "qkv.weight", qkv_weight), g.constant(p + "qkv.bias", qkv_bias), mask_index],
            domain=_MICROSOFT,
            num_heads=heads,
            mask_filter_value=-1e9,
        )
        x = layer_norm(g.node("Add", [x, dense(context, p + "attention.output.dense")]), p + "attention.output.LayerNorm")
        intermediate = g.node("Gelu", [dense(x, p + "intermediate.dense")], approximate="tanh")
        x = layer_norm(g.node("Add", [x, dense(intermediate, p + "output.dense")]), p + "output.LayerNorm")

    # The mean over real tokens, then unit length.
    mask = g.node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    masked = g.node("Mul", [x, g.node("Unsqueeze", [mask, int64s("last_axis", 2)])])
    summed = g.node("ReduceSum", [masked, int64s("token_axis", 1)], keepdims=0)
    counts = g.node("Max", [g.node("ReduceSum", [mask, int64s("count_axis", 1)]), float32("min_count", 1e-9)])
    pooled = g.node("Div", [summed, counts])
    norms = g.node("Max", [g.node("ReduceL2", [pooled, int64s("vector_axis", 1)]), float32("min_norm", 1e-12)])
    g.node("Div", [pooled, norms], output="embeddings")

    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
         for name in ("input_ids", "attention_mask")],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", hidden])],
        g.initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", _OPSET), helper.make_opsetid(_MICROSOFT, 1)],
        producer_name="mockroom",
    )
    onnx.checker.check_model(model)
    return model
