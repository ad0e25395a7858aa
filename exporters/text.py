"""The corpus text format: one character per tile, one line per row (VGLC)."""

from __future__ import annotations

from pathlib import Path

from gamegen.errors import DataError
from gamegen.exporters._input import read_limited
from gamegen.exporters._tiled import require_map
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["TextExporter", "read_text"]


class TextExporter:
    name = "txt"
    extension = "txt"
    description = "corpus text: one character per tile (VGLC format)"

    def export(self, level: TileMap) -> bytes:
        return require_map(level).to_text().encode("ascii")


def read_text(path: Path | str, vocabulary: Vocabulary | str = "platformer") -> TileMap:
    path = Path(path)
    try:
        text = read_limited(path).decode("ascii")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not a corpus text map: {exc}") from None
    try:
        return TileMap.from_text(text, vocabulary, {"source": path.name})
    except ValueError as exc:
        raise DataError(f"{path}: {exc}") from None
