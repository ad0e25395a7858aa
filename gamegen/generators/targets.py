"""Controllable generation: a latent whose level meets expressive-range targets.

``targets`` maps measures of ``gamegen.play.expressive`` (density, leniency,
linearity) to wanted values. CMA-ES searches a 16-dimensional subspace of the
latent around the seed's own latent (a fixed random basis drawn from the
seed), scoring each candidate by its worst measure in units of that measure's
tolerance; a score ≤ 1 is a hit. The budget is a number of evaluations, not
seconds, so the result stays a function of the seed and the targets alone
(a time budget would make it depend on the machine's speed).
"""

from __future__ import annotations

import numbers

import numpy as np

from ..cmaes import CMAES
from ..errors import InvalidRequest
from ..play.expressive import MEASURES, expressive_range

__all__ = ["TOLERANCE", "EVALUATIONS", "check_targets", "parse_targets", "search_latent", "target_score"]

TOLERANCE = {"density": 0.02, "leniency": 0.05, "linearity": 0.05}  # absolute, per measure
EVALUATIONS = 240  # 20 generations of 12
SUBSPACE = 16
STEP = 0.6  # initial CMA-ES step, in latent standard deviations along the basis


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


def search_latent(decode, vocabulary, latent: np.ndarray, seed: int, targets: dict[str, float]):
    """CMA-ES from ``latent`` → (best latent, its measures, its score, evaluations used).

    ``decode`` maps a list of latents to a list of grids in one inference.
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 0x7A6E7])))
    basis = rng.standard_normal((SUBSPACE, latent.size)).astype(np.float32)
    es = CMAES(np.zeros(SUBSPACE), STEP, rng, population=12)
    best = (np.inf, latent, None)
    used = 0
    while used < EVALUATIONS:
        candidates = es.ask()  # (λ, SUBSPACE)
        latents = [(latent.ravel() + (w.astype(np.float32) @ basis)).reshape(latent.shape) for w in candidates]
        measures = [expressive_range(grid, vocabulary) for grid in decode(latents)]
        scores = np.array([target_score(m, targets) for m in measures])
        used += len(latents)
        i = int(np.argmin(scores))
        if scores[i] < best[0]:
            best = (float(scores[i]), latents[i], measures[i])
        if best[0] <= 0.5:  # comfortably inside the tolerance: repair may move it a little
            break
        es.tell(scores)
    return best[1], best[2], best[0], used
