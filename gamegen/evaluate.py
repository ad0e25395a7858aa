"""``gamegen eval``: a model's levels measured against the corpus (see ``metrics``)."""

from __future__ import annotations

import time

import numpy as np

from .corpus import load_platformer_corpus
from .metrics import duplicate_rate, mean_pairwise_hamming, tile_pattern_kl, window_novelty

__all__ = ["evaluate_platformer"]


def evaluate_platformer(generator, n: int = 1000, width: int = 200, first_seed: int = 0, data_dir=None, progress=None) -> dict:
    """Generate ``n`` levels (seeds first_seed, first_seed+1, …) and measure them → a JSON-ready dict."""
    corpus = [c.level.grid for c in load_platformer_corpus(data_dir)]
    started = time.perf_counter()
    levels = []
    for start in range(0, n, 100):
        seeds = range(first_seed + start, first_seed + min(n, start + 100))
        levels.extend(level.grid for level in generator.generate_batch(seeds, width=width))
        if progress:
            progress(len(levels))
    generation_s = time.perf_counter() - started
    novelty = window_novelty(corpus, levels, len(generator.vocabulary))
    return {
        "model": generator.name,
        "levels": n,
        "width": width,
        "seeds": [first_seed, first_seed + n - 1],
        "tpkl_div": {key: round(value, 4) for key, value in tile_pattern_kl(corpus, levels).items()},
        "duplicate_rate": duplicate_rate(levels),
        "mean_pairwise_hamming": round(mean_pairwise_hamming(levels), 4),
        "novelty_mean": round(novelty["novelty_mean"], 4),
        "novelty_min": round(novelty["novelty_min"], 4),
        "corpus_window_copy_rate": round(novelty["corpus_copy_rate"], 5),
        "windows_checked": novelty["windows_checked"],
        "novelty_window_stride": novelty["novelty_stride"],
        "corpus_levels": len(corpus),
        "generation_levels_per_s": round(n / generation_s, 1),
        "tile_frequencies": _tile_frequencies(levels, generator.vocabulary),
    }


def _tile_frequencies(levels: list[np.ndarray], vocabulary) -> dict[str, float]:
    counts = np.bincount(np.concatenate([g.ravel() for g in levels]), minlength=len(vocabulary))
    return {tile.name: round(float(c) / counts.sum(), 5) for tile, c in zip(vocabulary.tiles, counts)}
