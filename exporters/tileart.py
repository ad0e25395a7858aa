"""Tile art drawn by code: one 16×16 RGBA image per art recipe, same bytes every run.

A vocabulary names each tile's recipe in its ``art`` field; this module only
knows how to draw recipes, never what a game's symbols mean. Passable things
(enemies, coins) are drawn on transparent pixels so the background shows
through, as it does in Tiled, where the empty tile is no tile at all.

Each tileset's recipes live in a module of their own (``platformer_art``,
``dungeon_art``, ``overworld_art``), drawn with ``pixelart``'s primitives;
this module merges them into one table, so every drawer finds them by name.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from gamegen.exporters.dungeon_art import DUNGEON_RECIPES
from gamegen.exporters.overworld_art import OVERWORLD_RECIPES
from gamegen.exporters.pixelart import BACKGROUND, INK, TILE, Canvas, canvas
from gamegen.exporters.platformer_art import PLATFORMER_RECIPES
from gamegen.tiles import Vocabulary

__all__ = ["TILE", "BACKGROUND", "draw_tile", "tileset_image", "recipes", "background_of"]


def _fallback(name: str) -> Canvas:
    """A recipe this module does not know: a checker in a colour derived from its name."""
    r, g, b = hashlib.sha256(name.encode()).digest()[:3]
    img = canvas((r, g, b, 255))
    img[::2, ::2] = INK
    return img


_RECIPES = {**PLATFORMER_RECIPES, **DUNGEON_RECIPES, **OVERWORLD_RECIPES}


def recipes() -> list[str]:
    return sorted(_RECIPES)


@functools.cache
def _drawn(recipe: str) -> bytes:
    return (_RECIPES[recipe]() if recipe in _RECIPES else _fallback(recipe)).tobytes()


def draw_tile(recipe: str) -> np.ndarray:
    """The (16, 16, 4) RGBA image of ``recipe`` (a fresh array)."""
    return np.frombuffer(_drawn(recipe), dtype=np.uint8).reshape(TILE, TILE, 4).copy()


def background_of(vocabulary: Vocabulary) -> tuple[int, int, int, int]:
    """The map background: the colour of the empty tile's art when that art is one opaque colour (the
    platformer's sky, the dungeon's void), else BACKGROUND."""
    art = draw_tile(vocabulary.tiles[vocabulary.empty_id].art)
    first = art[0, 0]
    if first[3] == 255 and (art == first).all():
        r, g, b, a = (int(v) for v in first)
        return r, g, b, a
    return BACKGROUND


def tileset_image(vocabulary: Vocabulary) -> np.ndarray:
    """All tiles of ``vocabulary`` in one row, in id order → (16, 16·N, 4)."""
    return np.concatenate([draw_tile(tile.art) for tile in vocabulary.tiles], axis=1)
