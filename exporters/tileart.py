"""Tile art drawn by code: one 16×16 RGBA image per art recipe, same bytes every run.

A vocabulary names each tile's recipe in its ``art`` field; this module only
knows how to draw recipes, never what a game's symbols mean. Passable things
(enemies, coins) are drawn on transparent pixels so the background shows
through, as it does in Tiled, where the empty tile is no tile at all.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from gamegen.tiles import Vocabulary

__all__ = ["TILE", "BACKGROUND", "draw_tile", "tileset_image", "recipes", "background_of"]

TILE = 16
BACKGROUND = (92, 148, 252, 255)  # sky blue: the map background behind every tile

INK = (0, 0, 0, 255)
BROWN = (200, 76, 12, 255)
TAN = (252, 188, 176, 255)
GOLD = (252, 152, 56, 255)
DARK_GOLD = (172, 92, 20, 255)
USED = (136, 72, 28, 255)
GREEN = (0, 168, 0, 255)
LIGHT_GREEN = (128, 208, 16, 255)
DARK_GREEN = (0, 92, 0, 255)
WHITE = (252, 252, 252, 255)
COIN = (252, 216, 40, 255)
STEEL = (60, 60, 68, 255)
GREY = (120, 120, 128, 255)

Canvas = np.ndarray  # (16, 16, 4) uint8


def _canvas(fill=(0, 0, 0, 0)) -> Canvas:
    img = np.zeros((TILE, TILE, 4), dtype=np.uint8)
    img[:, :] = fill
    return img


def _rect(img: Canvas, x0: int, y0: int, x1: int, y1: int, colour) -> None:
    """Fill the inclusive pixel rectangle (x0, y0)-(x1, y1)."""
    img[y0 : y1 + 1, x0 : x1 + 1] = colour


def _mask(img: Canvas, rows: list[str], colours: dict[str, tuple]) -> None:
    """Paint a 16-line character mask; '.' leaves the pixel as it is."""
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if ch in colours:
                img[y, x] = colours[ch]


def _sky() -> Canvas:
    return _canvas(BACKGROUND)


def _ground() -> Canvas:
    img = _canvas(BROWN)
    _rect(img, 0, 0, 15, 0, TAN)
    _rect(img, 0, 0, 0, 15, TAN)
    _rect(img, 0, 15, 15, 15, INK)
    _rect(img, 15, 0, 15, 15, INK)
    _rect(img, 1, 7, 7, 7, INK)  # the crack of the SMB ground block
    _rect(img, 7, 1, 7, 7, INK)
    _rect(img, 8, 8, 8, 14, TAN)
    return img


def _courses(img: Canvas, mortar, even_joints: tuple[int, int], odd_joints: tuple[int, int]) -> None:
    """Four courses of bricks: a mortar line under each, vertical joints staggered from course to course."""
    for y in (3, 7, 11, 15):
        _rect(img, 0, y, 15, y, mortar)
    for band, y0 in enumerate((0, 4, 8, 12)):
        for x in (even_joints if band % 2 == 0 else odd_joints):
            _rect(img, x, y0, x, y0 + 2, mortar)


def _brick() -> Canvas:
    img = _canvas(BROWN)
    _courses(img, INK, (7, 15), (3, 11))
    _rect(img, 0, 0, 15, 0, TAN)
    return img


def _block(fill, border, rivet) -> Canvas:
    img = _canvas(fill)
    _rect(img, 0, 0, 15, 0, border)
    _rect(img, 0, 15, 15, 15, INK)
    _rect(img, 0, 0, 0, 15, border)
    _rect(img, 15, 0, 15, 15, INK)
    for x, y in ((2, 2), (13, 2), (2, 13), (13, 13)):
        img[y, x] = rivet
    return img


QUESTION_MARK = [
    "................",
    "................",
    "................",
    "......XXXX......",
    ".....XX..XX.....",
    ".....XX..XX.....",
    ".........XX.....",
    "........XX......",
    ".......XX.......",
    ".......XX.......",
    "................",
    ".......XX.......",
    ".......XX.......",
    "................",
    "................",
    "................",
]


def _question() -> Canvas:
    img = _block(GOLD, TAN, INK)
    _mask(img, QUESTION_MARK, {"X": DARK_GOLD})
    return img


def _used() -> Canvas:
    return _block(USED, BROWN, INK)


ENEMY = [
    "................",
    "......BBBB......",
    "....BBBBBBBB....",
    "...BBBBBBBBBB...",
    "..BBWWBBBBWWBB..",
    ".BBBWKBBBBKWBBB.",
    ".BBBWKBBBBKWBBB.",
    "BBBBBBBBBBBBBBBB",
    "BBBBBBBBBBBBBBBB",
    ".BBBBTTTTTTBBBB.",
    "....TTTTTTTT....",
    "....TTTTTTTT....",
    "..KKKTTTTTTKKK..",
    ".KKKKKT..TKKKKK.",
    ".KKKKK....KKKKK.",
    "................",
]


def _enemy() -> Canvas:
    img = _canvas()
    _mask(img, ENEMY, {"B": (172, 60, 20, 255), "W": WHITE, "K": INK, "T": TAN})
    return img


def _coin() -> Canvas:
    img = _canvas()
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    inside = ((xx - 7.5) / 4.5) ** 2 + ((yy - 7.5) / 6.5) ** 2
    img[inside <= 1.0] = INK
    img[inside <= 0.72] = COIN
    _rect(img, 7, 4, 8, 11, GOLD)
    return img


def _pipe(left: bool, top: bool) -> Canvas:
    """Pipe quarters: the top is a full-width lip, the body is inset by 2 pixels, so tops and bodies join."""
    img = _canvas()
    x0, x1 = (0, 15) if top else ((2, 15) if left else (0, 13))
    _rect(img, x0, 0, x1, 15, GREEN)
    outer = x0 if left else x1
    _rect(img, outer, 0, outer, 15, INK)
    if top:
        _rect(img, x0, 0, x1, 0, INK)
        _rect(img, x0, 15, x1, 15, INK)
    if left:
        _rect(img, outer + 2, 1 if top else 0, outer + 4, 14 if top else 15, LIGHT_GREEN)
    else:
        _rect(img, outer - 3, 1 if top else 0, outer - 1, 14 if top else 15, DARK_GREEN)
    return img


def _cannon_top() -> Canvas:
    img = _canvas()
    _rect(img, 2, 1, 13, 15, STEEL)
    _rect(img, 1, 3, 14, 12, STEEL)
    _rect(img, 2, 1, 13, 1, GREY)
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    img[((xx - 7.5) ** 2 + (yy - 7.5) ** 2) <= 9] = WHITE  # the Bullet Bill emblem
    img[((xx - 7.5) ** 2 + (yy - 7.5) ** 2) <= 3] = INK
    return img


def _cannon_base() -> Canvas:
    img = _canvas()
    _rect(img, 3, 0, 12, 15, STEEL)
    _rect(img, 4, 0, 5, 15, GREY)
    _rect(img, 3, 15, 12, 15, INK)
    return img


def _fallback(name: str) -> Canvas:
    """A recipe this module does not know: a checker in a colour derived from its name."""
    r, g, b = hashlib.sha256(name.encode()).digest()[:3]
    img = _canvas((r, g, b, 255))
    img[::2, ::2] = INK
    return img


_RECIPES = {
    "sky": _sky,
    "ground": _ground,
    "brick": _brick,
    "question": _question,
    "used": _used,
    "enemy": _enemy,
    "coin": _coin,
    "pipe-top-left": lambda: _pipe(left=True, top=True),
    "pipe-top-right": lambda: _pipe(left=False, top=True),
    "pipe-body-left": lambda: _pipe(left=True, top=False),
    "pipe-body-right": lambda: _pipe(left=False, top=False),
    "cannon-top": _cannon_top,
    "cannon-base": _cannon_base,
}


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


# The dungeon and overworld vocabularies' recipes live in their own modules; merged here, so every drawer finds them by name.
from gamegen.exporters.dungeon_art import DUNGEON_RECIPES  # noqa: E402
from gamegen.exporters.overworld_art import OVERWORLD_RECIPES  # noqa: E402

_RECIPES.update(DUNGEON_RECIPES)
_RECIPES.update(OVERWORLD_RECIPES)
