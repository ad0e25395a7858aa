"""The measuring primitives every ``gamegen bench`` section shares: best-of-repeats rates, the matmul peak, FLOPs of a graph.

Kept apart from ``run.py`` (which calls the sections) so the sections
(``graphs.py``, ``ray.py``) can use them without importing the module that imports them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

__all__ = ["WIDTH", "THREADS", "best_rate", "matmul_peak", "graph_flops", "throughput"]

WIDTH = 200  # columns of every level the bench makes
THREADS = 2  # this machine's cores; both runtimes get the same


def best_rate(work: Callable[[], object], items: int, min_time: float) -> float:
    """Items per second of ``work`` (which makes ``items`` items), best of repeats within ``min_time``."""
    work()  # warm-up: sessions, allocations, caches
    best, spent = 0.0, 0.0
    while spent < min_time or best == 0.0:
        started = time.perf_counter()
        work()
        elapsed = time.perf_counter() - started
        spent += elapsed
        best = max(best, items / elapsed)
    return best


def matmul_peak(size: int = 1024, min_time: float = 1.0) -> float:
    """FLOP/s of numpy's float32 matrix multiply (this machine's practical single-precision peak)."""
    rng = np.random.Generator(np.random.PCG64(0))
    a, b = rng.standard_normal((2, size, size), dtype=np.float32)
    return best_rate(lambda: a @ b, 2 * size**3, min_time)


def graph_flops(onnx_path, feeds: dict[str, np.ndarray]) -> float:
    """FLOPs of one run of the graph on ``feeds``: 2 × multiply-adds of every Conv, ConvTranspose, MatMul, Gemm and LSTM."""
    import onnx

    model = onnx.load(str(onnx_path))
    for graph_input in model.graph.input:
        shape = feeds[graph_input.name].shape
        for dim, size in zip(graph_input.type.tensor_type.shape.dim, shape):
            dim.ClearField("dim_param")
            dim.dim_value = size
    inferred = onnx.shape_inference.infer_shapes(model, data_prop=True)
    values = [*inferred.graph.value_info, *inferred.graph.output, *inferred.graph.input]
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}
    weights = {i.name: list(i.dims) for i in model.graph.initializer}
    flops = 0.0
    for node in model.graph.node:
        if node.op_type == "Conv":  # out (N, Cout, H, W); weight (Cout, Cin/g, kh, kw)
            out, w = shapes[node.output[0]], weights[node.input[1]]
            flops += 2 * np.prod(out) * np.prod(w[1:])
        elif node.op_type == "ConvTranspose":  # in (N, Cin, H, W); weight (Cin, Cout/g, kh, kw)
            inp, w = shapes[node.input[0]], weights[node.input[1]]
            flops += 2 * np.prod(inp) * np.prod(w[1:])
        elif node.op_type in ("MatMul", "Gemm"):  # out (..., M, N); A (..., M, K), or (K, M) for Gemm with transA
            a = shapes.get(node.input[0]) or weights[node.input[0]]
            trans_a = any(attr.name == "transA" and attr.i for attr in node.attribute)
            flops += 2 * np.prod(shapes[node.output[0]]) * (a[-2] if trans_a else a[-1])
        elif node.op_type == "LSTM":  # X (T, N, I); W (D, 4H, I); R (D, 4H, H); layout 0
            x, w, r = shapes[node.input[0]], weights[node.input[1]], weights[node.input[2]]
            flops += 2 * x[0] * x[1] * w[0] * w[1] * (w[2] + r[2])
    return float(flops)


def throughput(run: Callable[[np.ndarray], object], latent_of: Callable[[int], np.ndarray], batch: int, min_time: float) -> float:
    latents = latent_of(batch)
    return best_rate(lambda: run(latents), batch, min_time)
