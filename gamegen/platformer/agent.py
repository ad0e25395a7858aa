"""The platformer agent: can a level be finished from its start to its right edge?

Physics is data: the moves of a movement profile (``gamegen.platformer.moves``,
derived from the Mario AI Framework's own physics, ``gamegen.maf.movement``),
with momentum. A jump starts from a standing spot (a free tile on a solid one)
after a run-up along the standing spots behind it: a move needs its runway
(0 = from a standstill), its flight tiles free and a standing spot where it
lands. The agent plays from rest: a longer run-up allows every move of a
shorter one. Besides jumps the player walks one tile left or right and, off a
ledge, falls straight down until something solid is underneath (or off the
bottom of the screen: a death). Above the screen is open air; beside and
below it is not.

The search runs over standing spots. Every move from every spot is checked at
once with numpy: each column of the level is a bit mask of its free rows, so a
flight tile is one shift of that mask for all rows of all columns, and a move
is the AND of its tiles (``np.bitwise_and.reduceat``). A* over the graph (cost:
moves; heuristic: columns left ÷ the longest move, admissible) finds a path to
any standing spot of the last column. The player starts on the lowest standing
spot of the leftmost column that has one.
"""

from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from gamegen.platformer.moves import RUNWAY_CAP, load_moves
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["PlayResult", "PlatformerAgent", "MoveTable", "standing_spots"]

PAD_TOP, PAD_SIDE = 8, 20  # margins wider than any move's reach: free above the screen, blocked beside it
MAX_ROWS = 63 - 2 * PAD_TOP  # a column is one uint64 of rows, with room for the shifts


@dataclass
class PlayResult:
    finishable: bool
    start: tuple[int, int] | None  # (x, y) of the start spot
    path: list[tuple[int, int]] = field(default_factory=list)  # (x, y) standing spots visited (falls included), in order
    furthest_x: int = -1  # rightmost column of a standing spot the player reaches
    reason: str = ""  # why not, when not finishable


TOP_ROWS = 2  # rows at the top of the screen the agent never stands in


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
    """One profile's moves for the bit-mask check of ``_Graph``.

    A flight is checked column by column: in each column it crosses, one vertical span of rows that must be
    free (a gap inside a column's tiles is asked free too: conservative, and rare). Moves are sorted by how
    many columns they cross, so the moves that cross a k-th column are a prefix of the table.
    """

    runway: np.ndarray  # (M,) run-up each move needs
    dx: np.ndarray  # (M,) landing offset
    dy: np.ndarray
    span_dx: np.ndarray  # (S,) distinct spans: column, first row, rows
    span_lo: np.ndarray
    span_len: np.ndarray
    span_rows: tuple  # distinct (first row, rows) pairs, and each span's index among them
    span_row: np.ndarray
    columns: tuple  # columns[k]: (M_k,) span index of the k-th column of the first M_k moves
    reach: int  # the most columns one move covers

    @classmethod
    @functools.cache
    def of(cls, profile: str) -> MoveTable:
        per_move = []
        for m in load_moves(profile):
            free_rows: dict[int, list[int]] = {}
            for tx, ty in set(m.flight) | {(m.dx, m.dy)}:  # the landing tile is free too (the floor is a spot check)
                free_rows.setdefault(tx, []).append(ty)
            per_move.append((m, sorted((tx, min(r), max(r) - min(r) + 1) for tx, r in free_rows.items())))
        per_move.sort(key=lambda item: -len(item[1]))  # stable: the table's order within a column count
        spans = sorted({span for _, sp in per_move for span in sp})
        index = {span: i for i, span in enumerate(spans)}
        width = len(per_move[0][1])
        columns = tuple(np.array([index[sp[k]] for _, sp in per_move if len(sp) > k], dtype=np.int64) for k in range(width))
        arr = lambda values: np.array(list(values), dtype=np.int64)  # noqa: E731
        moves = [m for m, _ in per_move]
        reach = max(abs(tx) for tx, _, _ in spans)
        rows = sorted({(lo, n) for _, lo, n in spans})
        row_of = arr(rows.index((lo, n)) for _, lo, n in spans)
        return cls(arr(m.runway for m in moves), arr(m.dx for m in moves), arr(m.dy for m in moves),
                   arr(s[0] for s in spans), arr(s[1] for s in spans), arr(s[2] for s in spans),
                   tuple(rows), row_of, columns, int(reach))


class PlatformerAgent:
    """Plays levels of one vocabulary with the moves of a movement profile (``smb-small`` or ``smb-big``)."""

    def __init__(self, vocabulary: Vocabulary, profile: str = "smb-small"):
        self.vocabulary = vocabulary
        self.profile = profile
        self.solid_table = vocabulary.mask("solid")
        self.table = MoveTable.of(profile)

    def play(self, level: TileMap, start: tuple[int, int] | None = None, with_path: bool = True) -> PlayResult:
        """Play ``level`` from ``start`` (x, y; the player drops from there), else from the default start.

        ``with_path=False`` skips tracing the path (the verdict is the same).
        """
        return self.play_solid(self.solid_table[level.grid], start, with_path)

    def play_solid(self, solid: np.ndarray, start: tuple[int, int] | None = None, with_path: bool = False) -> PlayResult:
        """Play a (H, W) solid mask directly (what repair calls in its loop)."""
        if solid.shape[0] > MAX_ROWS:
            from gamegen.errors import InvalidRequest

            raise InvalidRequest(f"the platformer agent plays levels of at most {MAX_ROWS} rows, got {solid.shape[0]}")
        stand = standing_spots(solid)
        stand[:TOP_ROWS] = False  # no route over the top of the screen: the engine's A* never finds one (issue 18, seed 10010)
        land = landing_rows(solid, stand)
        if start is None:
            columns = np.flatnonzero(stand.any(axis=0))
            if len(columns) == 0:
                return PlayResult(False, None, reason="no tile to stand on anywhere")
            start = (int(columns[0]), int(np.flatnonzero(stand[:, columns[0]])[-1]))
        else:
            x, y = start
            land_y = land[min(max(y, 0), solid.shape[0] - 1), x]
            if land_y < 0:
                return PlayResult(False, None, reason=f"nothing to stand on below the start at column {x}")
            start = (x, int(land_y))
        return _Graph(solid, stand, land, self.table).search(start, with_path)


def _row_bits(mask: np.ndarray) -> np.ndarray:
    """(H, W) bool → (W,) uint64: bit y + PAD_TOP set where mask[y] (distinct bits, so the sum is an OR)."""
    weights = np.left_shift(np.uint64(1), np.arange(PAD_TOP, PAD_TOP + mask.shape[0], dtype=np.uint64))
    return (mask.astype(np.uint64) * weights[:, None]).sum(axis=0, dtype=np.uint64)


def _shifted(columns: np.ndarray, dys: np.ndarray) -> np.ndarray:
    """(len(dys), W') uint64: each column's bits moved so that bit y + PAD_TOP reads row y + dy."""
    out = np.empty((len(dys), len(columns)), dtype=np.uint64)
    for i, dy in enumerate(dys.tolist()):
        out[i] = columns >> np.uint64(dy) if dy >= 0 else columns << np.uint64(-dy)
    return out


def _run_ups(stand: np.ndarray, solid: np.ndarray) -> np.ndarray:
    """(H, W) int: the run-up behind each tile on its row (to its left), capped at RUNWAY_CAP.

    That is the standing spots right behind it, one fewer when the tile past them is a wall or the level's
    edge: a run-up needs room for a foot to hang over its far end (as the engine simulation had it).
    """
    h, w = stand.shape
    index = np.broadcast_to(np.arange(w), (h, w))
    last_gap = np.maximum.accumulate(np.where(stand, -1, index), axis=1)
    run = np.zeros((h, w), dtype=np.int64)
    run[:, 1:] = (index - last_gap)[:, :-1]  # stands ending at x - 1, inclusive
    gap = index - run - 1  # the tile past the run-up
    walled = (gap < 0) | solid[np.arange(h)[:, None], np.maximum(gap, 0)]
    return np.minimum(np.where(walled, np.maximum(run - 1, 0), run), RUNWAY_CAP)


class _Graph:
    """Every move from every standing spot of one level (edges grouped by source), and A* over them."""

    def __init__(self, solid: np.ndarray, stand: np.ndarray, land: np.ndarray, table: MoveTable):
        self.height, self.width = solid.shape
        self.table = table
        self.ys, self.xs = np.nonzero(stand)
        self.node = np.full(solid.shape, -1, dtype=np.int64)
        self.node[self.ys, self.xs] = np.arange(len(self.ys))
        src, dst = self._jumps(solid, stand)
        w_src, w_dst = self._walks(solid, land)
        src, dst = np.concatenate([src, w_src]), np.concatenate([dst, w_dst])
        n = len(self.ys)
        key = np.unique(src * (n + 1) + dst)  # one edge per (source, target), sorted by source
        self.dst = (key % (n + 1)).tolist()
        self.offsets = np.searchsorted(key // (n + 1), np.arange(n + 1)).tolist()

    def _jumps(self, solid: np.ndarray, stand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t, h, w = self.table, self.height, self.width
        free = np.zeros(w + 2 * PAD_SIDE, dtype=np.uint64)
        free[PAD_SIDE : PAD_SIDE + w] = _row_bits(~solid) | np.uint64((1 << PAD_TOP) - 1)  # above the screen: air
        spots = np.zeros_like(free)
        spots[PAD_SIDE : PAD_SIDE + w] = _row_bits(stand)
        ok = self._flights_clear(free)  # (M, W)
        dys = np.unique(t.dy)
        ok &= sliding_window_view(_shifted(spots, dys), w, axis=1)[np.searchsorted(dys, t.dy), t.dx + PAD_SIDE]
        run_right, run_left = _run_ups(stand, solid), _run_ups(stand[:, ::-1], solid[:, ::-1])[:, ::-1]
        ranks = np.arange(RUNWAY_CAP + 1)[:, None, None]
        runway_bits = np.stack([_row_bits_stack(run_right >= ranks), _row_bits_stack(run_left >= ranks)])
        ok &= runway_bits[(t.dx < 0).astype(np.int64), t.runway]  # (M, W): take-off spots with the run-up
        m, x = np.nonzero(ok)
        rows = (ok[m, x][:, None] >> np.arange(PAD_TOP, PAD_TOP + h, dtype=np.uint64)) & np.uint64(1)
        k, y = np.nonzero(rows)
        m, x = m[k], x[k]
        return self.node[y, x], self.node[y + t.dy[m], x + t.dx[m]]

    def _flights_clear(self, free: np.ndarray) -> np.ndarray:
        """(M, W) uint64: bit y + PAD_TOP of [m, x] set where move m's flight from (x, y) is free."""
        t, w = self.table, self.width
        clear = [free]  # clear[n - 1]: bit b set where rows b .. b + n - 1 are free
        for n in range(2, int(t.span_len.max()) + 1):
            clear.append(clear[-1] & (free >> np.uint64(n - 1)))
        shifted = np.empty((len(t.span_rows), len(free)), dtype=np.uint64)  # (P, W'): one per (first row, rows)
        for i, (lo, n) in enumerate(t.span_rows):
            shifted[i] = clear[n - 1] >> np.uint64(lo) if lo >= 0 else clear[n - 1] << np.uint64(-lo)
        spans = sliding_window_view(shifted, w, axis=1)[t.span_row, t.span_dx + PAD_SIDE]  # (S, W)
        ok = spans[t.columns[0]]
        for k in range(1, len(t.columns)):
            ok[: len(t.columns[k])] &= spans[t.columns[k]]
        return ok

    def _walks(self, solid: np.ndarray, land: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One tile left or right, then straight down to what is underneath."""
        srcs, dsts = [], []
        for step in (1, -1):
            x2 = self.xs + step
            inside = (x2 >= 0) & (x2 < self.width)
            x2c = np.clip(x2, 0, self.width - 1)
            row = land[self.ys, x2c]
            ok = inside & ~solid[self.ys, x2c] & (row >= 0)
            srcs.append(np.flatnonzero(ok))
            dsts.append(self.node[row[ok], x2c[ok]])
        return np.concatenate(srcs), np.concatenate(dsts)

    def search(self, start: tuple[int, int], with_path: bool) -> PlayResult:
        source = int(self.node[start[1], start[0]])
        columns_left = ((self.width - 1 - self.xs) / self.table.reach).tolist()
        xs = self.xs.tolist()
        best: dict[int, int] = {source: 0}
        parent: dict[int, int] = {}
        queue = [(columns_left[source], 0, source)]
        furthest = start[0]
        dst, offsets, last = self.dst, self.offsets, self.width - 1
        while queue:
            _, cost, node = heapq.heappop(queue)
            if cost > best[node]:
                continue
            furthest = max(furthest, xs[node])
            if xs[node] == last:
                return PlayResult(True, start, self._route(parent, node) if with_path else [], last)
            for edge in range(offsets[node], offsets[node + 1]):
                target = dst[edge]
                if cost + 1 < best.get(target, 1 << 30):
                    best[target] = cost + 1
                    parent[target] = node
                    heapq.heappush(queue, (cost + 1 + columns_left[target], cost + 1, target))
        return PlayResult(False, start, [], furthest, reason=f"stuck: no move reaches past column {furthest}")

    def _route(self, parent: dict[int, int], node: int) -> list[tuple[int, int]]:
        spots = [node]
        while spots[-1] in parent:
            spots.append(parent[spots[-1]])
        return [(int(self.xs[n]), int(self.ys[n])) for n in reversed(spots)]


def _row_bits_stack(masks: np.ndarray) -> np.ndarray:
    """(R, H, W) bool → (R, W) uint64, as ``_row_bits`` for each."""
    weights = np.left_shift(np.uint64(1), np.arange(PAD_TOP, PAD_TOP + masks.shape[1], dtype=np.uint64))
    return (masks.astype(np.uint64) * weights[None, :, None]).sum(axis=1, dtype=np.uint64)
