"""A judged level as a level designer wants to see it: the map, the way the real engine's Mario went, and gamegen's.

    >>> from gamegen.quality.judge_picture import judged_picture
    >>> pixels = judged_picture(level)          # judges the level in MAF, (H·16·2, W·16·2, 4) RGBA
    >>> pixels = judged_picture(level, result)  # a JudgeResult already at hand: no second run

The engine's track (magenta) goes through Mario's body every game tick, so a
jump shows as the arc he flew; gamegen's own agent's path (white, tile
centres) is drawn under it, so where the two part is where they disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from gamegen.exporters.png import agent_path
from gamegen.exporters.preview import draw_path, draw_track, png_bytes, render_map
from gamegen.files import atomic_write_bytes
from gamegen.tiles import TileMap

__all__ = ["ENGINE_COLOUR", "OWN_COLOUR", "judged_picture", "engine_track", "write_judged_pictures"]

ENGINE_COLOUR = (255, 0, 255, 255)  # magenta: no tile of the platformer's art uses it, so the track stands out
OWN_COLOUR = (255, 255, 255, 255)  # as the png exporter's ``path`` option
BODY_LIFT = 0.5  # MAF reports the feet; half a tile up is small Mario's middle, so the line is not lost in the ground


def engine_track(result) -> list[tuple[float, float]]:
    """The real engine's Mario, every tick, as (x, y) in tiles from the map's top-left corner."""
    return [(x, y - BODY_LIFT) for x, y in result.positions]


def judged_picture(level: TileMap, result=None, mode: str = "small", scale: int = 2, own_path: bool = True) -> np.ndarray:
    """RGBA pixels of ``level`` with the engine's track (judged now unless ``result`` is given) and gamegen's path."""
    if result is None:
        from gamegen.maf import judge_levels

        (result,) = judge_levels([level], mode=mode)
    pixels = render_map(level, scale)
    if own_path:
        pixels = draw_path(pixels, agent_path(level), scale, OWN_COLOUR)
    return draw_track(pixels, engine_track(result), scale, ENGINE_COLOUR)


def _name(level: TileMap, index: int, result) -> str:
    seed = level.provenance.get("seed", index)
    return f"judged-{'won' if result.won else 'lost'}-seed-{seed}.png"


def write_judged_pictures(levels: list[TileMap], results: list, out_dir: Path | str, scale: int = 2) -> list[Path]:
    """PNGs of the first won and the first lost level (those that exist) into ``out_dir``; their paths."""
    written = []
    for want in (True, False):
        index = next((i for i, r in enumerate(results) if r.won == want), None)
        if index is None:
            continue
        level, result = levels[index], results[index]
        verdict = {"status": result.status, "cause": result.cause, "completion": result.completion}
        text = {"gamegen:provenance": json.dumps(level.provenance, sort_keys=True), "gamegen:maf": json.dumps(verdict)}
        data = png_bytes(judged_picture(level, result, scale=scale), text)
        written.append(atomic_write_bytes(Path(out_dir) / _name(level, index, result), data))
    return written
