"""``gamegen eval overworld``: what the noise makes, measured over many seeds.

For ``n`` maps (seeds first_seed, first_seed+1, …) of ``width`` × ``height``
tiles: the share of each tile, of walkable land and of water, the river share,
the size of the largest walkable region (4-connected, as a share of all
walkable tiles: a map that falls apart into islands scores low), and the time
per map. Each seed is generated twice to check it gives the same tiles.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import numpy as np

__all__ = ["evaluate_overworld"]


def _largest_region_share(walkable: np.ndarray) -> float:
    """Share of walkable tiles in the largest 4-connected walkable region (breadth-first, region by region)."""
    total = int(walkable.sum())
    if total == 0:
        return 0.0
    seen = ~walkable.copy()
    height, width = walkable.shape
    best = 0
    for y, x in zip(*np.nonzero(walkable)):
        if seen[y, x]:
            continue
        seen[y, x], queue, size = True, deque([(int(y), int(x))]), 0
        while queue:
            cy, cx = queue.popleft()
            size += 1
            for ny, nx in ((cy - 1, cx), (cy + 1, cx), (cy, cx - 1), (cy, cx + 1)):
                if 0 <= ny < height and 0 <= nx < width and not seen[ny, nx]:
                    seen[ny, nx] = True
                    queue.append((ny, nx))
        best = max(best, size)
    return best / total


def evaluate_overworld(generator, n: int, options, first_seed: int = 0, progress: Callable[[int], None] | None = None) -> dict:
    """Measure ``n`` maps of ``options`` (an OverworldOptions) → the eval report."""
    vocab = generator.vocabulary
    names = [tile.name for tile in vocab.tiles]
    shares, walkable_share, water_share, region_share, seconds, same = [], [], [], [], [], True
    for i in range(n):
        start = time.perf_counter()
        level = generator.generate(first_seed + i, options)
        seconds.append(time.perf_counter() - start)
        same &= bool(np.array_equal(level.grid, generator.generate(first_seed + i, options).grid))
        counts = np.bincount(level.grid.ravel(), minlength=len(names)) / level.grid.size
        shares.append(counts)
        walkable = vocab.mask("walkable")[level.grid]
        walkable_share.append(float(walkable.mean()))
        water_share.append(float(vocab.mask("water")[level.grid].mean()))
        region_share.append(_largest_region_share(walkable))
        if progress:
            progress(i + 1)
    mean = np.mean(shares, axis=0)
    return {
        "model": generator.name,
        "n": n,
        "size": [options.width, options.height],
        "tile_share": {name: round(float(v), 4) for name, v in zip(names, mean)},
        "walkable_share": _stats(walkable_share),
        "water_share": _stats(water_share),
        "largest_walkable_region_share": _stats(region_share),
        "seconds_per_map": _stats(seconds),
        "deterministic": same,
    }


def _stats(values: list[float]) -> dict:
    array = np.asarray(values, dtype=np.float64)
    return {"mean": round(float(array.mean()), 4), "min": round(float(array.min()), 4), "max": round(float(array.max()), 4)}
