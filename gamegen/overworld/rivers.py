"""Rivers that run downhill to the sea, decided locally so that chunks tile seamlessly.

A river network over a whole endless world is a global object (where a river
flows depends on everything upstream). gamegen bounds it instead:

* Nodes. The world is cut into NODE×NODE-tile cells; each cell has one node at
  a jittered point inside it (a hash of the seed and the cell), and the node's
  elevation is the terrain's own fractal noise at that point.
* Flow. A node flows to the lowest node of its first ring (Chebyshev radius
  1, 2, ... REACH) that holds a lower one: a memoryless rule, so elevation
  falls strictly along every path, paths never loop, and two paths that meet
  stay together. A node below sea level is the sea: paths end there. A node
  with nothing lower within REACH is a pit.
* Sources. A land node at or above ``river_source_min`` whose hash falls under
  ``river_density`` starts a river. A river is kept only if it reaches the sea
  within TRAVEL node steps (counted in rings); one that ends in a pit or runs
  longer is dropped. Every kept river therefore runs downhill to the sea.
* Width. A node's flow is the number of kept rivers through it; the edge to
  its successor is drawn as a meandering pair of segments (the midpoint pushed
  sideways by a hash) whose half-width grows with the square root of the flow.

Everything a tile's river status depends on lies within a bounded halo: a
path touches tiles at most REACH+2 nodes from its nodes, its nodes lie within
TRAVEL of its source, and the successor rule looks REACH further. So a region
computes every node within 2·TRAVEL + 2·REACH + 3 cells of it and gets,
tile for tile, what the whole map gets. The cost is that rivers longer than
TRAVEL·NODE tiles (640 by default) are not drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["NODE", "REACH", "TRAVEL", "RiverNetwork", "river_network", "river_mask", "node_hash"]

NODE = 16  # tiles per node cell
REACH = 3  # rings searched for a lower node
TRAVEL = 40  # ring steps a river may take to the sea
JITTER = 2  # a node lies at least this many tiles inside its cell
MEANDER = 0.45  # sideways push of an edge's midpoint, as a share of the edge's length (±half)
MIN_HALF_WIDTH = 0.75  # tiles: a diagonal river stays 4-connected

_M1, _M2, _M3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_M4 = np.uint64(0xC2B2AE3D27D4EB4F)


def node_hash(key: int, nx: np.ndarray, ny: np.ndarray, salt: int) -> np.ndarray:
    """A uniform float in [0, 1) per node, from (key, node x, node y, salt): splitmix64, vectorised."""
    with np.errstate(over="ignore"):
        z = np.uint64(key & 0xFFFFFFFFFFFFFFFF) ^ (np.asarray(nx, dtype=np.int64).astype(np.uint64) * _M1)
        z = z ^ (np.asarray(ny, dtype=np.int64).astype(np.uint64) * _M4) ^ np.uint64(salt * 0x632BE59BD9B4E019 & 0xFFFFFFFFFFFFFFFF)
        z = (z ^ (z >> np.uint64(30))) * _M2
        z = (z ^ (z >> np.uint64(27))) * _M3
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


@dataclass
class RiverNetwork:
    """The kept rivers' edges near a region, in tile coordinates."""

    starts: np.ndarray  # (E, 2) float64: x, y of the upstream node
    ends: np.ndarray  # (E, 2): x, y of its successor
    flow: np.ndarray  # (E,) int: rivers through the edge
    paths: list[np.ndarray]  # each kept river: (K, 3) rows of x, y, elevation, source first, sea node last


def _ring_offsets(radius: int) -> list[tuple[int, int]]:
    return [(dx, dy) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1) if max(abs(dx), abs(dy)) == radius]


def _successors(elev: np.ndarray, sea: np.ndarray, margin: int) -> tuple[np.ndarray, np.ndarray]:
    """For each node at least ``margin`` ≥ REACH from the grid's edge: flat index of its successor (-1: pit or sea) and ring step."""
    h, w = elev.shape
    nxt = np.full((h, w), -1, dtype=np.int64)
    step = np.zeros((h, w), dtype=np.int64)
    inner = (slice(margin, h - margin), slice(margin, w - margin))
    centre = elev[inner]
    found = sea[inner].copy()  # the sea flows nowhere
    rows, cols = np.mgrid[inner]
    for radius in range(1, REACH + 1):
        offsets = _ring_offsets(radius)
        ring = np.stack([elev[margin + dy : h - margin + dy, margin + dx : w - margin + dx] for dx, dy in offsets])  # (8r, h', w')
        best = np.argmin(ring, axis=0)  # first lowest, in fixed offset order
        lowest = np.take_along_axis(ring, best[None], axis=0)[0]
        take = ~found & (lowest < centre)
        d = np.array(offsets)[best]  # (h', w', 2)
        target = (rows + d[..., 1]) * w + (cols + d[..., 0])
        nxt[inner][take] = target[take]
        step[inner][take] = radius
        found |= take
    return nxt, step


def river_network(
    key: int, x0: int, y0: int, width: int, height: int,
    elevation_at: Callable[[np.ndarray, np.ndarray], np.ndarray],
    sea_level: float, source_min: float, density: float,
) -> RiverNetwork:
    """Every kept river edge that can touch tiles [x0, x0+width) × [y0, y0+height)."""
    src_margin = TRAVEL + REACH + 2
    margin = 2 * TRAVEL + 2 * REACH + 3
    nx0, ny0 = x0 // NODE - margin, y0 // NODE - margin
    nx1, ny1 = (x0 + width - 1) // NODE + margin, (y0 + height - 1) // NODE + margin
    gx, gy = np.meshgrid(np.arange(nx0, nx1 + 1), np.arange(ny0, ny1 + 1))  # (h, w) node coordinates
    px = gx * NODE + JITTER + node_hash(key, gx, gy, 1) * (NODE - 2 * JITTER)  # jittered node points, tiles
    py = gy * NODE + JITTER + node_hash(key, gx, gy, 2) * (NODE - 2 * JITTER)
    elev = elevation_at(px, py).reshape(gx.shape)
    sea = elev < sea_level
    nxt, step = _successors(elev, sea, REACH)
    h, w = gx.shape
    flat_elev, flat_sea = elev.ravel(), sea.ravel()
    inner = np.zeros((h, w), dtype=bool)
    inner[margin - src_margin : h - margin + src_margin, margin - src_margin : w - margin + src_margin] = True
    is_source = inner & ~sea & (elev >= source_min) & (node_hash(key, gx, gy, 3) < density)
    sources = np.flatnonzero(is_source)
    trail = np.full((sources.size, TRAVEL + 1), -1, dtype=np.int64)  # (S, steps): the nodes of each river
    trail[:, 0] = sources
    current, travel = sources.copy(), np.zeros(sources.size, dtype=np.int64)
    for k in range(1, TRAVEL + 1):
        moving = (current >= 0) & ~flat_sea[np.maximum(current, 0)]
        following = np.where(moving, nxt.ravel()[np.maximum(current, 0)], -1)
        travel = travel + np.where(following >= 0, step.ravel()[np.maximum(current, 0)], 0)
        following[travel > TRAVEL] = -1
        trail[:, k] = following
        current = following
    last = np.array([row[row >= 0][-1] for row in trail], dtype=np.int64) if sources.size else np.zeros(0, dtype=np.int64)
    kept = flat_sea[last] if sources.size else np.zeros(0, dtype=bool)
    flow = np.zeros(h * w, dtype=np.int64)
    paths = []
    for row in trail[kept]:
        nodes = row[row >= 0]
        np.add.at(flow, nodes[:-1], 1)  # the sea node has no outgoing edge
        paths.append(np.stack([px.ravel()[nodes], py.ravel()[nodes], flat_elev[nodes]], axis=1))
    edges = np.flatnonzero(flow)
    succ = nxt.ravel()[edges]
    return RiverNetwork(
        starts=np.stack([px.ravel()[edges], py.ravel()[edges]], axis=1),
        ends=np.stack([px.ravel()[succ], py.ravel()[succ]], axis=1),
        flow=flow[edges],
        paths=paths,
    )


def _segments(key: int, network: RiverNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each edge as two segments through a midpoint pushed sideways by a hash of the edge → (2E, 2) starts, ends, half-widths."""
    p, q = network.starts, network.ends
    along = q - p
    normal = np.stack([-along[:, 1], along[:, 0]], axis=1)
    push = node_hash(key, np.floor(p[:, 0] * 64).astype(np.int64), np.floor(p[:, 1] * 64).astype(np.int64), 4) - 0.5
    mid = (p + q) / 2 + normal * (push * MEANDER)[:, None]
    half = np.maximum(MIN_HALF_WIDTH, 0.6 + 0.4 * np.sqrt(network.flow))
    return np.concatenate([p, mid]), np.concatenate([mid, q]), np.concatenate([half, half])


def river_mask(key: int, network: RiverNetwork, x0: int, y0: int, width: int, height: int) -> np.ndarray:
    """(height, width) bool: tiles whose centre lies within a river segment's half-width."""
    mask = np.zeros((height, width), dtype=bool)
    a, b, half = _segments(key, network)
    lo = np.floor(np.minimum(a, b) - half[:, None]).astype(np.int64)
    hi = np.ceil(np.maximum(a, b) + half[:, None]).astype(np.int64)
    for k in np.flatnonzero((hi[:, 0] >= x0) & (lo[:, 0] < x0 + width) & (hi[:, 1] >= y0) & (lo[:, 1] < y0 + height)):
        tx0, tx1 = max(lo[k, 0], x0), min(hi[k, 0] + 1, x0 + width)
        ty0, ty1 = max(lo[k, 1], y0), min(hi[k, 1] + 1, y0 + height)
        cx = np.arange(tx0, tx1, dtype=np.float64)[None, :] + 0.5 - a[k, 0]  # tile centres relative to the start
        cy = np.arange(ty0, ty1, dtype=np.float64)[:, None] + 0.5 - a[k, 1]
        dx, dy = b[k] - a[k]
        t = np.clip((cx * dx + cy * dy) / max(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
        dist2 = (cx - t * dx) ** 2 + (cy - t * dy) ** 2
        mask[ty0 - y0 : ty1 - y0, tx0 - x0 : tx1 - x0] |= dist2 <= half[k] ** 2
    return mask
