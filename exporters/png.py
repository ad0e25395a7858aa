"""The PNG preview as an exporter (integer scale, option ``scale=N``; provenance in tEXt chunks)."""

from __future__ import annotations

import json

from gamegen.errors import InvalidRequest
from gamegen.tiles import TileMap

from .preview import MAX_SCALE, png_bytes, render_map

__all__ = ["PngExporter"]


class PngExporter:
    name = "png"
    extension = "png"
    description = "PNG preview drawn with the project's tile art; option: scale=N"

    def __init__(self, scale: int = 1):
        if not isinstance(scale, int) or isinstance(scale, bool) or not 1 <= scale <= MAX_SCALE:
            raise InvalidRequest(f"png scale must be an integer in [1, {MAX_SCALE}], got {scale!r}")
        self.scale = scale

    def export(self, level: TileMap) -> bytes:
        return png_bytes(render_map(level, self.scale), {"gamegen:provenance": json.dumps(level.provenance, sort_keys=True)})
