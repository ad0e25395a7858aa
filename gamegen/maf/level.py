"""A gamegen platformer TileMap as Mario AI Framework level text.

MAF reads VGLC's Super Mario Bros text with two extra characters: ``M`` where
Mario starts and ``F`` for the flag (a win is Mario's centre passing the left
edge of the flag's column). A few symbols mean other things to MAF than to
VGLC (VGLC's ``Q`` is a used block, MAF's a full one); the table is data, in
``platformer-symbols.json``.

The start is gamegen's: the level's ``start`` object when it has one, else the
lowest standing spot of the leftmost column that has one (as the in-process
agent, ``gamegen.platformer.agent``). The flag goes in the last column, on its
lowest standing spot (on the ground), else on its lowest free tile.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.platformer.agent import standing_spots
from gamegen.tiles import TileMap

__all__ = ["to_maf_text", "start_spot", "flag_spot", "symbol_table"]


@functools.cache
def symbol_table() -> dict[str, str]:
    """gamegen platformer symbol → MAF character."""
    data = json.loads((resources.files("gamegen.maf") / "platformer-symbols.json").read_text(encoding="utf-8"))
    return {symbol: entry["maf"] for symbol, entry in data["symbols"].items()}


def _solid(level: TileMap) -> np.ndarray:
    return level.vocabulary.mask("solid")[level.grid]


def start_spot(level: TileMap) -> tuple[int, int]:
    """(x, y) of Mario's start; InvalidRequest when the level has nowhere to stand."""
    solid = _solid(level)
    for obj in level.objects:
        if obj.get("name") == "start":
            x, y = int(obj["x"]), int(obj["y"])
            if not (0 <= x < level.width and 0 <= y < level.height) or solid[y, x]:
                raise InvalidRequest(f"the level's start object ({x}, {y}) is outside the map or inside a solid tile")
            return x, y
    stand = standing_spots(solid)
    columns = np.flatnonzero(stand.any(axis=0))
    if len(columns) == 0:
        raise InvalidRequest("the level cannot be judged: it has no tile to stand on (a free tile on a solid one) for Mario's start")
    x = int(columns[0])
    return x, int(np.flatnonzero(stand[:, x])[-1])


def flag_spot(level: TileMap) -> tuple[int, int]:
    """(x, y) of the flag: the last column's lowest standing spot, else its lowest free tile, else its top."""
    solid = _solid(level)
    x = level.width - 1
    for rows in (np.flatnonzero(standing_spots(solid)[:, x]), np.flatnonzero(~solid[:, x])):
        if len(rows):
            return x, int(rows[-1])
    return x, 0  # a solid last column: only the flag's column counts for the win


def to_maf_text(level: TileMap) -> str:
    """The MAF level text of ``level``: mapped symbols, ``M`` at the start, ``F`` in the last column."""
    if not isinstance(level, TileMap):
        raise InvalidRequest(f"MAF text is made from a TileMap, got {type(level).__name__}")
    table = symbol_table()
    missing = sorted({t.symbol for t in level.vocabulary.tiles} - set(table))
    if missing:
        raise InvalidRequest(f"the {level.vocabulary.name} vocabulary has symbols MAF has no tile for: {' '.join(missing)}; judge platformer levels")
    if level.width < 2:
        raise InvalidRequest(f"a level of {level.width} column cannot be judged: Mario needs a start column and a flag column")
    lookup = np.array([ord(table[t.symbol]) for t in level.vocabulary.tiles], dtype=np.uint8)
    chars = lookup[level.grid]  # (H, W) bytes
    (sx, sy), (fx, fy) = start_spot(level), flag_spot(level)
    chars[sy, sx] = ord("M")
    chars[fy, fx] = ord("F")
    return "".join(bytes(row).decode("ascii") + "\n" for row in chars)
