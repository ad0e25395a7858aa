"""``gamegen bench``: speed as ratios measured in one run.

Per shipped model: ONNX Runtime against PyTorch eager on the same weights
(``train/eager.py``, when torch is installed) at batch 1, 64 and 256; the
model's arithmetic rate (FLOPs counted from the shapes of its convolutions and
matrix products) as a share of this machine's single-precision matmul peak
measured with numpy in the same run. The same per graph of every shipped model
(``bench_graphs``: a VAE's encoder beside its decoder, the names LSTM's step),
in items per second, each runtime at 2 threads and at 1, after checking that
the eager rebuild computes what ONNX Runtime computes. For the platformer GAN:
end-to-end levels per second (repair and TMX export included) against model-only throughput, with a profile
summary; p50/p99 latency of one ``generate``; the agent's check of a
200-column level; cold start and peak RSS in fresh processes. The overworld:
median seconds of a 1024x1024 map against its 1 s target (``bench_overworld``). With the ray
extra: levels per second written to a folder by the local backend and by 1
and 2 Ray workers (``bench_ray``).

The machine is shared and noisy: each figure is the best of a few repeats,
and the verdicts compare ratios taken minutes apart at most. Nothing here is
asserted by the test suite except that it runs (``tests/test_bench.py``).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from typing import Callable

import numpy as np

__all__ = ["matmul_peak", "graph_flops", "throughput", "run_bench"]

BATCHES = (1, 64, 256)
WIDTH = 200
THREADS = 2  # this machine's cores; both runtimes get the same


def _best_rate(work: Callable[[], None], items: int, min_time: float) -> float:
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
    return _best_rate(lambda: a @ b, 2 * size**3, min_time)


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
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input)}
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
    return _best_rate(lambda: run(latents), batch, min_time)


def _profile_summary(work: Callable[[], None], top: int = 8) -> list[str]:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    text = out.getvalue().splitlines()
    rows = [line.split(None, 5) for line in text[next(i for i, line in enumerate(text) if "ncalls" in line) + 1 :] if line.strip()]
    return [f"{row[1]} s self, {row[3]} s total: {row[5]}" for row in rows[:top]]


def _fresh_process(code: str) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of ``python -c code`` in a new process."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec,
    # so a child of this (torch-laden) process would report the parent's peak.
    wrapper = (
        "import time; t0 = time.perf_counter()\n" + code +
        "\nwall = time.perf_counter() - t0"
        "\nhwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))"
        "\nprint(wall, int(hwm.split()[1]) / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=300, check=True)
    wall, rss = out.stdout.split()[-2:]
    return float(wall), float(rss)


def _torch_runner(gen):
    """PyTorch eager on the same weights, or None without the train extra."""
    try:
        import torch

        from .train.eager import eager_generator
    except ImportError:
        return None
    torch.set_num_threads(THREADS)  # the same as ONNX Runtime's intra-op threads
    module = eager_generator(gen.card.data, gen.card.onnx_path)

    def run(latents: np.ndarray):
        with torch.inference_mode():
            return module(torch.from_numpy(latents))

    return run


def bench_model(name: str, peak: float, batches, min_time: float, log) -> dict:
    """ONNX Runtime vs PyTorch eager, and FLOP/s vs the matmul peak, at each batch size."""
    from .api import load

    gen = load(name, threads=THREADS)

    def latents(batch: int) -> np.ndarray:  # a batch of items (levels) of WIDTH columns
        return np.concatenate([gen.latent(seed, WIDTH)[None] if gen.layout == "sequence" else gen.latent(seed, WIDTH) for seed in range(batch)])

    ort_run = lambda z: gen.model.run(latent=z)  # noqa: E731
    torch_run = _torch_runner(gen)
    per_item = 1 if gen.layout == "sequence" else -(-WIDTH // gen.segment)  # segments per level
    rows = {}
    for batch in batches:
        z = latents(batch)
        ort = _best_rate(lambda: ort_run(z), batch, min_time)
        flops = graph_flops(gen.card.onnx_path, {"latent": z})
        row = {"ort_levels_per_s": round(ort, 1), "gflops": round(flops * ort / batch / 1e9, 2), "peak_share": round(flops * ort / batch / peak, 3)}
        if torch_run is not None:
            eager = _best_rate(lambda: torch_run(z), batch, min_time)
            row.update(torch_levels_per_s=round(eager, 1), ort_over_torch=round(ort / eager, 2))
        rows[batch] = row
        log(f"{name:24} batch {batch:4}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    return {"width": WIDTH, "segments_per_level": per_item, "batches": rows}


ITEMS = {"sequence": f"level of {WIDTH} columns", "segments": "segment of 28 columns", "names": "character step of one name", "dungeon": "room", "sprites": "sprite"}


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
    feeds = {}
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
        from .api import load

        return load(card.name.split(".")[0]).latent(0, WIDTH).shape[-1]
    raise ValueError(f"model {card.name}: no typical size known for its input dimension {dim!r}")


def _eager_rebuild(card, graph: str, onnx_path, rng) -> tuple[object, dict]:
    """(eager module or None, what the check against ONNX Runtime on CPU found)."""
    try:
        import torch

        from .train.eager import TOLERANCE, NotRebuilt, eager_graph, max_abs_difference
    except ImportError:
        return None, {"not_rebuilt": "torch is not installed (pip install 'gamegen[train]')"}
    from .runtime import OnnxModel

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
    from .runtime import OnnxModel

    graph_card = card if graph == "main" else card.graph(graph)
    path, rng = graph_card.onnx_path, np.random.Generator(np.random.PCG64(0))
    ort, ort_1 = OnnxModel(path, threads=THREADS), OnnxModel(path, threads=1)
    module, check = _eager_rebuild(graph_card, graph, path, rng)
    result = {"item": ITEMS.get(card.data["generator"], "item"), "rebuild": check, "batches": {}}
    if module is None:
        log(f"{graph_card.name:28} torch: {check['not_rebuilt']}")
    for batch in batches:
        feeds = graph_feeds(graph_card, path, batch, rng)
        rate = _best_rate(lambda: ort.run(**feeds), batch, min_time)
        flops = graph_flops(path, feeds) / batch
        rate_1 = _best_rate(lambda: ort_1.run(**feeds), batch, min_time)
        row = {"ort_items_per_s": round(rate, 1), "ort_1_thread_items_per_s": round(rate_1, 1), "gflop_per_item": round(flops / 1e9, 6),
               "peak_share": round(flops * rate / peak, 4)}
        if module is not None:
            import torch

            tensors = [torch.from_numpy(v) for v in feeds.values()]

            def eager():
                with torch.inference_mode():
                    module(*tensors)

            rate_torch = _best_rate(eager, batch, min_time)
            torch.set_num_threads(1)  # OpenMP's 2-thread barriers stall when the shared cores are busy: PyTorch's other choice
            rate_torch_1 = _best_rate(eager, batch, min_time)
            torch.set_num_threads(THREADS)
            row.update(torch_items_per_s=round(rate_torch, 1), ort_over_torch=round(rate / rate_torch, 2),
                       torch_1_thread_items_per_s=round(rate_torch_1, 1), ort_over_best_torch=round(max(rate, rate_1) / max(rate_torch, rate_torch_1), 2))
        result["batches"][batch] = row
        torch_cols = (f"{row['torch_items_per_s']:>13} {row['torch_1_thread_items_per_s']:>13} {row['ort_over_torch']:>7} {row['ort_over_best_torch']:>7}"
                      if module is not None else f"{'–':>13} {'–':>13} {'–':>7} {'–':>7}")
        log(f"{graph_card.name:28} {batch:5} {row['ort_items_per_s']:>13} {row['ort_1_thread_items_per_s']:>13} {torch_cols} {flops / 1e6:>11.3f} {100 * row['peak_share']:>9.2f}%")
    return result


def bench_graphs(peak: float, batches, min_time: float, log) -> dict:
    """Every graph of every shipped model (a VAE's encoder beside its decoder), keyed ``model`` / ``model.graph``."""
    from .cards import list_models

    log(f"{'model/graph':28} {'batch':>5} {'ORT items/s':>13} {'1 thread':>13} {'torch items/s':>13} {'1 thread':>13} {'ratio':>7} {'best':>7} {'MFLOP/item':>11} {'peak share':>10}")
    return {(card.name if graph == "main" else f"{card.name}.{graph}"): bench_graph(card, graph, peak, batches, min_time, log)
            for card in list_models() for graph in ["main", *card.graph_names]}


def bench_platformer_pipeline(quick: bool, log) -> dict:
    """End to end vs model only; latency; the agent; cold start; peak RSS (platformer-gan)."""
    from .api import load
    from .exporters import get_exporter

    gen = load("platformer-gan", threads=THREADS)
    tmx = get_exporter("tmx")
    count = 40 if quick else 200
    seeds = list(range(count))
    model_only = _best_rate(lambda: gen.generate_batch(seeds, width=WIDTH, playable=False), count, 0.1)

    def end_to_end():
        for level in gen.generate_batch(seeds, width=WIDTH):
            tmx.export(level)

    e2e = _best_rate(end_to_end, count, 0.1)
    profile = _profile_summary(end_to_end)
    latencies = []
    for seed in range(50 if quick else 300):
        started = time.perf_counter()
        gen.generate(seed, width=WIDTH)
        latencies.append(time.perf_counter() - started)
    levels = gen.generate_batch(range(50 if quick else 200), width=WIDTH, playable=False)
    checks = []
    for level in levels:
        started = time.perf_counter()
        gen.agent.play(level, with_path=False)
        checks.append(time.perf_counter() - started)
    cold, _ = _fresh_process("import gamegen\ngamegen.load('platformer-gan').generate(1, width=200)")
    _, rss = _fresh_process("import gamegen\ng = gamegen.load('platformer-gan')\nfor s in range(100): g.generate(s, width=200)\nimport sys\nassert 'torch' not in sys.modules")
    result = {
        "model_only_levels_per_s": round(model_only, 1),
        "end_to_end_levels_per_s": round(e2e, 1),
        "end_to_end_share": round(e2e / model_only, 3),
        "profile_top_tottime": profile,
        "generate_latency_ms": {"p50": round(1000 * float(np.percentile(latencies, 50)), 2), "p99": round(1000 * float(np.percentile(latencies, 99)), 2)},
        "agent_check_ms_median": round(1000 * float(np.median(checks)), 2),
        "cold_start_s": round(cold, 3),
        "peak_rss_mib": round(rss, 1),
    }
    for key, value in result.items():
        log(f"{key}: {value}")
    return result


def bench_ray(quick: bool, log) -> dict:
    """Levels/s written (txt + tmx, manifest) by the local backend and by 1 and 2 Ray workers on this machine.

    Each Ray run starts its actors and loads the model in them; ``steady`` takes
    that out by subtracting a run of one level per worker. The local backend
    gets THREADS intra-op threads, each Ray worker one (one CPU each).
    """
    try:
        import ray
    except ImportError:
        log("ray: not installed (pip install 'gamegen[ray]'), skipped")
        return {"skipped": "ray is not installed"}
    import tempfile
    from pathlib import Path

    from .api import load
    from .batch import generate_to_folder
    from .distributed import _connect, generate_on_ray
    from .exporters import parse_formats

    count, formats = (16, "txt,tmx") if quick else (200, "txt,tmx")
    started = time.perf_counter()
    ours = not ray.is_initialized()
    if ours:
        _connect(ray, None)  # a local instance, all of this machine's CPUs
    result = {"levels": count, "width": WIDTH, "formats": formats, "ray_start_s": round(time.perf_counter() - started, 2),
              "load_average_1min": round(os.getloadavg()[0], 2)}  # others' work on the machine: read the ratios with it
    try:
        with tempfile.TemporaryDirectory() as tmp:
            def timed(run, name: str, n: int) -> float:
                t0 = time.perf_counter()
                run(Path(tmp) / name, list(range(n)))
                return time.perf_counter() - t0

            for threads, key in ((THREADS, "local_levels_per_s"), (1, "local_1_thread_levels_per_s")):
                gen = load("platformer-gan", threads=threads)
                gen.generate_batch([0], width=WIDTH)  # the session is made on first use: as warm as a Ray worker's after its start
                cpu = time.process_time()
                local = timed(lambda out, seeds: generate_to_folder(gen, seeds, parse_formats(formats), out, WIDTH, progress=False), key, count)
                result[key] = round(count / local, 2)
                result[key.replace("levels_per_s", "cpu_ms_per_level")] = round(1000 * (time.process_time() - cpu) / count, 1)
            for k in (1, 2):
                done = []

                def on_ray(out, seeds, k=k):
                    done.append(generate_on_ray("platformer-gan", seeds, parse_formats(formats), out, WIDTH, workers=k, progress=False))

                whole = timed(on_ray, f"ray-{k}", count)
                worker_cpu = done[0].worker_cpu_s
                start = timed(on_ray, f"ray-{k}-start", k)  # one level per worker: actors started, model loaded
                steady = (count - k) / max(whole - start, 1e-9)
                result[f"ray_{k}"] = {"levels_per_s": round(count / whole, 2), "steady_levels_per_s": round(steady, 2),
                                      "start_s": round(start, 2), "steady_over_local": round(steady / result["local_levels_per_s"], 2),
                                      "steady_over_local_1_thread": round(steady / result["local_1_thread_levels_per_s"], 2),
                                      "worker_cpu_ms_per_level": round(1000 * worker_cpu / count, 1)}
            result["ray_2_over_ray_1"] = round(result["ray_2"]["steady_levels_per_s"] / result["ray_1"]["steady_levels_per_s"], 2)
            result["driver"] = _driver_costs(Path(tmp), Path(tmp) / "ray-2", gen, formats, count, quick)
    finally:
        if ours:
            ray.shutdown()
    for key, value in result.items():
        log(f"ray {key}: {value}")
    return result


OVERWORLD_SIDE = 1024
OVERWORLD_TARGET_S = 1.0


def bench_overworld(quick: bool, log) -> dict:
    """Median seconds of one 1024x1024 overworld (noise, biomes, rivers) over several seeds, against the 1 s target;
    a 64x64 chunk's latency (its river halo included); and the ``noise`` package called per tile, extrapolated."""
    from .api import load
    from .overworld.perlin import reference_fractal

    gen = load("overworld")
    gen.generate(0, 64)  # imports, tables
    runs, chunks = [], []
    for seed in range(3 if quick else 9):
        started = time.perf_counter()
        gen.generate(seed, OVERWORLD_SIDE, OVERWORLD_SIDE)
        runs.append(time.perf_counter() - started)
    for cx in range(5 if quick else 20):
        started = time.perf_counter()
        gen.generate_chunk(1, cx, -cx, 64)
        chunks.append(time.perf_counter() - started)
    p = gen.params
    points = 2000 if quick else 20000
    started = time.perf_counter()
    for k in range(points):  # both fields, as the generator needs them
        reference_fractal(k / p.scale, 0.5, p.octaves, p.persistence, p.lacunarity)
        reference_fractal(k / p.moisture_scale, 0.5, p.moisture_octaves, p.persistence, p.lacunarity)
    per_tile = (time.perf_counter() - started) / points
    median = float(np.median(runs))
    result = {
        "side": OVERWORLD_SIDE, "runs": len(runs), "median_s": round(median, 3), "max_s": round(max(runs), 3),
        "target_s": OVERWORLD_TARGET_S, "meets_target": median < OVERWORLD_TARGET_S,
        "chunk_64_median_ms": round(1000 * float(np.median(chunks)), 1),
        "noise_package_per_tile_estimate_s": round(per_tile * OVERWORLD_SIDE**2, 2),
    }  # fmt: skip
    for key, value in result.items():
        log(f"overworld {key}: {value}")
    return result


def _driver_costs(tmp, folder, gen, formats: str, count: int, quick: bool) -> dict:
    """What the Ray driver alone spends per item, whatever the number of workers: the limits of one manifest.

    Appends: one durable append (flock, write, fsync) per chunk of 32 items, with
    the lines of a real batch. Rewrite: the sorted rewrite that ends a batch,
    per 1,000 items. Resume: the check of a finished folder (manifest read,
    every file hashed) that starts every run, per item. Beside them, what a
    worker spends writing one item's files (atomic, fsync'ed): the load that
    every worker puts on the shared file system.
    """
    from types import SimpleNamespace

    from .batch import FolderWriter, _pending
    from .distributed import _ReturningWriter
    from .exporters import parse_formats
    from .manifest import append_entries, read_manifest, rewrite_manifest

    lines = [e for e in read_manifest(folder) if "provenance" in e]
    per_item = len(lines) // count
    chunk, items = 32, (640 if quick else 6400)
    merged = tmp / "merge"
    merged.mkdir()
    batches = [[{**lines[(i * per_item + j) % len(lines)], "path": f"item-{i}.{j}"} for i in range(b, b + chunk) for j in range(per_item)]
               for b in range(0, items, chunk)]
    started = time.perf_counter()
    for batch in batches:
        append_entries(merged, batch)
    append_s = (time.perf_counter() - started) / len(batches)
    started = time.perf_counter()
    rewrite_manifest(merged)
    rewrite_s = time.perf_counter() - started
    writer = FolderWriter(folder, parse_formats(formats))
    started = time.perf_counter()
    left = _pending(writer, SimpleNamespace(name=gen.name, card=gen.card), list(range(count)), {"width": WIDTH, "playable": True, "targets": None})
    resume_s = time.perf_counter() - started
    assert not left, "the Ray batch left items to do"
    first, *items_made = gen.generate_batch(range(33), width=WIDTH, playable=False)
    writes = _ReturningWriter(tmp / "writes", parse_formats(formats))  # a worker's writer: files only, no manifest
    writes.write(first, "item-first")  # the companions (tileset) are written once per folder: not an item's cost
    started = time.perf_counter()
    for n, item in enumerate(items_made):
        writes.write(item, f"item-{n}")
    write_s = (time.perf_counter() - started) / len(items_made)
    item_bytes = sum(p.stat().st_size for p in (tmp / "writes").glob("item-[0-9]*")) / len(items_made)
    return {"export_and_write_ms_per_item": round(1000 * write_s, 2), "item_kib": round(item_bytes / 1024, 1),"append_ms_per_chunk_of_32": round(1000 * append_s, 2), "merge_items_per_s": round(chunk / append_s),
            "rewrite_s_per_1000_items": round(1000 * rewrite_s / items, 4), "resume_check_ms_per_item": round(1000 * resume_s / count, 3)}


def run_bench(models: list[str], quick: bool = False, log: Callable[[str], None] = print) -> dict:
    min_time = 0.2 if quick else 1.5
    peak = matmul_peak(min_time=min_time)
    log(f"numpy float32 matmul peak: {peak / 1e9:.1f} GFLOP/s")
    result = {"matmul_peak_gflops": round(peak / 1e9, 2), "models": {}, "quick": quick, "load_average_start": [round(x, 2) for x in os.getloadavg()]}
    for name in models:
        result["models"][name] = bench_model(name, peak, (1, 8) if quick else BATCHES, min_time, log)
    # Others' work moves the peak between runs: the graphs' shares use the better of two measurements minutes apart.
    result["matmul_peak_gflops_before_graphs"] = round(matmul_peak(min_time=min_time) / 1e9, 2)
    graph_peak = 1e9 * max(result["matmul_peak_gflops"], result["matmul_peak_gflops_before_graphs"])
    result["graphs"] = bench_graphs(graph_peak, (1, 8) if quick else BATCHES, min_time / 4 if quick else min_time, log)
    result["pipeline"] = bench_platformer_pipeline(quick, log)
    result["overworld"] = bench_overworld(quick, log)
    result["ray"] = bench_ray(quick, log)
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]  # others' work on this machine: read the ratios with it
    return result
