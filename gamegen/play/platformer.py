"""The platformer agent: can a level be finished from its start to its right edge?

Physics is data: the jump arcs measured from the corpus (VGLC's
``SMB_estimated_jumps.json``, shipped as ``platformer_jumps.json``), each a list
of (dx, dy) offsets from the take-off tile (dy < 0 is up), plus walking one
tile left or right. The rules of a move, step by step:

* a step goes to a free tile (not ``solid``; above the screen counts as free);
* a blocked diagonal step keeps its vertical part (the player slides along a
  wall); a step blocked both ways ends the arc;
* at the apex or on the way down the player may land on any standing spot it
  passes (a free tile on a solid one): air control, as in the game;
* after the arc the player falls straight down until something solid is
  underneath, or off the bottom of the screen (a death, not an edge).

The search runs over standing spots. Every move from every spot is simulated
at once with numpy (an (N spots × M moves) array per step), which gives the
graph; A* over it (cost: moves; heuristic: columns left ÷ the longest move,
admissible) finds a path to any move that touches the last column. The player
starts on the lowest standing spot of the leftmost column that has one.
"""

from __future__ import annotations

import functools
import heapq
import json
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ..tiles import TileMap, Vocabulary

__all__ = ["PlayResult", "PlatformerAgent", "load_jumps", "standing_spots"]

WALKS = (((1, 0),), ((-1, 0),))
FINISH = -1  # target of a move that touches the last column


@functools.lru_cache(maxsize=None)
def load_jumps() -> tuple[tuple[tuple[int, int], ...], ...]:
    """The corpus' jump arcs (duplicates removed, order kept), as tuples of (dx, dy) offsets."""
    text = (resources.files("gamegen.play") / "platformer_jumps.json").read_text(encoding="utf-8")
    arcs = (tuple((int(dx), int(dy)) for dx, dy in arc) for arc in json.loads(text)["jumps"])
    return tuple(dict.fromkeys(arcs))


@dataclass
class PlayResult:
    finishable: bool
    start: tuple[int, int] | None  # (x, y) of the start spot
    path: list[tuple[int, int]] = field(default_factory=list)  # (x, y) tiles the player passes, in order
    furthest_x: int = -1  # rightmost column of a standing spot the player reaches
    reason: str = ""  # why not, when not finishable


def standing_spots(solid: np.ndarray) -> np.ndarray:
    """(H, W) bool: free tiles with a solid tile right below."""
    stand = np.zeros_like(solid)
    stand[:-1] = ~solid[:-1] & solid[1:]
    return stand


def landing_rows(solid: np.ndarray, stand: np.ndarray) -> np.ndarray:
    """(H, W) int: the row a player falling from (y, x) comes to stand on; -1 inside a solid tile or for a fall off the screen."""
    land = np.full(solid.shape, -1, dtype=np.int32)
    below = np.full(solid.shape[1], -1, dtype=np.int32)
    for y in range(solid.shape[0] - 1, -1, -1):
        land[y] = np.where(solid[y], -1, np.where(stand[y], y, below))
        below = land[y]
    return land


@dataclass(frozen=True)
class MoveTable:
    """Moves as per-step deltas, padded to one length: (M, L) arrays."""

    ddx: np.ndarray
    ddy: np.ndarray
    active: np.ndarray  # the move has a step i
    may_land: np.ndarray  # after step i the player is at the apex or going down
    reach: int  # the most columns one move covers

    @classmethod
    def build(cls, moves) -> "MoveTable":
        length = max(len(m) for m in moves)
        ddx, ddy = np.zeros((2, len(moves), length), dtype=np.int32)
        active = np.zeros((len(moves), length), dtype=bool)
        may_land = np.zeros_like(active)
        for m, move in enumerate(moves):
            offsets = np.array([(0, 0)] + list(move))
            deltas = np.diff(offsets, axis=0)
            ddx[m, : len(move)], ddy[m, : len(move)] = deltas[:, 0], deltas[:, 1]
            active[m, : len(move)] = True
            next_dy = np.append(deltas[1:, 1], 0)
            may_land[m, : len(move)] = next_dy >= 0
        reach = int(max(abs(dx) for move in moves for dx, _ in move))
        return cls(ddx, ddy, active, may_land, reach)


class PlatformerAgent:
    """Plays levels of one vocabulary with the corpus' jump arcs."""

    def __init__(self, vocabulary: Vocabulary, arcs=None):
        self.vocabulary = vocabulary
        self.solid_table = vocabulary.mask("solid")
        self.table = MoveTable.build(WALKS + tuple(arcs if arcs is not None else load_jumps()))

    def play(self, level: TileMap, start: tuple[int, int] | None = None) -> PlayResult:
        """Play ``level`` from ``start`` (x, y; the player drops from there), else from the default start."""
        return self.play_solid(self.solid_table[level.grid], start)

    def play_solid(self, solid: np.ndarray, start: tuple[int, int] | None = None) -> PlayResult:
        """Play a (H, W) solid mask directly (what repair calls in its loop)."""
        stand = standing_spots(solid)
        if start is None:
            columns = np.flatnonzero(stand.any(axis=0))
            if len(columns) == 0:
                return PlayResult(False, None, reason="no tile to stand on anywhere")
            start = (int(columns[0]), int(np.flatnonzero(stand[:, columns[0]])[-1]))
        else:
            x, y = start
            land_y = landing_rows(solid, stand)[min(max(y, 0), solid.shape[0] - 1), x]
            if land_y < 0:
                return PlayResult(False, None, reason=f"nothing to stand on below the start at column {x}")
            start = (x, int(land_y))
        return _Graph(solid, stand, self.table).search(start)


class _Graph:
    """Every move from every standing spot of one level, and A* over them."""

    def __init__(self, solid: np.ndarray, stand: np.ndarray, table: MoveTable):
        self.solid, self.stand, self.table = solid, stand, table
        self.height, self.width = solid.shape
        self.ys, self.xs = np.nonzero(stand)
        self.index = np.full(solid.shape, -1, dtype=np.int64)
        self.index[self.ys, self.xs] = np.arange(len(self.ys))
        self.land = landing_rows(solid, stand)
        src, dst, move, step = self._edges()
        # One edge per (source, target) pair, grouped by source for A*.
        key = src * (len(self.ys) + 1) + (dst + 1)
        _, first = np.unique(key, return_index=True)
        order = first[np.argsort(src[first], kind="stable")]
        self.dst, self.move, self.step = dst[order].tolist(), move[order].tolist(), step[order].tolist()
        self.offsets = np.searchsorted(src[order], np.arange(len(self.ys) + 1)).tolist()

    def _free(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        inside = (x >= 0) & (x < self.width) & (y < self.height)
        cell = self.solid[np.clip(y, 0, self.height - 1), np.clip(x, 0, self.width - 1)]
        return inside & ((y < 0) | ~cell)

    def _spot(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Node index of the standing spot at (x, y), -1 where there is none."""
        return np.where(y >= 0, self.index[np.clip(y, 0, self.height - 1), x], -1)

    def _simulate(self, nodes: np.ndarray, moves: np.ndarray, trace: list | None = None):
        """Run ``moves`` from ``nodes`` → per step the spot landed on (-1: none), then the fall's spot, each (N, M)."""
        t = self.table
        x = np.repeat(self.xs[nodes, None], len(moves), axis=1)
        y = np.repeat(self.ys[nodes, None], len(moves), axis=1)
        moving = np.ones(x.shape, dtype=bool)
        per_step = []
        for i in range(t.ddx.shape[1]):
            act = moving & t.active[moves, i]
            if not act.any():
                break
            nx, ny = x + t.ddx[moves, i], y + t.ddy[moves, i]
            direct = act & self._free(nx, ny)
            slide = act & ~direct & self._free(x, ny)  # keep the vertical part along a wall
            moved = direct | slide
            moving &= moved | ~t.active[moves, i]
            x, y = np.where(direct, nx, x), np.where(moved, ny, y)
            spot = np.where(moved & t.may_land[moves, i], self._spot(x, y), -1)
            per_step.append(np.where(moved & (x == self.width - 1), FINISH, np.where(spot >= 0, spot, -2)))
            if trace is not None:
                trace.append((x.copy(), y.copy(), moved.copy()))
        land_y = self.land[np.clip(y, 0, self.height - 1), x]
        land_y = np.where((y < 0) & self.solid[0, x], -1, land_y)  # above a solid top row: nowhere to fall to
        fall = np.where(land_y >= 0, self.index[np.maximum(land_y, 0), x], -2)
        return per_step, fall

    def _edges(self):
        nodes, moves = np.arange(len(self.ys)), np.arange(self.table.ddx.shape[0])
        per_step, fall = self._simulate(nodes, moves)
        src = np.broadcast_to(nodes[:, None], fall.shape)
        mov = np.broadcast_to(moves[None, :], fall.shape)
        parts = [(target, i) for i, target in enumerate(per_step)] + [(fall, len(per_step))]
        keep = [target != -2 for target, _ in parts]
        return (
            np.concatenate([src[k] for k in keep]),
            np.concatenate([t[k] for (t, _), k in zip(parts, keep)]),
            np.concatenate([mov[k] for k in keep]),
            np.concatenate([np.full(int(k.sum()), i) for (_, i), k in zip(parts, keep)]),
        )

    def search(self, start: tuple[int, int]) -> PlayResult:
        source = int(self.index[start[1], start[0]])
        columns_left = (self.width - 1 - self.xs) / self.table.reach
        best = {source: 0}
        parent: dict[int, int] = {}  # node → edge that reached it
        queue = [(float(columns_left[source]), 0, source)]
        furthest = start[0]
        while queue:
            _, cost, node = heapq.heappop(queue)
            if cost > best[node]:
                continue
            furthest = max(furthest, int(self.xs[node]))
            for edge in range(self.offsets[node], self.offsets[node + 1]):
                target = self.dst[edge]
                if target == FINISH:
                    return PlayResult(True, start, self._cells(self._route(parent, node, source) + [edge], node), self.width - 1)
                if cost + 1 < best.get(target, 1 << 30):
                    best[target] = cost + 1
                    parent[target] = edge
                    heapq.heappush(queue, (cost + 1 + float(columns_left[target]), cost + 1, target))
        return PlayResult(False, start, [], furthest, reason=f"stuck: no move reaches past column {furthest}")

    def _source_of(self, edge: int) -> int:
        return int(np.searchsorted(self.offsets, edge, side="right") - 1)

    def _route(self, parent: dict[int, int], node: int, source: int) -> list[int]:
        edges = []
        while node != source:
            edges.append(parent[node])
            node = self._source_of(parent[node])
        return edges[::-1]

    def _cells(self, edges: list[int], last: int) -> list[tuple[int, int]]:
        """The tiles passed along ``edges``: each move's steps up to its landing, then the fall."""
        first = self._source_of(edges[0]) if edges else last
        cells = [(int(self.xs[first]), int(self.ys[first]))]
        for edge in edges:
            trace: list = []
            per_step, _ = self._simulate(np.array([self._source_of(edge)]), np.array([self.move[edge]]), trace)
            for x, y, moved in trace[: self.step[edge] + 1]:
                if moved[0, 0] and (int(x[0, 0]), int(y[0, 0])) != cells[-1]:
                    cells.append((int(x[0, 0]), int(y[0, 0])))
            x, y = cells[-1]
            if self.step[edge] >= len(per_step):  # the move ended in a fall
                while 0 <= y + 1 < self.height and not self.solid[y + 1, x]:
                    y += 1
                    cells.append((x, y))
        return cells
