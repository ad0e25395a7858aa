"""Overworld terrain from fractal Perlin noise: noise (``perlin``), rivers (``rivers``), biomes (``terrain``).

The generator that wraps it for users is ``gamegen.overworld.generator``.
"""

from gamegen.overworld.terrain import COORD_LIMIT, Terrain, TerrainParams, biome_rules, terrain

__all__ = ["COORD_LIMIT", "Terrain", "TerrainParams", "biome_rules", "terrain"]
