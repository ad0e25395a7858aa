"""Structural sanity of platformer levels, read from the vocabulary's tags.

Rules (each violation is reported with the tile where it is seen):

* ``pipe-pair``: every left pipe piece has its right partner beside it (same part), and back;
* ``pipe-support``: a pipe top or body stands on a body of its side, on a solid non-pipe tile, or on the bottom edge;
* ``pipe-cap``: a pipe body has a body or a top of its side above it;
* ``cannon-support`` / ``cannon-cap``: the same for cannon tops and bases;
* ``enemy-floating``: an enemy has a solid tile right below it;
* ``start-ground``: the first column has a spot to stand on;
* ``exit-ground``: the exit stands on the ground: the bottom row of the last ``EXIT_COLUMNS`` columns is solid,
  and the last column has a spot to stand on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from gamegen.platformer.agent import standing_spots
from gamegen.tiles import Vocabulary

__all__ = ["Violation", "PartIds", "sanity_violations", "EXIT_COLUMNS"]

EXIT_COLUMNS = 3  # the run-in to the flag: MAF's flag stands on the last column


@dataclass(frozen=True)
class Violation:
    rule: str
    x: int
    y: int


@dataclass(frozen=True)
class PartIds:
    """Tile ids of the structural parts, found by tag (-1 where the vocabulary lacks one)."""

    pipe_top_left: int
    pipe_top_right: int
    pipe_body_left: int
    pipe_body_right: int
    cannon_top: int
    cannon_base: int
    ground: int

    @classmethod
    @functools.lru_cache(maxsize=16)
    def of(cls, vocab: Vocabulary) -> PartIds:
        def one(*tags: str) -> int:
            ids = [t.id for t in vocab.tiles if set(tags) <= t.tags]
            return ids[0] if ids else -1

        return cls(
            one("pipe-top", "pipe-left"), one("pipe-top", "pipe-right"),
            one("pipe-body", "pipe-left"), one("pipe-body", "pipe-right"),
            one("cannon-top"), one("cannon-base"), one("ground"),
        )


def _below(grid: np.ndarray, fill: int) -> np.ndarray:
    out = np.full_like(grid, fill)
    out[:-1] = grid[1:]
    return out


def _above(grid: np.ndarray, fill: int) -> np.ndarray:
    out = np.full_like(grid, fill)
    out[1:] = grid[:-1]
    return out


def _beside(grid: np.ndarray, shift: int, fill: int) -> np.ndarray:
    out = np.full_like(grid, fill)
    if shift > 0:
        out[:, :-shift] = grid[:, shift:]
    else:
        out[:, -shift:] = grid[:, :shift]
    return out


def _hits(rule: str, mask: np.ndarray) -> list[Violation]:
    if not mask.any():  # the common case once a level is mended: skip the index arrays
        return []
    ys, xs = np.nonzero(mask)
    return [Violation(rule, int(x), int(y)) for y, x in zip(ys, xs)]


def sanity_violations(grid: np.ndarray, vocab: Vocabulary) -> list[Violation]:
    """Every broken rule of the module docstring, in rule order then row-major order."""
    p = PartIds.of(vocab)
    solid = vocab.mask("solid")[grid]
    pipe = vocab.mask("pipe")[grid]
    cannon = vocab.mask("cannon")[grid]
    edge = -1  # stands for "outside the map"
    below, above = _below(grid, edge), _above(grid, edge)
    right, left = _beside(grid, 1, edge), _beside(grid, -1, edge)
    plain_solid_below = _below(solid & ~pipe & ~cannon, False) | (below == edge)
    found: list[Violation] = []
    pairs = ((p.pipe_top_left, p.pipe_top_right), (p.pipe_body_left, p.pipe_body_right))
    for l_id, r_id in pairs:
        found += _hits("pipe-pair", ((grid == l_id) & (right != r_id)) | ((grid == r_id) & (left != l_id)))
    for body, top in ((p.pipe_body_left, p.pipe_top_left), (p.pipe_body_right, p.pipe_top_right)):
        part = (grid == body) | (grid == top)
        found += _hits("pipe-support", part & ~((below == body) | plain_solid_below))
        found += _hits("pipe-cap", (grid == body) & ~((above == body) | (above == top)))
    cannon_part = (grid == p.cannon_top) | (grid == p.cannon_base)
    found += _hits("cannon-support", cannon_part & ~((below == p.cannon_base) | plain_solid_below))
    found += _hits("cannon-cap", (grid == p.cannon_base) & ~((above == p.cannon_base) | (above == p.cannon_top)))
    enemy = vocab.mask("enemy")[grid]
    found += _hits("enemy-floating", enemy & ~_below(solid, False))
    stand = standing_spots(solid)
    if not stand[:, 0].any():
        found.append(Violation("start-ground", 0, grid.shape[0] - 1))
    if not stand[:, -1].any() or not solid[-1, -EXIT_COLUMNS:].all():
        found.append(Violation("exit-ground", grid.shape[1] - 1, grid.shape[0] - 1))
    return found
