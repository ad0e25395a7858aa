"""The PNG preview as an exporter (scale 1 unless configured; provenance in tEXt chunks)."""

from __future__ import annotations

import json

from gamegen.tiles import TileMap

from .preview import png_bytes, render_map

__all__ = ["PngExporter"]


class PngExporter:
    name = "png"
    extension = "png"
    description = "PNG preview drawn with the project's tile art"

    def __init__(self, scale: int = 1):
        self.scale = scale

    def export(self, level: TileMap) -> bytes:
        return png_bytes(render_map(level, self.scale), {"gamegen:provenance": json.dumps(level.provenance, sort_keys=True)})
