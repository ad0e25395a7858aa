"""Overworld maps from fractal Perlin noise: no model, only a seed and terrain parameters.

    >>> gen = gamegen.load("overworld")                      # model-free: no card, no ONNX file
    >>> world = gen.generate(42, width=1024, height=1024)    # TileMap of the overworld vocabulary
    >>> chunk = gen.generate_chunk(42, cx=3, cy=-2, size=64) # == the same 64x64 window of any larger map

The terrain itself (noise, biomes, rivers) is ``gamegen.overworld``. Any map is
a window of one endless world per seed: ``generate`` is the window at the
origin, ``generate_region`` any window, ``generate_chunk`` the window of chunk
(cx, cy) of a grid of size×size chunks. The world repeats every
256·scale tiles and windows must lie within ±COORD_LIMIT (16,777,216) tiles.

Determinism: the seed goes into ``Generator(PCG64(seed))`` once, for the noise
offsets and the river hash key; every tile is then a function of its own
coordinates, so sizes, origins and batch order never change a tile.
"""

from __future__ import annotations

from dataclasses import dataclass

from gamegen.errors import InvalidRequest
from gamegen.overworld.terrain import COORD_LIMIT, VOCABULARY, Terrain, TerrainParams, check_region, terrain
from gamegen.protocol import Descriptor, GeneratorBase, Options, option, provenance
from gamegen.seeds import check_int, check_seed
from gamegen.tiles import TileMap, load_vocabulary

__all__ = ["OverworldGenerator", "OverworldOptions", "MAX_SIDE", "MAX_CHUNK", "COORD_LIMIT"]

MAX_SIDE = 4096  # tiles a side of one generated map
MAX_CHUNK = 1024  # tiles a side of one chunk
ALGORITHM = "fractal Perlin noise (noise.pnoise2's algorithm, vectorised), biome thresholds, bounded-halo rivers"


@dataclass(frozen=True)
class OverworldOptions(Options):
    """The size of the window at the world's origin (``generate_region`` and ``generate_chunk`` take any window)."""

    width: int = option(256, "Map width in tiles.", low=1, high=MAX_SIDE)
    height: int | None = option(None, "Map height in tiles (default: the width).", type=int, low=1, high=MAX_SIDE)

    def validate(self) -> None:
        if self.height is None:  # resolved here, so provenance and a resumed batch see the real height
            object.__setattr__(self, "height", self.width)


class OverworldGenerator(GeneratorBase[TileMap, OverworldOptions]):
    """Overworld terrain; made by ``gamegen.load("overworld", ...)`` or directly with terrain parameters."""

    options_type = OverworldOptions
    descriptor = Descriptor("overworld", "overworld", "Overworld terrain from fractal Perlin noise: no model, only a seed.",
                            OverworldOptions, None, formats="tmx,minimap")

    def __init__(self, **params):
        try:
            self.params = TerrainParams(**params).checked()
        except TypeError:
            known = ", ".join(TerrainParams.__dataclass_fields__)
            raise InvalidRequest(f"overworld parameters are {known}; got {', '.join(sorted(params))}") from None
        self.vocabulary = load_vocabulary(VOCABULARY)

    def __repr__(self) -> str:
        return f"OverworldGenerator(scale={self.params.scale}, octaves={self.params.octaves})"

    # -- public API -------------------------------------------------------

    def _generate(self, seed: int, options: OverworldOptions) -> TileMap:
        """The ``width`` × ``height`` (default square) window at the world's origin."""
        return self.generate_region(seed, 0, 0, options.width, options.height or options.width)  # height is resolved by validate

    def generate_region(self, seed: int, x: int, y: int, width: int, height: int) -> TileMap:
        """Tiles [x, x+width) × [y, y+height) of the world of ``seed``."""
        seed = check_seed(seed)
        x, y = check_int("x", x, -COORD_LIMIT, COORD_LIMIT), check_int("y", y, -COORD_LIMIT, COORD_LIMIT)
        width, height = check_int("width", width, 1, MAX_SIDE), check_int("height", height, 1, MAX_SIDE)
        check_region(x, y, width, height)
        return self._tilemap(self.terrain(seed, x, y, width, height), seed, {"x": x, "y": y, "width": width, "height": height})

    def generate_chunk(self, seed: int, cx: int, cy: int, size: int = 64) -> TileMap:
        """Chunk (cx, cy) of a grid of ``size``-tile square chunks: tiles [cx·size, (cx+1)·size) × [cy·size, (cy+1)·size).

        Chunk coordinates run from -COORD_LIMIT // size to COORD_LIMIT // size - 1.
        """
        size = check_int("size", size, 1, MAX_CHUNK)
        limit = COORD_LIMIT // size
        cx, cy = check_int("cx", cx, -limit, limit - 1), check_int("cy", cy, -limit, limit - 1)
        level = self.generate_region(seed, cx * size, cy * size, size, size)
        level.provenance["params"].update(chunk=[cx, cy], size=size)
        return level

    def terrain(self, seed: int, x: int, y: int, width: int, height: int) -> Terrain:
        """The raw fields of a window (elevation, moisture, river tiles, river network) beside its tile ids."""
        return terrain(check_seed(seed), self.params, x, y, width, height)

    # -- inside -----------------------------------------------------------

    def _tilemap(self, fields: Terrain, seed: int, window: dict) -> TileMap:
        record = provenance(self.descriptor, seed, {**window, **self.params.to_dict()}, algorithm=ALGORITHM)
        return TileMap(fields.ids, self.vocabulary, record)
