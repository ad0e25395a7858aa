"""Overworld terrain of any region of an endless world: elevation, moisture, biomes, rivers.

    seed ──PCG64──> noise offsets, river key
    (x, y) tile ──> elevation = fractal(x/scale + ox, y/scale + oy)      (octaves, persistence, lacunarity)
               ──> moisture  = fractal(x/moisture_scale + mx, ...)     (moisture_octaves)
               ──> biome by the thresholds of vocabularies/overworld.json ("biomes")
               ──> river tiles from gamegen.overworld.rivers, on land only

Every tile is a function of the seed, the parameters and its own absolute
coordinates, so ``terrain(seed, params, x0, y0, w, h)`` of any region equals
the same window of any larger region. The noise lattice wraps every 256 units
(Perlin's permutation), so the world repeats every 256·scale tiles;
coordinates are limited to ±COORD_LIMIT tiles.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, fields, replace
from importlib import resources
from typing import Any

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.overworld.perlin import fractal_grid, fractal_points
from gamegen.overworld.rivers import RiverNetwork, river_mask, river_network
from gamegen.tiles import Vocabulary, load_vocabulary

__all__ = ["TerrainParams", "Terrain", "terrain", "biome_rules", "COORD_LIMIT", "VOCABULARY"]

VOCABULARY = "overworld"
COORD_LIMIT = 1 << 24  # tiles from the origin, either way, on each axis
REPEAT = 1024.0  # noise's default lattice wrap


@dataclass(frozen=True)
class TerrainParams:
    """The knobs of the terrain; the defaults make continents a few hundred tiles across."""

    scale: float = 256.0  # tiles per unit of the first elevation octave
    octaves: int = 6
    persistence: float = 0.5  # amplitude ratio of successive octaves
    lacunarity: float = 2.0  # frequency ratio of successive octaves
    moisture_scale: float = 320.0
    moisture_octaves: int = 4
    rivers: bool = True
    river_density: float = 0.2  # share of high land nodes that start a river

    def checked(self) -> TerrainParams:
        def number(name: str, low: float, high: float) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise InvalidRequest(f"{name} must be a number in [{low}, {high}], got {value!r}")

        def integer(name: str, low: int, high: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
                raise InvalidRequest(f"{name} must be an integer in [{low}, {high}], got {value!r}")

        number("scale", 8, 4096)
        number("moisture_scale", 8, 4096)
        integer("octaves", 1, 10)
        integer("moisture_octaves", 1, 10)
        number("persistence", 0.05, 1.0)
        number("lacunarity", 1.25, 4.0)
        number("river_density", 0.0, 1.0)
        if not isinstance(self.rivers, bool):
            raise InvalidRequest(f"rivers is true or false, got {self.rivers!r}")
        floats: dict[str, Any] = {f.name: float(getattr(self, f.name)) for f in fields(self) if f.type == "float"}
        return replace(self, **floats)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@functools.lru_cache(maxsize=1)
def biome_rules() -> dict[str, float]:
    """The thresholds of the overworld vocabulary file (its ``biomes`` table)."""
    data = json.loads((resources.files("gamegen") / "vocabularies" / f"{VOCABULARY}.json").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data["biomes"].items() if k != "description"}


@dataclass
class Terrain:
    """One region's fields: tile ids, elevation, moisture, river tiles, and the rivers near it."""

    x0: int
    y0: int
    ids: np.ndarray  # (H, W) int16 overworld tile ids
    elevation: np.ndarray  # (H, W) float32
    moisture: np.ndarray  # (H, W) float32
    river: np.ndarray  # (H, W) bool: river tiles (on land)
    network: RiverNetwork | None


def _offsets(seed: int) -> tuple[float, float, float, float, int]:
    """Noise offsets (in lattice units, inside one 256-unit period) and the river hash key of a seed."""
    rng = np.random.Generator(np.random.PCG64(seed))
    ox, oy, mx, my = rng.uniform(0.0, 256.0, size=4)
    return float(ox), float(oy), float(mx), float(my), int(rng.integers(0, 2**63))


def check_region(x0: int, y0: int, width: int, height: int) -> None:
    for name, lo, size in (("x", x0, width), ("y", y0, height)):
        if not (lo >= -COORD_LIMIT and lo + size <= COORD_LIMIT):
            raise InvalidRequest(f"tiles {lo}..{lo + size - 1} on {name} run past the world's ±{COORD_LIMIT:,} tile limit")


def classify(elevation: np.ndarray, moisture: np.ndarray, river: np.ndarray, vocab: Vocabulary) -> np.ndarray:
    """Biome ids by the vocabulary's thresholds; rivers over land."""
    rules, tile = biome_rules(), (lambda name: next(t.id for t in vocab.tiles if t.name == name))
    ids = np.full(elevation.shape, tile("grass"), dtype=np.int16)
    ids[moisture > rules["forest_moisture"]] = tile("forest")
    for name, level in (("hills", "hills"), ("mountain", "mountain"), ("snow", "snow")):
        ids[elevation >= rules[level]] = tile(name)
    ids[elevation < rules["beach"]] = tile("beach")
    ids[river & (elevation >= rules["sea_level"])] = tile("river")
    ids[elevation < rules["sea_level"]] = tile("shallow-water")
    ids[elevation < rules["deep_water"]] = tile("deep-water")
    return ids


def terrain(seed: int, params: TerrainParams, x0: int, y0: int, width: int, height: int) -> Terrain:
    """The region [x0, x0+width) × [y0, y0+height) of the world of ``seed`` (arguments already checked)."""
    ox, oy, mx, my, key = _offsets(seed)
    xs, ys = np.arange(x0, x0 + width, dtype=np.float64), np.arange(y0, y0 + height, dtype=np.float64)
    shape = {"persistence": params.persistence, "lacunarity": params.lacunarity, "repeat": REPEAT}
    elevation = fractal_grid(xs / params.scale + ox, ys / params.scale + oy, params.octaves, spacing=1.0 / params.scale, **shape)
    moisture = fractal_grid(xs / params.moisture_scale + mx, ys / params.moisture_scale + my, params.moisture_octaves,
                            spacing=1.0 / params.moisture_scale, **shape)  # fmt: skip
    rules = biome_rules()
    network, river = None, np.zeros((height, width), dtype=bool)
    if params.rivers and params.river_density > 0:

        def elevation_at(px: np.ndarray, py: np.ndarray) -> np.ndarray:
            return fractal_points(px / params.scale + ox, py / params.scale + oy, params.octaves, **shape)

        network = river_network(key, x0, y0, width, height, elevation_at, rules["sea_level"], rules["river_source_min"], params.river_density)
        river = river_mask(key, network, x0, y0, width, height) & (elevation >= rules["sea_level"])
    ids = classify(elevation, moisture, river, load_vocabulary(VOCABULARY))
    return Terrain(x0, y0, ids, elevation, moisture, river, network)
