"""Mario AI Framework level text: VGLC text in MAF's symbols, with ``M`` (start) and ``F`` (flag)."""

from __future__ import annotations

from gamegen.exporters._tiled import require_map
from gamegen.maf.level import to_maf_text
from gamegen.tiles import TileMap

__all__ = ["MafExporter"]


class MafExporter:
    name = "maf"
    extension = "maf.txt"
    description = "Mario AI Framework level text (M start, F flag), playable by its engine and agents"

    def export(self, level: TileMap) -> bytes:
        return to_maf_text(require_map(level)).encode("ascii")
