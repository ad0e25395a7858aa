"""Quality measures of generated levels against a corpus.

* ``tile_pattern_kl``: TPKL-Div as TOAD-GAN defines it (Lucas & Volz 2019):
  the k×k tile patterns of the corpus (P) and of the generated levels (Q) are
  counted, each probability is ``(count + ε) / ((total + ε)(1 + ε))`` with
  ε = 1e-7, and KL(P ‖ Q) is summed over the union of patterns; the result is
  the mean over k = 2, 3, 4. Lower is closer to the corpus.
* ``duplicate_rate``: share of levels equal to an earlier level of the set.
* ``mean_pairwise_hamming``: mean over all pairs of the share of cells that differ.
* ``window_novelty``: per level, the smallest normalised Hamming distance of
  any of its 28-column windows to any corpus window; and the share of
  generated windows identical to a corpus window.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

__all__ = [
    "pattern_counts",
    "tile_pattern_kl",
    "duplicate_rate",
    "mean_pairwise_hamming",
    "windows",
    "window_novelty",
    "EPSILON",
]

EPSILON = 1e-7


def pattern_counts(grids: list[np.ndarray], k: int) -> Counter:
    """Counts of every k×k pattern (keyed by its bytes) over ``grids``."""
    counts: Counter = Counter()
    for grid in grids:
        if grid.shape[0] < k or grid.shape[1] < k:
            continue
        patches = np.lib.stride_tricks.sliding_window_view(grid.astype(np.uint8), (k, k)).reshape(-1, k * k)
        keys, n = np.unique(np.ascontiguousarray(patches).view(f"V{k * k}").ravel(), return_counts=True)
        counts.update(dict(zip((key.tobytes() for key in keys), n.tolist())))
    return counts


def _probability(count: int, total: int, eps: float) -> float:
    return (count + eps) / ((total + eps) * (1 + eps))


def kl_from_counts(p: Counter, q: Counter, eps: float = EPSILON) -> float:
    """KL(P ‖ Q) over the union of patterns, TOAD-GAN's smoothing."""
    p_total, q_total = sum(p.values()), sum(q.values())
    kl = 0.0
    for pattern in p.keys() | q.keys():
        prob_p = _probability(p.get(pattern, 0), p_total, eps)
        prob_q = _probability(q.get(pattern, 0), q_total, eps)
        kl += prob_p * math.log(prob_p / prob_q)
    return kl


def tile_pattern_kl(corpus: list[np.ndarray], generated: list[np.ndarray], ks=(2, 3, 4), eps: float = EPSILON) -> dict:
    """TPKL-Div: ``{"mean": …, "k2": …, "k3": …, "k4": …}``."""
    per_k = {f"k{k}": kl_from_counts(pattern_counts(corpus, k), pattern_counts(generated, k), eps) for k in ks}
    return {"mean": float(np.mean(list(per_k.values()))), **per_k}


def duplicate_rate(grids: list[np.ndarray]) -> float:
    seen, duplicates = set(), 0
    for grid in grids:
        key = (grid.shape, grid.astype(np.uint8).tobytes())
        duplicates += key in seen
        seen.add(key)
    return duplicates / len(grids) if grids else 0.0


def mean_pairwise_hamming(grids: list[np.ndarray]) -> float:
    """Mean share of differing cells over all pairs (grids of one shape)."""
    flat = np.stack([g.astype(np.uint8).ravel() for g in grids])  # (N, H·W)
    n = len(flat)
    if n < 2:
        return 0.0
    total = 0
    for i in range(n - 1):
        total += int((flat[i + 1 :] != flat[i]).sum())
    return total / (n * (n - 1) / 2 * flat.shape[1])


def windows(grid: np.ndarray, width: int = 28, stride: int = 1) -> np.ndarray:
    """The ``width``-column windows of one grid → (N, H·width) uint8."""
    view = np.lib.stride_tricks.sliding_window_view(grid.astype(np.uint8), width, axis=1)  # (H, N, width)
    return np.ascontiguousarray(view.transpose(1, 0, 2)[::stride]).reshape(-1, grid.shape[0] * width)


def _one_hot(rows: np.ndarray, n_tiles: int) -> np.ndarray:
    out = np.zeros((len(rows), rows.shape[1] * n_tiles), dtype=np.float32)
    offsets = np.arange(rows.shape[1]) * n_tiles
    out[np.arange(len(rows))[:, None], offsets + rows] = 1.0
    return out


def window_novelty(corpus: list[np.ndarray], generated: list[np.ndarray], n_tiles: int, width: int = 28, stride: int = 4) -> dict:
    """Novelty per level (min distance of its windows at ``stride`` to every corpus window) and exact-copy share (all windows).

    Matching counts come from one matrix product of one-hot windows, so the
    distance search runs at BLAS speed rather than in Python.
    """
    corpus_w = np.unique(np.concatenate([windows(g, width) for g in corpus]), axis=0)
    corpus_keys = {row.tobytes() for row in corpus_w}
    corpus_hot = _one_hot(corpus_w, n_tiles).T.copy()  # (H·width·T, Nc)
    cells = corpus_w.shape[1]
    copies = total = 0
    samples, owner = [], []
    for index, grid in enumerate(generated):
        all_w = windows(grid, width)
        copies += sum(row.tobytes() in corpus_keys for row in all_w)
        total += len(all_w)
        sample = np.unique(all_w[::stride], axis=0)
        samples.append(sample)
        owner.append(np.full(len(sample), index))
    samples_all, owner_all = np.concatenate(samples), np.concatenate(owner)
    best = np.zeros(len(generated))
    for start in range(0, len(samples_all), 2048):  # blocks keep the product in cache-sized pieces
        matches = (_one_hot(samples_all[start : start + 2048], n_tiles) @ corpus_hot).max(axis=1)  # equal cells
        np.maximum.at(best, owner_all[start : start + 2048], matches)
    novelty = (1.0 - best / cells).tolist()
    return {
        "novelty_mean": float(np.mean(novelty)),
        "novelty_min": float(np.min(novelty)),
        "novelty_per_level": novelty,
        "corpus_copy_rate": copies / total if total else 0.0,
        "windows_checked": total,
        "novelty_stride": stride,
    }
