"""Minimal local edits that make a platformer level sane and finishable.

``repair_level`` is deterministic (it uses no randomness at all) and reports
how many tiles it changed. Order of work:

0. shape: a bottom-row pit wider than the corpus' usual gaps (``MAX_PIT``)
   is cut into corpus-wide gaps by short islands of ground, so levels cross
   pits as the corpus does (jumps from ground to ground) rather than hopping
   over floating bricks, and keep about the corpus' share of open bottom row;
1. structure: complete or remove broken pipes and cannons, drop floating
   enemies onto what is below them (or remove them over a pit), put ground
   under the start and the exit (the last ``EXIT_COLUMNS`` columns);
2. playability: while the agent is stuck, widen its way at the column where it
   stops: bridge the pit ahead at the bottom row, or cut the wall ahead down
   to a jumpable height, then re-run the structure fixes;
3. a last resort that always succeeds: a clear, walkable corridor along the
   bottom from where the player is stuck to the exit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gamegen.platformer.agent import PlatformerAgent, PlayResult
from gamegen.platformer.sanity import EXIT_COLUMNS, PartIds, sanity_violations
from gamegen.tiles import Vocabulary

__all__ = ["RepairResult", "repair_level"]

MAX_ROUNDS = 24  # playability edits before the last resort
JUMPABLE = 3  # rows a wall is cut down to, above the spot the player stands on
BRIDGE = 3  # columns of the pit left open when bridging (the shortest jump crosses it)
# 90% of the corpus' bottom-row pits are 1-6 columns (SMB: 1-4 most often); a standing jump of small
# Mario clears 5 (gamegen.maf.movement). Wider pits are narrowed to 2-4 columns, the width chosen by the
# pit's own width so that repair stays a function of the level (no randomness) and pits keep some variety.
MAX_PIT = 4
ISLAND = 2  # columns of ground between the gaps a wide pit is cut into (the corpus' pillars and ledges)


@dataclass
class RepairResult:
    grid: np.ndarray
    play: PlayResult
    edits: int  # tiles that differ from the input
    stuck_at: int  # where the agent stopped before any playability edit (-1: it did not)
    rounds: int  # playability rounds used
    last_resort: bool


def _narrow_pits(grid: np.ndarray, vocab: Vocabulary, parts: PartIds) -> None:
    """Every bottom-row pit wider than MAX_PIT becomes gaps of 2-4 columns between ground islands of ISLAND columns."""
    bottom = vocab.mask("solid")[grid[-1]]
    open_ = np.concatenate([[False], ~bottom, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(open_))
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist()):
        width = end - start
        if width <= MAX_PIT:
            continue
        if start == 0 or end == grid.shape[1]:  # a pit at an edge: the start and exit rules want ground there
            grid[-1, start:end] = parts.ground
            continue
        gap = 2 + width % 3  # from the pit's own width: no randomness, and gaps of every corpus width up to 4
        x = start  # where the open run still to cut begins
        while end - x > MAX_PIT:  # a gap, then an island; the last gap takes what is left (≤ MAX_PIT, maybe none)
            grid[-1, x + gap : x + gap + ISLAND] = parts.ground
            x += gap + ISLAND


def _fix_structure(grid: np.ndarray, vocab: Vocabulary, parts: PartIds) -> None:
    """Fix every sanity violation in place; loops until none is left (each pass only removes or adds supports)."""
    empty = vocab.empty_id
    passes = grid.shape[0] * 4
    for done in range(passes):
        found = sanity_violations(grid, vocab)
        if not found:
            return
        # Drawing a missing piece can start a cycle (a drawn half disagrees with its column); after half the
        # passes only removals are left, and those always converge since each one takes a piece away.
        mend = done < passes // 2
        before = grid.copy()
        for v in found:
            # A violation found next to a cell an earlier fix of this pass changed may be stale: the next scan decides.
            around = (slice(max(v.y - 1, 0), v.y + 2), slice(max(v.x - 1, 0), v.x + 2))
            if mend and (grid[around] != before[around]).any():
                continue
            _fix_one(grid, vocab, parts, v.rule, v.x, v.y, empty, mend)
    raise AssertionError("structure repair did not converge")  # a bug, never an expected failure


def _fix_one(grid, vocab, parts: PartIds, rule: str, x: int, y: int, empty: int, mend: bool = True) -> None:
    tile = int(grid[y, x])
    if not mend and rule in ("pipe-pair", "pipe-cap"):
        grid[y, x] = empty
    elif rule == "pipe-pair" and _pair_up(grid, vocab, parts, x, y, tile):
        pass  # the missing half was drawn in: one tile instead of removing the pipe
    elif rule == "pipe-cap" and tile in (parts.pipe_body_left, parts.pipe_body_right):
        # A body with no top: its highest piece becomes the top (the partner body does the same on its own).
        grid[y, x] = parts.pipe_top_left if tile == parts.pipe_body_left else parts.pipe_top_right
    elif rule in ("pipe-pair", "pipe-cap", "cannon-cap"):
        grid[y, x] = empty  # an orphan piece goes; what it held up is fixed on the next pass
    elif rule == "pipe-support" and _top_below_becomes_body(grid, parts, x, y, tile):
        pass
    elif rule == "pipe-support":
        left = x if tile in (parts.pipe_top_left, parts.pipe_body_left) else x - 1
        paired = 0 <= left < grid.shape[1] - 1 and _is_pair(parts, int(grid[y, left]), int(grid[y, left + 1]))
        if not (paired and _grow(grid, vocab, [left, left + 1], y, [parts.pipe_body_left, parts.pipe_body_right])):
            grid[y, x] = empty
    elif rule == "cannon-support":
        if not _grow(grid, vocab, [x], y, [parts.cannon_base]):
            grid[y, x] = empty
    elif rule == "enemy-floating":
        grid[y, x] = empty
        solid = vocab.mask("solid")[grid[:, x]]
        below = np.flatnonzero(solid[y + 1 :])
        if len(below):
            grid[y + below[0], x] = tile  # lands on what is under it
    elif rule in ("start-ground", "exit-ground"):
        end = slice(0, 3) if rule == "start-ground" else slice(grid.shape[1] - EXIT_COLUMNS, None)
        columns = grid[:, end]
        columns[vocab.mask("pipe")[columns] | vocab.mask("cannon")[columns]] = empty  # no structure to regrow
        columns[-2][vocab.mask("solid")[columns[-2]]] = empty  # headroom over the new ground
        columns[-1] = parts.ground


def _pair_up(grid, vocab: Vocabulary, parts: PartIds, x: int, y: int, tile: int) -> bool:
    """Draw the missing half of a pipe piece where that cell is empty or holds the other half's wrong part → whether it did."""
    partners = {
        parts.pipe_top_left: (1, parts.pipe_top_right), parts.pipe_body_left: (1, parts.pipe_body_right),
        parts.pipe_top_right: (-1, parts.pipe_top_left), parts.pipe_body_right: (-1, parts.pipe_body_left),
    }
    if tile not in partners:
        return False
    step, partner = partners[tile]
    side = x + step
    if not 0 <= side < grid.shape[1]:
        return False
    # The same side's other part (a top where a body belongs, or back) is a misdrawn partner; an empty cell is a missing one.
    same_side = {parts.pipe_top_right, parts.pipe_body_right} if step == 1 else {parts.pipe_top_left, parts.pipe_body_left}
    if int(grid[y, side]) != vocab.empty_id and int(grid[y, side]) not in same_side:
        return False
    grid[y, side] = partner
    # The rest of this half, down the column, gets its partner too: one pass mends the whole pipe.
    body, body_partner = (parts.pipe_body_left, parts.pipe_body_right) if step == 1 else (parts.pipe_body_right, parts.pipe_body_left)
    row = y + 1
    while row < grid.shape[0] and int(grid[row, x]) == body and (int(grid[row, side]) == vocab.empty_id or int(grid[row, side]) in same_side - {body_partner}):
        grid[row, side] = body_partner
        row += 1
    return True


def _top_below_becomes_body(grid, parts: PartIds, x: int, y: int, tile: int) -> bool:
    """A pipe piece standing on a top of its side (a top drawn twice): the lower top becomes body → whether it did."""
    if y + 1 >= grid.shape[0]:
        return False
    for top, body, pieces in ((parts.pipe_top_left, parts.pipe_body_left, (parts.pipe_top_left, parts.pipe_body_left)),
                              (parts.pipe_top_right, parts.pipe_body_right, (parts.pipe_top_right, parts.pipe_body_right))):
        if tile in pieces and int(grid[y + 1, x]) == top:
            grid[y + 1, x] = body
            return True
    return False


def _is_pair(parts: PartIds, left: int, right: int) -> bool:
    return (left, right) in ((parts.pipe_top_left, parts.pipe_top_right), (parts.pipe_body_left, parts.pipe_body_right))


def _grow(grid, vocab, columns: list[int], y: int, bodies: list[int]) -> bool:
    """Extend a pipe or cannon down to solid ground when every tile on the way is empty → whether it did."""
    height, width = grid.shape
    if min(columns) < 0 or max(columns) >= width:
        return False
    structural = vocab.mask("solid") & ~vocab.mask("pipe") & ~vocab.mask("cannon")
    bottom = y + 1
    while bottom < height and not structural[grid[bottom, columns]].all():
        if (grid[bottom, columns] != vocab.empty_id).any():
            return False
        bottom += 1
    for column, body in zip(columns, bodies):
        grid[y + 1 : bottom, column] = body
    return bottom > y + 1


def _widen(grid: np.ndarray, vocab: Vocabulary, parts: PartIds, play: PlayResult) -> bool:
    """One edit round at the column where the agent is stuck → whether anything changed."""
    solid = vocab.mask("solid")[grid]
    height, width = grid.shape
    x = max(play.furthest_x, 0)
    # A pit ahead: bottom row open right of x. Fill it from the near side, leaving BRIDGE columns open.
    ahead = np.flatnonzero(solid[height - 1, x + 1 :])
    pit_end = x + 1 + (int(ahead[0]) if len(ahead) else width - x - 1)
    if pit_end - (x + 1) > BRIDGE or (not len(ahead) and pit_end > x + 1):
        grid[height - 1, x + 1 : pit_end - (BRIDGE if len(ahead) else 0)] = parts.ground
        return True
    # A wall ahead: cut the next columns down to JUMPABLE rows above where the player stands.
    stand_y = _stand_row(solid, x)
    limit = max(stand_y - JUMPABLE, 0)
    changed = False
    for column in range(x + 1, min(x + 4, width)):
        blocked = np.flatnonzero(solid[:limit + 1, column] | (grid[:limit + 1, column] != vocab.empty_id))
        for row in blocked:
            grid[row, column] = vocab.empty_id
            changed = True
    return changed


def _stand_row(solid: np.ndarray, x: int) -> int:
    spots = np.flatnonzero(~solid[:-1, x] & solid[1:, x])
    return int(spots[-1]) if len(spots) else solid.shape[0] - 2


def _corridor(grid: np.ndarray, vocab: Vocabulary, parts: PartIds, stuck_x: int) -> None:
    """Walkable by construction: right of ``stuck_x``, ground along the bottom, four clear rows above it,
    no pipe or cannon, and the first column clear top to bottom so the player can drop into it."""
    height = grid.shape[0]
    right = grid[:, stuck_x + 1 :]
    right[vocab.mask("pipe")[right] | vocab.mask("cannon")[right]] = vocab.empty_id
    right[height - 5 : height - 1] = vocab.empty_id
    right[: height - 1, :1] = vocab.empty_id
    right[height - 1] = parts.ground


def repair_level(grid: np.ndarray, vocab: Vocabulary, agent: PlatformerAgent, widen: bool = True) -> RepairResult:
    """A sane, finishable copy of ``grid`` with as few changed tiles as these rules manage.

    ``widen=False`` stops after the structure fixes: a sane copy and the agent's
    verdict on it (``play.finishable``, ``stuck_at``), the cheap check a caller
    makes before trying another latent.
    """
    parts = PartIds.of(vocab)
    fixed = grid.copy()
    _narrow_pits(fixed, vocab, parts)
    _fix_structure(fixed, vocab, parts)
    play = agent.play_solid(vocab.mask("solid")[fixed])
    stuck_at = -1 if play.finishable else play.furthest_x
    if not widen:
        return RepairResult(fixed, play, int((fixed != grid).sum()), stuck_at, 0, False)
    rounds = 0
    while not play.finishable and rounds < MAX_ROUNDS:
        rounds += 1
        if not _widen(fixed, vocab, parts, play):
            break
        _fix_structure(fixed, vocab, parts)
        play = agent.play_solid(vocab.mask("solid")[fixed])
    last_resort = not play.finishable
    if last_resort:
        _corridor(fixed, vocab, parts, max(play.furthest_x, 0))
        _fix_structure(fixed, vocab, parts)
        play = agent.play_solid(vocab.mask("solid")[fixed])
    return RepairResult(fixed, play, int((fixed != grid).sum()), stuck_at, rounds, last_resort)
