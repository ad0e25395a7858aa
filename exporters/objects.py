"""Points a map defines (player start, exit) that exporters write beside the tiles.

A TileMap may carry its own ``objects``; when it carries none, the exporters
ask ``objects_for``, which computes the default markers of the map's
vocabulary. For the side-view platformer vocabulary that is where the player
can stand at each end of the level. The rule reads the vocabulary's ``solid``
tag, never its symbols, and is the playability agent's, so the markers sit where the agent starts.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from gamegen.tiles import TileMap

__all__ = ["standing_spots", "platformer_markers", "objects_for", "DEFAULT_MARKERS"]


def standing_spots(level: TileMap) -> np.ndarray:
    """(H, W) bool: a free cell with a solid cell right below it, by the agent's own rule."""
    from gamegen.platformer.agent import standing_spots as spots_of_solid

    return spots_of_solid(level.vocabulary.mask("solid")[level.grid])


def _lowest_spot(spots: np.ndarray, columns: range) -> tuple[int, int] | None:
    """The lowest standing spot of the first column in ``columns`` that has one → (x, y)."""
    for x in columns:
        rows = np.flatnonzero(spots[:, x])
        if rows.size:
            return x, int(rows[-1])
    return None


def platformer_markers(level: TileMap) -> list[dict[str, Any]]:
    """``start``: the ground spot of the first column a player can stand in; ``exit``: the same from the right.

    The lowest spot is taken because a level starts and ends on the ground, not
    on a floating block. A level with nowhere to stand has no markers.
    """
    spots = standing_spots(level)
    start = _lowest_spot(spots, range(level.width))
    end = _lowest_spot(spots, range(level.width - 1, -1, -1))
    if start is None or end is None:
        return []
    return [{"name": "start", "x": start[0], "y": start[1]}, {"name": "exit", "x": end[0], "y": end[1]}]


# Default markers by vocabulary name; a vocabulary not listed gets none.
DEFAULT_MARKERS: dict[str, Callable[[TileMap], list[dict[str, Any]]]] = {"platformer": platformer_markers}


def _plain(obj: dict[str, Any]) -> dict[str, Any]:
    """A copy with numpy integer positions made Python ints, so every format can write them."""
    out = dict(obj)
    for key in ("x", "y"):
        if isinstance(out.get(key), numbers.Integral) and not isinstance(out[key], bool):
            out[key] = int(out[key])
    return out


def objects_for(level: TileMap) -> list[dict[str, Any]]:
    """The map's own objects (a generator may set them from its playability agent), else its vocabulary's default markers."""
    if level.objects:
        return [_plain(obj) for obj in level.objects]
    markers = DEFAULT_MARKERS.get(level.vocabulary.name)
    return markers(level) if markers else []
