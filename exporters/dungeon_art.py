"""Tile art of the dungeon vocabulary (top-down, after The Legend of Zelda's first dungeon), drawn by code.

Each recipe returns a (16, 16, 4) RGBA canvas; ``tileart`` merges these
recipes into its table, so exporters and the viewer draw them by name.
"""

from __future__ import annotations

from gamegen.exporters.pixelart import COIN, GOLD, INK, STEEL, WHITE, Canvas, canvas, courses, mask, rect

__all__ = ["DUNGEON_RECIPES"]

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
    return canvas(VOID)


def _dungeon_floor() -> Canvas:
    img = canvas(FLOOR)
    for x, y in ((3, 3), (11, 3), (7, 7), (3, 11), (11, 11)):
        rect(img, x, y, x + 1, y + 1, FLOOR_SPECK)
    return img


def _dungeon_wall() -> Canvas:
    img = canvas(TEAL)
    courses(img, TEAL_DARK, (5, 13), (1, 9))
    return img


def _bevel(img: Canvas, x0: int, y0: int, x1: int, y1: int) -> None:
    """A raised block: light top and left edges, dark bottom and right ones."""
    rect(img, x0, y0, x1, y1, TEAL)
    rect(img, x0, y0, x1, y0 + 1, TEAL_LIGHT)
    rect(img, x0, y0, x0 + 1, y1, TEAL_LIGHT)
    rect(img, x0, y1 - 1, x1, y1, TEAL_DARK)
    rect(img, x1 - 1, y0, x1, y1, TEAL_DARK)


def _dungeon_block() -> Canvas:
    img = canvas(FLOOR)
    _bevel(img, 0, 0, 15, 15)
    rect(img, 5, 5, 10, 10, TEAL_DARK)
    rect(img, 6, 6, 9, 9, TEAL)
    return img


def _waves(img: Canvas) -> None:
    for y in (3, 10):
        for x in range(0, 16, 8):
            rect(img, x + 1, y, x + 3, y, WAVE)
            rect(img, x + 4, y + 1, x + 6, y + 1, WAVE)


def _dungeon_water() -> Canvas:
    img = canvas(WATER)
    _waves(img)
    return img


def _dungeon_element_floor() -> Canvas:
    """Floor over the element: water at the edges, a walkable slab in the middle."""
    img = _dungeon_water()
    rect(img, 2, 2, 13, 13, FLOOR)
    rect(img, 2, 2, 13, 2, FLOOR_SPECK)
    rect(img, 7, 7, 8, 8, FLOOR_SPECK)
    return img


def _dungeon_element_block() -> Canvas:
    img = _dungeon_water()
    _bevel(img, 2, 2, 13, 13)
    return img


def _dungeon_door() -> Canvas:
    img = canvas(DOORWAY)
    for x, y in ((0, 0), (15, 0), (0, 15), (15, 15)):
        img[y, x] = TEAL_DARK
    return img


def _dungeon_locked_door() -> Canvas:
    img = canvas(WOOD)
    for y in (2, 13):
        rect(img, 0, y, 15, y + 1, STEEL)
    rect(img, 6, 5, 9, 8, GOLD)  # the keyhole plate
    rect(img, 7, 6, 8, 10, INK)
    return img


def _dungeon_stair() -> Canvas:
    img = canvas(INK)
    for step, shade in enumerate((200, 160, 120, 80)):
        y0 = 1 + step * 4
        rect(img, 1 + step, y0, 14 - step, y0 + 2, (shade, shade, shade + 16, 255))
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
    mask(img, DUNGEON_MONSTER, {"R": MONSTER, "W": WHITE, "K": INK})
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
    mask(img, DUNGEON_KEY, {"G": COIN})
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
    mask(img, DUNGEON_BOSS, {"G": (40, 160, 56, 255), "Y": (232, 208, 96, 255), "W": WHITE, "K": INK})
    return img


DUNGEON_RECIPES = {
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
