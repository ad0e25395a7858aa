"""The PNG preview as an exporter (integer scale, option ``scale=N``; provenance in tEXt chunks)."""

from __future__ import annotations

import json

from gamegen.errors import InvalidRequest
from gamegen.exporters.preview import MAX_SCALE, draw_path, png_bytes, render_map
from gamegen.tiles import TileMap

__all__ = ["PngExporter"]


class PngExporter:
    name = "png"
    extension = "png"
    description = "PNG preview drawn with the project's tile art; options: scale=N, path (draw the agent's path)"

    def __init__(self, scale: int = 1, path: bool = False):
        if not isinstance(scale, int) or isinstance(scale, bool) or not 1 <= scale <= MAX_SCALE:
            raise InvalidRequest(f"png scale must be an integer in [1, {MAX_SCALE}], got {scale!r}")
        self.scale = scale
        self.path = bool(path)

    def export(self, level: TileMap) -> bytes:
        pixels = render_map(level, self.scale)
        if self.path:
            pixels = draw_path(pixels, agent_path(level), self.scale)
        return png_bytes(pixels, {"gamegen:provenance": json.dumps(level.provenance, sort_keys=True)})


def agent_path(level: TileMap) -> list[tuple[int, int]]:
    """The platformer agent's path through ``level`` (empty where it cannot finish, or for other content)."""
    if not {"solid"} <= {tag for tile in level.vocabulary.tiles for tag in tile.tags}:
        return []
    from gamegen.platformer import PlatformerAgent

    return PlatformerAgent(level.vocabulary).play(level).path
