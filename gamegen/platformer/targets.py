"""Controllable generation: a latent whose level meets expressive-range targets.

``targets`` maps measures of ``gamegen.platformer.expressive`` (density, leniency,
linearity) to wanted values. Each candidate is scored by its worst measure in
units of that measure's tolerance; a score ≤ 1 is a hit. The search has two
stages:

1. composition: the measures are (nearly) sums over the level's columns and
   both generators are local along the width, so a level can be assembled
   block by block. ``COMPOSE_CANDIDATES`` latents drawn from the seed are
   decoded in one batch; walking the blocks left to right, each block takes
   the candidate's piece that brings the level so far closest to the targets.
   This reaches combinations no single draw has (dense on the left, flat on
   the right, …), which a local search around one draw cannot;
2. CMA-ES in a 16-dimensional subspace around the best latent so far (a fixed
   random basis drawn from the seed), for the rest of the budget. The budget is a number of evaluations, not
seconds, so the result stays a function of the seed and the targets alone
(a time budget would make it depend on the machine's speed).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.platformer.cmaes import CMAES
from gamegen.platformer.expressive import MEASURES, expressive_range

__all__ = ["TOLERANCE", "EVALUATIONS", "check_targets", "parse_targets", "search_latent", "target_score", "Blocks"]

TOLERANCE = {"density": 0.02, "leniency": 0.05, "linearity": 0.05}  # absolute, per measure
EVALUATIONS = 240  # 20 generations of 12
SUBSPACE = 16
STEP = 0.6  # initial CMA-ES step, in latent standard deviations along the basis
COMPOSE_CANDIDATES = 24  # latents decoded for the composition stage (they count as evaluations)


@dataclass(frozen=True)
class Blocks:
    """How a latent lays out along the level: block i is ``latent[latent_index(i)]`` and makes ``columns[i]``."""

    axis: int  # the latent's width axis
    latent_ranges: tuple[tuple[int, int], ...]  # [start, stop) along ``axis``, one per block
    column_ranges: tuple[tuple[int, int], ...]  # [start, stop) of level columns, one per block


def check_targets(targets) -> dict[str, float]:
    if not isinstance(targets, dict) or not targets:
        raise InvalidRequest(f"targets must be a non-empty dict of {', '.join(MEASURES)}, got {targets!r}")
    checked = {}
    for name, value in targets.items():
        if name not in MEASURES:
            raise InvalidRequest(f"unknown target {name!r}; measures: {', '.join(MEASURES)}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= float(value) <= 1.0:
            raise InvalidRequest(f"target {name} must be a number in [0, 1], got {value!r}")
        checked[name] = float(value)
    return checked


def parse_targets(spec: str) -> dict[str, float]:
    """``"density=0.3,leniency=0.5"`` → checked targets."""
    targets = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, value = part.partition("=")
        try:
            targets[name.strip()] = float(value) if sep else None
        except ValueError:
            raise InvalidRequest(f"--target {part!r}: the value must be a number") from None
    return check_targets(targets)


def target_score(measured: dict[str, float], targets: dict[str, float]) -> float:
    """Worst measure's distance in tolerances: ≤ 1 is a hit."""
    return max(abs(measured[k] - v) / TOLERANCE[k] for k, v in targets.items())


def search_latent(decode, vocabulary, latent: np.ndarray, seed: int, targets: dict[str, float], blocks: Blocks | None = None,
                  evaluations: int = EVALUATIONS):
    """Composition (when ``blocks`` is given), then CMA-ES → (best latent, its measures, its score, evaluations used).

    ``decode`` maps a list of latents to a list of grids in one inference.
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 0x7A6E7])))
    grid = decode([latent])[0]
    measured = expressive_range(grid, vocabulary)
    best = (target_score(measured, targets), latent, measured)
    used = 1
    if blocks is not None and best[0] > 0.5:
        composed, used_now = _compose(decode, vocabulary, latent, rng, targets, blocks)
        used += used_now
        measured = expressive_range(decode([composed])[0], vocabulary)
        used += 1
        if target_score(measured, targets) < best[0]:
            best = (target_score(measured, targets), composed, measured)
    start = best[1]
    basis = rng.standard_normal((SUBSPACE, latent.size)).astype(np.float32)
    es = CMAES(np.zeros(SUBSPACE), STEP, rng, population=12)
    while used < evaluations and best[0] > 0.5:  # comfortably inside the tolerance: repair may move it a little
        candidates = es.ask()  # (λ, SUBSPACE)
        latents = [(start.ravel() + (w.astype(np.float32) @ basis)).reshape(start.shape) for w in candidates]
        measures = [expressive_range(g, vocabulary) for g in decode(latents)]
        scores = np.array([target_score(m, targets) for m in measures])
        used += len(latents)
        i = int(np.argmin(scores))
        if scores[i] < best[0]:
            best = (float(scores[i]), latents[i], measures[i])
        es.tell(scores)
    return best[1], best[2], best[0], used


def _compose(decode, vocabulary, latent: np.ndarray, rng: np.random.Generator, targets: dict[str, float], blocks: Blocks):
    """Block by block, the candidate piece that keeps the level so far closest to the targets → (latent, evaluations)."""
    pool = [latent] + [rng.standard_normal(latent.shape, dtype=np.float32) for _ in range(COMPOSE_CANDIDATES - 1)]
    grids = decode(pool)
    composed, level = latent.copy(), grids[0].copy()
    for (lo, hi), (start, stop) in zip(blocks.latent_ranges, blocks.column_ranges):
        best_score, best_pick = np.inf, 0
        for pick, grid in enumerate(grids):
            level[:, start:stop] = grid[:, start:stop]
            score = target_score(expressive_range(level[:, :stop], vocabulary), targets)
            if score < best_score:
                best_score, best_pick = score, pick
        level[:, start:stop] = grids[best_pick][:, start:stop]
        index = [slice(None)] * latent.ndim
        index[blocks.axis] = slice(lo, hi)
        composed[tuple(index)] = pool[best_pick][tuple(index)]
    return composed, len(pool) - 1
