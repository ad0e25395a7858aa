"""Seeds: validation and the one random generator made from each."""

from __future__ import annotations

import numbers

import numpy as np

from .errors import InvalidRequest

MAX_SEED = 2**63  # exclusive: seeds are any integer in [0, 2**63)


def check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise InvalidRequest(f"seed must be an integer in [0, 2**63), got {seed!r}")
    if not 0 <= int(seed) < MAX_SEED:
        raise InvalidRequest(f"seed {seed} is outside [0, 2**63)")
    return int(seed)


def rng_for(seed: int) -> np.random.Generator:
    """The generator of one item: made once from its seed and handed down."""
    return np.random.Generator(np.random.PCG64(check_seed(seed)))


def check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidRequest(f"{name} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise InvalidRequest(f"{name} {value} is outside [{low}, {high}]")
    return int(value)
