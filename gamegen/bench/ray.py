"""``gamegen bench``, Ray: levels per second written by the local backend and by 1 and 2 Ray workers.

Also what the driver alone spends per item (``_driver_costs``): the limits of
one manifest, whatever the number of workers.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from gamegen.bench.measure import THREADS, WIDTH

__all__ = ["bench_ray"]

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
    from gamegen.ray.driver import connect

    count, formats = (16, "txt,tmx") if quick else (200, "txt,tmx")
    started = time.perf_counter()
    ours = not ray.is_initialized()
    if ours:
        connect(ray, None)  # a local instance, all of this machine's CPUs
    result: dict[str, Any] = {"levels": count, "width": WIDTH, "formats": formats, "ray_start_s": round(time.perf_counter() - started, 2),
              "load_average_1min": round(os.getloadavg()[0], 2)}  # others' work on the machine: read the ratios with it
    try:
        with tempfile.TemporaryDirectory() as tmp:
            gen = _local_rates(Path(tmp), formats, count, result)
            for k in (1, 2):
                result[f"ray_{k}"] = _ray_rates(Path(tmp), formats, count, k, result)
            result["ray_2_over_ray_1"] = round(result["ray_2"]["steady_levels_per_s"] / result["ray_1"]["steady_levels_per_s"], 2)
            result["driver"] = _driver_costs(Path(tmp), Path(tmp) / "ray-2", gen, formats, count, quick)
    finally:
        if ours:
            ray.shutdown()
    for key, value in result.items():
        log(f"ray {key}: {value}")
    return result


def _timed(run, out: Path, n: int) -> float:
    """Seconds for ``run(out, seeds 0..n-1)``."""
    started = time.perf_counter()
    run(out, list(range(n)))
    return time.perf_counter() - started


def _local_rates(tmp: Path, formats: str, count: int, result: dict):
    """The local backend at THREADS intra-op threads and at 1: levels/s and CPU ms per level into ``result`` → the last generator."""
    from gamegen.api import load
    from gamegen.exporters import parse_formats
    from gamegen.output.batch import generate_to_folder

    for threads, key in ((THREADS, "local_levels_per_s"), (1, "local_1_thread_levels_per_s")):
        gen: Any = load("platformer-gan", threads=threads)
        gen.generate_batch([0], width=WIDTH)  # the session is made on first use: as warm as a Ray worker's after its start
        cpu = time.process_time()
        local = _timed(lambda out, seeds, gen=gen: generate_to_folder(gen, seeds, parse_formats(formats), out, {"width": WIDTH}, progress=False), tmp / key,
            count)
        result[key] = round(count / local, 2)
        result[key.replace("levels_per_s", "cpu_ms_per_level")] = round(1000 * (time.process_time() - cpu) / count, 1)
    return gen


def _ray_rates(tmp: Path, formats: str, count: int, k: int, local: dict) -> dict:
    """``k`` Ray workers: levels/s, and steady levels/s without the actors' start (a run of one level per worker)."""
    from gamegen.exporters import parse_formats
    from gamegen.ray.driver import generate_on_ray

    done = []

    def on_ray(out, seeds):
        done.append(generate_on_ray("platformer-gan", seeds, parse_formats(formats), out, {"width": WIDTH}, workers=k, progress=False))

    whole = _timed(on_ray, tmp / f"ray-{k}", count)
    worker_cpu = done[0].worker_cpu_s
    start = _timed(on_ray, tmp / f"ray-{k}-start", k)  # one level per worker: actors started, model loaded
    steady = (count - k) / max(whole - start, 1e-9)
    return {"levels_per_s": round(count / whole, 2), "steady_levels_per_s": round(steady, 2),
            "start_s": round(start, 2), "steady_over_local": round(steady / local["local_levels_per_s"], 2),
            "steady_over_local_1_thread": round(steady / local["local_1_thread_levels_per_s"], 2),
            "worker_cpu_ms_per_level": round(1000 * worker_cpu / count, 1)}


def _driver_costs(tmp, folder, gen, formats: str, count: int, quick: bool) -> dict:
    """What the Ray driver alone spends per item, whatever the number of workers: the limits of one manifest.

    Appends: one durable append (flock, write, fsync) per chunk of 32 items, with
    the lines of a real batch. Rewrite: the sorted rewrite that ends a batch,
    per 1,000 items. Resume: the check of a finished folder (manifest read,
    every file hashed) that starts every run, per item. Beside them, what a
    worker spends writing one item's files (atomic, fsync'ed): the load that
    every worker puts on the shared file system.
    """
    from gamegen.exporters import parse_formats
    from gamegen.output.batch import FolderWriter, pending_seeds
    from gamegen.output.manifest import append_entries, read_manifest, rewrite_manifest
    from gamegen.ray.worker import ReturningWriter

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
    left = pending_seeds(writer, gen, list(range(count)), gen.options(width=WIDTH, playable=True, targets=None))
    resume_s = time.perf_counter() - started
    assert not left, "the Ray batch left items to do"
    first, *items_made = gen.generate_batch(range(33), width=WIDTH, playable=False)
    writes = ReturningWriter(tmp / "writes", parse_formats(formats))  # a worker's writer: files only, no manifest
    writes.write(first, "item-first")  # the companions (tileset) are written once per folder: not an item's cost
    started = time.perf_counter()
    for n, item in enumerate(items_made):
        writes.write(item, f"item-{n}")
    write_s = (time.perf_counter() - started) / len(items_made)
    item_bytes = sum(p.stat().st_size for p in (tmp / "writes").glob("item-[0-9]*")) / len(items_made)
    return {"export_and_write_ms_per_item": round(1000 * write_s, 2), "item_kib": round(item_bytes / 1024, 1),
        "append_ms_per_chunk_of_32": round(1000 * append_s, 2), "merge_items_per_s": round(chunk / append_s),
            "rewrite_s_per_1000_items": round(1000 * rewrite_s / items, 4), "resume_check_ms_per_item": round(1000 * resume_s / count, 3)}
