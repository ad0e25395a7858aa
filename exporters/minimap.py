"""The minimap: a PNG with one pixel (or scale×scale) per tile, in the mean colour of the tile's art.

A 16-pixel-per-tile preview of a 1024×1024 overworld would be 268 million
pixels; the minimap of a 4096×4096 one is 16.7 million. Colours come from the
same art as every other exporter (each tile drawn over the background, then
averaged), so a minimap and a full preview agree.
"""

from __future__ import annotations

import json

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.exporters.preview import MAX_PIXELS, MAX_SCALE, composited_atlas, png_bytes
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["MinimapExporter", "tile_colours", "render_minimap"]


def tile_colours(vocabulary: Vocabulary) -> np.ndarray:
    """(T, 4) uint8: each tile's art over the background, averaged (rounded half up)."""
    atlas = composited_atlas(vocabulary).astype(np.uint32)  # (T, 16, 16, 4)
    pixels = atlas.shape[1] * atlas.shape[2]
    return ((atlas.sum(axis=(1, 2)) + pixels // 2) // pixels).astype(np.uint8)


def render_minimap(level: TileMap, scale: int = 1) -> np.ndarray:
    """(H·scale, W·scale, 4) RGBA pixels."""
    if not isinstance(level, TileMap):
        raise InvalidRequest(f"a minimap needs a TileMap, got {type(level).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise InvalidRequest(f"minimap scale must be an integer in [1, {MAX_SCALE}], got {scale!r}")
    if level.width * level.height * scale * scale > MAX_PIXELS:
        raise InvalidRequest(f"a {level.width}x{level.height} minimap at scale {scale} is too large; use a smaller scale")
    image = tile_colours(level.vocabulary)[level.grid]  # (H, W, 4)
    if scale > 1:
        image = image.repeat(scale, axis=0).repeat(scale, axis=1)
    return image


class MinimapExporter:
    name = "minimap"
    extension = "minimap.png"
    description = "PNG overview, one pixel per tile in the mean colour of its art (for maps too large for png); option scale=N"

    def __init__(self, scale: int = 1):
        if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
            raise InvalidRequest(f"minimap scale must be an integer in [1, {MAX_SCALE}], got {scale!r}")
        self.scale = scale

    def export(self, level: TileMap) -> bytes:
        return png_bytes(render_minimap(level, self.scale), {"gamegen:provenance": json.dumps(level.provenance, sort_keys=True)})
