"""Seeds: validation and the one random generator made from each."""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Iterable

import numpy as np

from gamegen.errors import InvalidRequest

__all__ = ["MAX_SEED", "MAX_BATCH", "check_seed", "check_seeds", "rng_for", "check_int"]

MAX_SEED = 2**63  # exclusive: seeds are any integer in [0, 2**63)
MAX_BATCH = 1_000_000  # seeds in one call, as ``gamegen generate --count``: the levels of a call are held in memory


def check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise InvalidRequest(f"seed must be an integer in [0, 2**63), got {seed!r}")
    if not 0 <= int(seed) < MAX_SEED:
        raise InvalidRequest(f"seed {seed} is outside [0, 2**63)")
    return int(seed)


def check_seeds(seeds: Iterable[object]) -> list[int]:
    """A list of checked seeds; an endless or enormous iterable is refused after MAX_BATCH, not exhausted."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise InvalidRequest(f"seeds must be an iterable of integers (a list, a range), got {type(seeds).__name__}")
    if isinstance(seeds, range) and (seeds.stop - seeds.start) // (seeds.step or 1) > MAX_BATCH:  # len() overflows past 2**63
        raise InvalidRequest(f"{(seeds.stop - seeds.start) // seeds.step:,} seeds in one call is more than {MAX_BATCH:,}; split the batch")
    taken = list(itertools.islice(seeds, MAX_BATCH + 1))  # counted before each is checked
    if len(taken) > MAX_BATCH:
        raise InvalidRequest(f"more than {MAX_BATCH:,} seeds in one call; split the batch")
    return [check_seed(s) for s in taken]


def rng_for(seed: int) -> np.random.Generator:
    """The generator of one item: made once from its seed and handed down."""
    return np.random.Generator(np.random.PCG64(check_seed(seed)))


def check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidRequest(f"{name} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise InvalidRequest(f"{name} {value} is outside [{low}, {high}]")
    return int(value)
