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
import functools
import io
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from gamegen.bench.measure import THREADS, WIDTH, best_rate, graph_flops, matmul_peak

__all__ = ["run_bench", "bench_model", "bench_platformer_pipeline", "bench_overworld"]

BATCHES = (1, 64, 256)


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

        from gamegen.train.eager import eager_generator
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
    from gamegen.api import load

    gen: Any = load(name, threads=THREADS)  # a tile GAN: its latent, layout and model

    def latents(batch: int) -> np.ndarray:  # a batch of items (levels) of WIDTH columns
        return np.concatenate([gen.latent(seed, WIDTH)[None] if gen.layout == "sequence" else gen.latent(seed, WIDTH) for seed in range(batch)])

    ort_run = lambda z: gen.model.run(latent=z)  # noqa: E731
    torch_run = _torch_runner(gen)
    per_item = 1 if gen.layout == "sequence" else -(-WIDTH // gen.segment)  # segments per level
    rows = {}
    for batch in batches:
        z = latents(batch)
        ort = best_rate(functools.partial(ort_run, z), batch, min_time)
        flops = graph_flops(gen.card.onnx_path, {"latent": z})
        row = {"ort_levels_per_s": round(ort, 1), "gflops": round(flops * ort / batch / 1e9, 2), "peak_share": round(flops * ort / batch / peak, 3)}
        if torch_run is not None:
            eager = best_rate(functools.partial(torch_run, z), batch, min_time)
            row.update(torch_levels_per_s=round(eager, 1), ort_over_torch=round(ort / eager, 2))
        rows[batch] = row
        log(f"{name:24} batch {batch:4}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    return {"width": WIDTH, "segments_per_level": per_item, "batches": rows}


def bench_platformer_pipeline(quick: bool, log) -> dict:
    """End to end vs model only; latency; the agent; cold start; peak RSS (platformer-gan)."""
    from gamegen.api import load
    from gamegen.exporters import get_exporter

    gen: Any = load("platformer-gan", threads=THREADS)  # the platformer generator: its agent
    tmx = get_exporter("tmx")
    count = 40 if quick else 200
    seeds = list(range(count))
    model_only = best_rate(lambda: gen.generate_batch(seeds, width=WIDTH, playable=False), count, 0.1)

    def end_to_end():
        for level in gen.generate_batch(seeds, width=WIDTH):
            tmx.export(level)

    e2e = best_rate(end_to_end, count, 0.1)
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
    _, rss = _fresh_process("import gamegen\ng = gamegen.load('platformer-gan')\nfor s in range(100): g.generate(s, width=200)\n"
                            "import sys\nassert 'torch' not in sys.modules")
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


OVERWORLD_SIDE = 1024
OVERWORLD_TARGET_S = 1.0


def bench_overworld(quick: bool, log) -> dict:
    """Median seconds of one 1024x1024 overworld (noise, biomes, rivers) over several seeds, against the 1 s target;
    a 64x64 chunk's latency (its river halo included); and the ``noise`` package called per tile, extrapolated."""
    from gamegen.api import load
    from gamegen.overworld.perlin import reference_fractal

    gen: Any = load("overworld")  # the overworld generator: generate_chunk, params
    gen.generate(0, width=64)  # imports, tables
    runs, chunks = [], []
    for seed in range(3 if quick else 9):
        started = time.perf_counter()
        gen.generate(seed, width=OVERWORLD_SIDE, height=OVERWORLD_SIDE)
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


def run_bench(models: list[str], quick: bool = False, log: Callable[[str], None] = print) -> dict:
    from gamegen.bench.graphs import bench_graphs
    from gamegen.bench.ray import bench_ray

    min_time = 0.2 if quick else 1.5
    peak = matmul_peak(min_time=min_time)
    log(f"numpy float32 matmul peak: {peak / 1e9:.1f} GFLOP/s")
    result: dict[str, Any] = {"matmul_peak_gflops": round(peak / 1e9, 2), "models": {}, "quick": quick,
                              "load_average_start": [round(x, 2) for x in os.getloadavg()]}
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
