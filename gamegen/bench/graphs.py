"""``gamegen bench``, per graph: every graph of every shipped model, ONNX Runtime against PyTorch eager.

A VAE's encoder is timed beside its decoder, the names LSTM's step beside the
tile GANs: items per second under each runtime at 2 threads and at 1, FLOPs per
item and the share of the matmul peak, after checking that the eager rebuild
(``train/eager.py``) computes what ONNX Runtime computes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

import numpy as np

from gamegen.bench.measure import THREADS, WIDTH, best_rate, graph_flops

__all__ = ["ITEMS", "graph_feeds", "bench_graph", "bench_graphs"]

ITEMS = {"sequence": f"level of {WIDTH} columns", "segments": "segment of 28 columns", "names": "character step of one name", "dungeon": "room",
    "sprites": "sprite"}


def graph_feeds(card, onnx_path, batch: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random inputs of one graph in the graph's input order, from the card's input specs.

    ``batch`` → ``batch``; other symbolic dims → the size a typical call uses (a
    platformer's latent columns for WIDTH columns); int64 inputs are valid ids
    (below the row count of the embedding table they index); floats standard normal.
    """
    import onnx

    proto = onnx.load(str(onnx_path), load_external_data=False)
    tables = {i.name: i.dims[0] for i in proto.graph.initializer if i.dims}
    id_limit = {n.input[1]: tables[n.input[0]] for n in proto.graph.node if n.op_type == "Gather" and n.input[0] in tables}
    specs = {spec["name"]: spec for spec in card.data["inputs"]}
    feeds: dict[str, np.ndarray] = {}
    for graph_input in proto.graph.input:
        spec = specs[graph_input.name]
        shape = [batch if d == "batch" else d if isinstance(d, int) else _typical_dim(card, d) for d in spec["shape"]]
        if spec["type"] == "int64":
            feeds[spec["name"]] = rng.integers(0, id_limit[spec["name"]], shape, dtype=np.int64)
        else:
            feeds[spec["name"]] = rng.standard_normal(shape, dtype=np.float32)
    return feeds


def _typical_dim(card, dim: str) -> int:
    if dim == "latent_columns":  # the latent of one WIDTH-column level
        from gamegen.api import load

        platformer: Any = load(card.name.split(".")[0])  # a sequence-layout platformer generator: it has latent()
        return platformer.latent(0, WIDTH).shape[-1]
    raise ValueError(f"model {card.name}: no typical size known for its input dimension {dim!r}")


def _eager_rebuild(card, graph: str, onnx_path, rng) -> tuple[object, dict]:
    """(eager module or None, what the check against ONNX Runtime on CPU found)."""
    try:
        import torch

        from gamegen.train.eager import TOLERANCE, NotRebuilt, eager_graph, max_abs_difference
    except ImportError:
        return None, {"not_rebuilt": "torch is not installed (pip install 'gamegen[train]')"}
    from gamegen.runtime.onnx import OnnxModel

    torch.set_num_threads(THREADS)  # the same as ONNX Runtime's intra-op threads
    feeds = graph_feeds(card, onnx_path, 4, rng)
    expected = OnnxModel(onnx_path, providers=["CPUExecutionProvider"], threads=THREADS).run(**feeds)
    try:
        module = eager_graph(card.data, onnx_path, graph)
        diff, scale = max_abs_difference(module, feeds, expected)
    except NotRebuilt as exc:
        return None, {"not_rebuilt": str(exc)}
    check = {"max_abs_diff": diff, "tolerance": TOLERANCE * max(1.0, scale), "matches": diff <= TOLERANCE * max(1.0, scale)}
    if not check["matches"]:
        return None, {**check, "not_rebuilt": f"the rebuild differs from ONNX Runtime by {diff:.3g} (tolerance {check['tolerance']:.3g})"}
    return module, check


def bench_graph(card, graph: str, peak: float, batches, min_time: float, log) -> dict:
    """One graph of one model: items/s under ONNX Runtime and PyTorch eager, FLOPs per item and the peak share, per batch."""
    from gamegen.runtime.onnx import OnnxModel

    graph_card = card if graph == "main" else card.graph(graph)
    path, rng = graph_card.onnx_path, np.random.Generator(np.random.PCG64(0))
    ort, ort_1 = OnnxModel(path, threads=THREADS), OnnxModel(path, threads=1)
    module, check = _eager_rebuild(graph_card, graph, path, rng)
    result: dict[str, Any] = {"item": ITEMS.get(card.data["generator"], "item"), "rebuild": check, "batches": {}}
    if module is None:
        log(f"{graph_card.name:28} torch: {check['not_rebuilt']}")
    for batch in batches:
        feeds = graph_feeds(graph_card, path, batch, rng)
        rate = best_rate(functools.partial(ort.run, **feeds), batch, min_time)
        flops = graph_flops(path, feeds) / batch
        rate_1 = best_rate(functools.partial(ort_1.run, **feeds), batch, min_time)
        row = {"ort_items_per_s": round(rate, 1), "ort_1_thread_items_per_s": round(rate_1, 1), "gflop_per_item": round(flops / 1e9, 6),
               "peak_share": round(flops * rate / peak, 4)}
        if module is not None:
            import torch

            tensors = [torch.from_numpy(v) for v in feeds.values()]

            def eager(tensors: list = tensors) -> None:
                with torch.inference_mode():
                    cast(Callable[..., object], module)(*tensors)  # the rebuilt graph: an nn.Module, untyped here

            rate_torch = best_rate(eager, batch, min_time)
            torch.set_num_threads(1)  # OpenMP's 2-thread barriers stall when the shared cores are busy: PyTorch's other choice
            rate_torch_1 = best_rate(eager, batch, min_time)
            torch.set_num_threads(THREADS)
            row.update(torch_items_per_s=round(rate_torch, 1), ort_over_torch=round(rate / rate_torch, 2),
                       torch_1_thread_items_per_s=round(rate_torch_1, 1), ort_over_best_torch=round(max(rate, rate_1) / max(rate_torch, rate_torch_1), 2))
        result["batches"][batch] = row
        torch_cols = (f"{row['torch_items_per_s']:>13} {row['torch_1_thread_items_per_s']:>13} {row['ort_over_torch']:>7} {row['ort_over_best_torch']:>7}"
                      if module is not None else f"{'–':>13} {'–':>13} {'–':>7} {'–':>7}")
        log(f"{graph_card.name:28} {batch:5} {row['ort_items_per_s']:>13} {row['ort_1_thread_items_per_s']:>13} {torch_cols} "
            f"{flops / 1e6:>11.3f} {100 * row['peak_share']:>9.2f}%")
    return result


def bench_graphs(peak: float, batches, min_time: float, log) -> dict:
    """Every graph of every shipped model (a VAE's encoder beside its decoder), keyed ``model`` / ``model.graph``."""
    from gamegen.runtime.cards import list_models

    log(f"{'model/graph':28} {'batch':>5} {'ORT items/s':>13} {'1 thread':>13} {'torch items/s':>13} {'1 thread':>13} "
        f"{'ratio':>7} {'best':>7} {'MFLOP/item':>11} {'peak share':>10}")
    return {(card.name if graph == "main" else f"{card.name}.{graph}"): bench_graph(card, graph, peak, batches, min_time, log)
            for card in list_models() for graph in ["main", *card.graph_names]}
