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


def _brick() -> Canvas:
    img = _canvas(BROWN)
    for y in (3, 7, 11, 15):
        _rect(img, 0, y, 15, y, INK)
    for band, y0 in enumerate((0, 4, 8, 12)):
        for x in ((7, 15) if band % 2 == 0 else (3, 11)):
            _rect(img, x, y0, x, y0 + 2, INK)
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


# -- dungeon tiles (top-down, after The Legend of Zelda's first dungeon) -------

VOID = (12, 12, 20, 255)
FLOOR = (52, 60, 92, 255)
FLOOR_SPECK = (72, 82, 122, 255)
TEAL = (0, 128, 136, 255)
TEAL_DARK = (0, 72, 80, 255)
TEAL_LIGHT = (96, 208, 216, 255)
WATER = (24, 72, 200, 255)
WAVE = (120, 168, 252, 255)
DOORWAY = (20, 20, 28, 255)
WOOD = (136, 72, 28, 255)
MONSTER = (216, 40, 40, 255)


def _void() -> Canvas:
    return _canvas(VOID)


def _dungeon_floor() -> Canvas:
    img = _canvas(FLOOR)
    for x, y in ((3, 3), (11, 3), (7, 7), (3, 11), (11, 11)):
        _rect(img, x, y, x + 1, y + 1, FLOOR_SPECK)
    return img


def _dungeon_wall() -> Canvas:
    img = _canvas(TEAL)
    for y in (3, 7, 11, 15):
        _rect(img, 0, y, 15, y, TEAL_DARK)
    for band, y0 in enumerate((0, 4, 8, 12)):
        for x in ((5, 13) if band % 2 == 0 else (1, 9)):
            _rect(img, x, y0, x, y0 + 2, TEAL_DARK)
    return img


def _bevel(img: Canvas, x0: int, y0: int, x1: int, y1: int) -> None:
    """A raised block: light top and left edges, dark bottom and right ones."""
    _rect(img, x0, y0, x1, y1, TEAL)
    _rect(img, x0, y0, x1, y0 + 1, TEAL_LIGHT)
    _rect(img, x0, y0, x0 + 1, y1, TEAL_LIGHT)
    _rect(img, x0, y1 - 1, x1, y1, TEAL_DARK)
    _rect(img, x1 - 1, y0, x1, y1, TEAL_DARK)


def _dungeon_block() -> Canvas:
    img = _canvas(FLOOR)
    _bevel(img, 0, 0, 15, 15)
    _rect(img, 5, 5, 10, 10, TEAL_DARK)
    _rect(img, 6, 6, 9, 9, TEAL)
    return img


def _waves(img: Canvas) -> None:
    for y in (3, 10):
        for x in range(0, 16, 8):
            _rect(img, x + 1, y, x + 3, y, WAVE)
            _rect(img, x + 4, y + 1, x + 6, y + 1, WAVE)


def _dungeon_water() -> Canvas:
    img = _canvas(WATER)
    _waves(img)
    return img


def _dungeon_element_floor() -> Canvas:
    """Floor over the element: water at the edges, a walkable slab in the middle."""
    img = _dungeon_water()
    _rect(img, 2, 2, 13, 13, FLOOR)
    _rect(img, 2, 2, 13, 2, FLOOR_SPECK)
    _rect(img, 7, 7, 8, 8, FLOOR_SPECK)
    return img


def _dungeon_element_block() -> Canvas:
    img = _dungeon_water()
    _bevel(img, 2, 2, 13, 13)
    return img


def _dungeon_door() -> Canvas:
    img = _canvas(DOORWAY)
    for x, y in ((0, 0), (15, 0), (0, 15), (15, 15)):
        img[y, x] = TEAL_DARK
    return img


def _dungeon_locked_door() -> Canvas:
    img = _canvas(WOOD)
    for y in (2, 13):
        _rect(img, 0, y, 15, y + 1, STEEL)
    _rect(img, 6, 5, 9, 8, GOLD)  # the keyhole plate
    _rect(img, 7, 6, 8, 10, INK)
    return img


def _dungeon_stair() -> Canvas:
    img = _canvas(INK)
    for step, shade in enumerate((200, 160, 120, 80)):
        y0 = 1 + step * 4
        _rect(img, 1 + step, y0, 14 - step, y0 + 2, (shade, shade, shade + 16, 255))
    return img


DUNGEON_MONSTER = [
    "................",
    "................",
    "......RRRR......",
    "....RRRRRRRR....",
    "...RRWWRRWWRR...",
    "...RRWKRRKWRR...",
    "..RRRRRRRRRRRR..",
    "..RRRRRKKRRRRR..",
    "..RRRRKKKKRRRR..",
    "...RRRRRRRRRR...",
    "...RR.RR.RR.RR..",
    "..RR..RR..RR.RR.",
    "................",
    "................",
    "................",
    "................",
]


def _dungeon_monster() -> Canvas:
    img = _dungeon_floor()  # opaque: the void behind a room must not show through a monster
    _mask(img, DUNGEON_MONSTER, {"R": MONSTER, "W": WHITE, "K": INK})
    return img


DUNGEON_KEY = [
    "................",
    "................",
    "................",
    "....GGGG........",
    "...GG..GG.......",
    "...GG..GG.......",
    "....GGGGGGGGGGG.",
    "...........G.G..",
    "...........G.G..",
    "................",
    "................",
    "................",
    "................",
    "................",
    "................",
    "................",
]


def _dungeon_key() -> Canvas:
    img = _dungeon_floor()
    _mask(img, DUNGEON_KEY, {"G": COIN})
    return img


DUNGEON_BOSS = [
    "......GG..GG....",
    ".....GGGGGGGG...",
    "....GGWKGGWKGG..",
    "....GGGGGGGGGG..",
    "...GGGYYYYYYGGG.",
    "..GGGGYYYYYYGGGG",
    ".GGGGGGGGGGGGGG.",
    "GGGGGGGGGGGGGG..",
    "GG.GGGGGGGGGGG..",
    "...GGGGGGGGGGGG.",
    "...GGGG..GGGGGG.",
    "..GGGG....GGGG..",
    "..KKK......KKK..",
    "................",
    "................",
    "................",
]


def _dungeon_boss() -> Canvas:
    img = _dungeon_floor()
    _mask(img, DUNGEON_BOSS, {"G": (40, 160, 56, 255), "Y": (232, 208, 96, 255), "W": WHITE, "K": INK})
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
    "void": _void,
    "dungeon-floor": _dungeon_floor,
    "dungeon-block": _dungeon_block,
    "dungeon-monster": _dungeon_monster,
    "dungeon-water": _dungeon_water,
    "dungeon-element-floor": _dungeon_element_floor,
    "dungeon-element-block": _dungeon_element_block,
    "dungeon-door": _dungeon_door,
    "dungeon-stair": _dungeon_stair,
    "dungeon-wall": _dungeon_wall,
    "dungeon-locked-door": _dungeon_locked_door,
    "dungeon-key": _dungeon_key,
    "dungeon-boss": _dungeon_boss,
}


def recipes() -> list[str]:
    return sorted(_RECIPES)


@functools.lru_cache(maxsize=None)
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
        return tuple(int(v) for v in first)
    return BACKGROUND


def tileset_image(vocabulary: Vocabulary) -> np.ndarray:
    """All tiles of ``vocabulary`` in one row, in id order → (16, 16·N, 4)."""
    return np.concatenate([draw_tile(tile.art) for tile in vocabulary.tiles], axis=1)


# The overworld vocabulary's recipes live in their own module; merged here, so every drawer finds them by name.
from .overworld_art import OVERWORLD_RECIPES  # noqa: E402

_RECIPES.update(OVERWORLD_RECIPES)
