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

from gamegen.tiles import TileMap, Vocabulary

__all__ = ["PlayResult", "PlatformerAgent", "load_jumps", "standing_spots"]

WALKS = (((1, 0),), ((-1, 0),))
FINISH = -1  # target of a move that touches the last column


@functools.lru_cache(maxsize=None)
def load_jumps() -> tuple[tuple[tuple[int, int], ...], ...]:
    """The corpus' jump arcs (duplicates removed, order kept), as tuples of (dx, dy) offsets."""
    text = (resources.files("gamegen.platformer") / "jumps.json").read_text(encoding="utf-8")
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
    length: np.ndarray  # (M,) steps of each move
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
        return cls(ddx, ddy, active, may_land, active.sum(axis=1), reach)


class PlatformerAgent:
    """Plays levels of one vocabulary with the corpus' jump arcs."""

    def __init__(self, vocabulary: Vocabulary, arcs=None):
        self.vocabulary = vocabulary
        self.solid_table = vocabulary.mask("solid")
        self.table = MoveTable.build(WALKS + tuple(arcs if arcs is not None else load_jumps()))

    def play(self, level: TileMap, start: tuple[int, int] | None = None, with_path: bool = True) -> PlayResult:
        """Play ``level`` from ``start`` (x, y; the player drops from there), else from the default start.

        ``with_path=False`` skips tracing the tiles of the path (the verdict is the same, and faster).
        """
        return self.play_solid(self.solid_table[level.grid], start, with_path)

    def play_solid(self, solid: np.ndarray, start: tuple[int, int] | None = None, with_path: bool = False) -> PlayResult:
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
        return _Graph(solid, stand, self.table).search(start, with_path)


PAD_TOP, PAD_SIDE, PAD_BOTTOM = 6, 12, 6  # margins wider than any arc's reach, so no index is clipped
BLOCKED, FREE, LAST = -3, -2, -4  # codes of the position lookup (spots hold their node index, ≥ 0)


class _Graph:
    """Every move from every standing spot of one level, and A* over them.

    Positions are flat indices into a padded copy of the level: free above the
    screen, blocked beside it and below it. A step is then one integer add and
    one ``take``, for all (spot, move) pairs at once.
    """

    def __init__(self, solid: np.ndarray, stand: np.ndarray, table: MoveTable):
        self.solid, self.table = solid, table
        self.height, self.width = solid.shape
        self.ys, self.xs = np.nonzero(stand)
        self.pitch = self.width + 2 * PAD_SIDE
        self._pad(solid, stand)
        src, dst, move, step = self._edges()
        # One edge per (source, target) pair, grouped by source for A*.
        key = src * (len(self.ys) + 1) + (dst + 1)
        _, first = np.unique(key, return_index=True)
        order = first[np.argsort(src[first], kind="stable")]
        self.dst, self.move, self.step = dst[order].tolist(), move[order].tolist(), step[order].tolist()
        self.offsets = np.searchsorted(src[order], np.arange(len(self.ys) + 1)).tolist()

    def _pad(self, solid: np.ndarray, stand: np.ndarray) -> None:
        h, w, p = self.height, self.width, self.pitch
        shape = (PAD_TOP + h + PAD_BOTTOM, p)
        inner = (slice(PAD_TOP, PAD_TOP + h), slice(PAD_SIDE, PAD_SIDE + w))
        free = np.zeros(shape, dtype=bool)
        free[:PAD_TOP, PAD_SIDE : PAD_SIDE + w] = True  # above the screen is open air
        free[inner] = ~solid
        spot = np.full(shape, -1, dtype=np.int64)
        spot[inner][self.ys, self.xs] = np.arange(len(self.ys))
        land = landing_rows(solid, stand)  # (H, W)
        fall = np.full(shape, -2, dtype=np.int64)  # -2: no landing (solid, or a fall off the screen)
        node_of_row = np.full((h, w), -1, dtype=np.int64)
        node_of_row[self.ys, self.xs] = np.arange(len(self.ys))
        columns = np.arange(w)
        landed = np.where(land >= 0, node_of_row[np.maximum(land, 0), columns], -2)
        fall[inner] = landed
        fall[:PAD_TOP, PAD_SIDE : PAD_SIDE + w] = np.where(solid[0], -2, landed[0])  # from above the screen, fall in
        last = np.zeros(shape, dtype=bool)
        last[: PAD_TOP + h, PAD_SIDE + w - 1] = True
        self.spot, self.fall = spot.ravel(), fall.ravel()
        # One lookup per step: BLOCKED, LAST (the last column: the level is finished), a spot's node, or FREE.
        info = np.where(spot >= 0, spot, FREE)
        info = np.where(last & free, LAST, info)
        self.info = np.where(free, info, BLOCKED).ravel().astype(np.int32)
        self.start_pos = ((self.ys + PAD_TOP) * p + self.xs + PAD_SIDE).astype(np.int32)

    def _simulate(self, nodes: np.ndarray, moves: np.ndarray, trace: list | None = None):
        """Run every move of ``moves`` from every node of ``nodes`` → edges (src, dst, move, step).

        dst is a node, or LAST for a move that touches the last column (``_edges`` turns it into FINISH); step is the
        index of the step landed after, or the move's length for a landing by falling.
        Pairs are kept in flat 1-D arrays and dropped as their moves end.
        """
        t = self.table
        src = np.repeat(nodes, len(moves)).astype(np.int32)
        mov = np.tile(moves, len(nodes)).astype(np.int32)
        pos = self.start_pos[src]
        step_d = (t.ddy * self.pitch + t.ddx).astype(np.int32).T.copy()  # (L, M) flat step offsets, one row a step
        rise_d = (t.ddy * self.pitch).astype(np.int32).T.copy()
        active, may_land = t.active.T.copy(), t.may_land.T.copy()
        edges, ended = [], []
        for i in range(t.ddx.shape[1]):
            act = active[i][mov]
            if not act.all():  # moves that have no step i end here: they fall
                stop, keep = np.flatnonzero(~act), np.flatnonzero(act)
                ended.append((src.take(stop), mov.take(stop), pos.take(stop)))
                src, mov, pos = src.take(keep), mov.take(keep), pos.take(keep)
            if len(src) == 0:
                break
            direct_pos, slide_pos = pos + step_d[i][mov], pos + rise_d[i][mov]
            direct_info, slide_info = self.info[direct_pos], self.info[slide_pos]
            direct = direct_info != BLOCKED
            moved = direct | (slide_info != BLOCKED)  # a blocked diagonal keeps its vertical part
            stepped = np.where(direct, direct_pos, slide_pos)
            info = np.where(direct, direct_info, slide_info)
            if not moved.all():  # blocked both ways: the arc ends and the player falls from where it was
                stop, keep = np.flatnonzero(~moved), np.flatnonzero(moved)
                ended.append((src.take(stop), mov.take(stop), pos.take(stop)))
                src, mov, stepped, info = src.take(keep), mov.take(keep), stepped.take(keep), info.take(keep)
            pos = stepped
            hit = np.flatnonzero((info == LAST) | ((info >= 0) & may_land[i][mov]))
            if len(hit):  # LAST stays LAST here and becomes FINISH once, in _edges
                edges.append((src.take(hit), info.take(hit), mov.take(hit), np.full(len(hit), i)))
            if trace is not None:
                trace.append(pos.copy())
        ended.append((src, mov, pos))
        for e_src, e_mov, e_pos in ended:
            target = self.fall[e_pos]
            ok = target != -2
            edges.append((e_src[ok], target[ok], e_mov[ok], t.length[e_mov[ok]]))
        return edges

    def _edges(self):
        edges = self._simulate(np.arange(len(self.ys)), np.arange(self.table.ddx.shape[0]))
        src, dst, move, step = (np.concatenate([e[k] for e in edges]).astype(np.int64) for k in range(4))
        return src, np.where(dst == LAST, FINISH, dst), move, step

    def search(self, start: tuple[int, int], with_path: bool) -> PlayResult:
        source = int(self.spot[(start[1] + PAD_TOP) * self.pitch + start[0] + PAD_SIDE])
        columns_left = ((self.width - 1 - self.xs) / self.table.reach).tolist()
        best = {source: 0}
        parent: dict[int, int] = {}  # node → edge that reached it
        queue = [(columns_left[source], 0, source)]
        furthest = start[0]
        dst, offsets = self.dst, self.offsets
        while queue:
            _, cost, node = heapq.heappop(queue)
            if cost > best[node]:
                continue
            furthest = max(furthest, int(self.xs[node]))
            for edge in range(offsets[node], offsets[node + 1]):
                target = dst[edge]
                if target == FINISH:
                    path = self._cells(self._route(parent, node, source) + [edge], node) if with_path else []
                    return PlayResult(True, start, path, self.width - 1)
                if cost + 1 < best.get(target, 1 << 30):
                    best[target] = cost + 1
                    parent[target] = edge
                    heapq.heappush(queue, (cost + 1 + columns_left[target], cost + 1, target))
        return PlayResult(False, start, [], furthest, reason=f"stuck: no move reaches past column {furthest}")

    def _source_of(self, edge: int) -> int:
        return int(np.searchsorted(self.offsets, edge, side="right") - 1)

    def _route(self, parent: dict[int, int], node: int, source: int) -> list[int]:
        edges = []
        while node != source:
            edges.append(parent[node])
            node = self._source_of(parent[node])
        return edges[::-1]

    def _xy(self, pos: int) -> tuple[int, int]:
        return pos % self.pitch - PAD_SIDE, pos // self.pitch - PAD_TOP

    def _cells(self, edges: list[int], last: int) -> list[tuple[int, int]]:
        """The tiles passed along ``edges``: each move's steps up to its landing, then the fall."""
        first = self._source_of(edges[0]) if edges else last
        cells = [(int(self.xs[first]), int(self.ys[first]))]
        for edge in edges:
            trace: list = []
            self._simulate(np.array([self._source_of(edge)]), np.array([self.move[edge]]), trace)
            for pos in trace[: self.step[edge] + 1]:
                if len(pos) and self._xy(int(pos[0])) != cells[-1]:
                    cells.append(self._xy(int(pos[0])))
            x, y = cells[-1]
            if self.step[edge] == self.table.length[self.move[edge]]:  # the move ended in a fall
                while 0 <= y + 1 < self.height and not self.solid[y + 1, x]:
                    y += 1
                    cells.append((x, y))
        return cells
