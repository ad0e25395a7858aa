"""How a platformer level is built, in numbers the corpus can be compared on.

- ``bottom_pits``: widths of the runs of columns whose bottom row is not solid (pits);
- ``ground_coverage``: the share of columns whose bottom row is solid;
- ``route_height``: rows above the bottom of each standing spot on the agent's path.

``histogram_distance`` is the total variation distance between two samples
(half the L1 distance of their normalised histograms over shared bins): 0 the
same distribution, 1 disjoint.
"""

from __future__ import annotations

import numpy as np

__all__ = ["bottom_pits", "ground_coverage", "route_height", "histogram_distance"]


def bottom_pits(solid: np.ndarray) -> list[int]:
    """Widths of the pits of a (H, W) solid mask: runs of open bottom-row tiles."""
    open_ = np.concatenate([[False], ~solid[-1], [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(open_))
    return (edges[1::2] - edges[::2]).tolist()


def ground_coverage(solid: np.ndarray) -> float:
    return float(solid[-1].mean())


def route_height(path: list[tuple[int, int]], height: int) -> list[int]:
    """Rows between each spot of ``path`` and the level's bottom row (standing on the ground = 1)."""
    return [height - 1 - y for _, y in path]


def histogram_distance(a, b, bins) -> float:
    """Total variation distance of the histograms of ``a`` and ``b`` over ``bins`` (edges)."""
    ha = np.histogram(np.clip(a, bins[0], bins[-1] - 1e-9), bins)[0].astype(float)
    hb = np.histogram(np.clip(b, bins[0], bins[-1] - 1e-9), bins)[0].astype(float)
    if ha.sum() == 0 or hb.sum() == 0:
        return 1.0
    return float(0.5 * np.abs(ha / ha.sum() - hb / hb.sum()).sum())
