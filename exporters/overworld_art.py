"""Tile art of the overworld vocabulary, drawn by code like ``tileart``'s platformer tiles.

Each recipe returns a (16, 16, 4) RGBA canvas; every overworld tile is opaque,
so a map reads the same over any background. The empty tile (never generated)
uses ``tileart``'s own ``void``. ``tileart`` merges these recipes
into its table, so exporters, the viewer and the minimap draw them by name.
"""

from __future__ import annotations

import numpy as np

from gamegen.exporters.pixelart import INK, TILE, canvas, mask, rect

__all__ = ["OVERWORLD_RECIPES"]

DEEP = (24, 56, 148, 255)
DEEP_WAVE = (44, 84, 180, 255)
SHALLOW = (56, 116, 208, 255)
SHALLOW_WAVE = (104, 160, 232, 255)
RIVER = (72, 148, 228, 255)
RIVER_FLOW = (150, 200, 244, 255)
SAND = (232, 212, 148, 255)
SAND_DOT = (200, 176, 112, 255)
GRASS = (108, 180, 72, 255)
GRASS_TUFT = (76, 148, 52, 255)
CANOPY = (36, 116, 48, 255)
CANOPY_LIGHT = (64, 148, 64, 255)
TRUNK = (108, 68, 36, 255)
HILL = (148, 140, 88, 255)
HILL_SHADE = (116, 108, 64, 255)
ROCK = (120, 112, 112, 255)
ROCK_LIGHT = (164, 156, 156, 255)
ROCK_DARK = (84, 76, 80, 255)
SNOW = (244, 244, 250, 255)
SNOW_SHADE = (200, 212, 236, 255)
ROOF = (196, 56, 40, 255)
WALL = (236, 220, 184, 255)
FLAG = (252, 196, 0, 255)
CAVE = (28, 20, 24, 255)


def _speckle(img: np.ndarray, points: list[tuple[int, int]], colour) -> None:
    for x, y in points:
        img[y, x] = colour


def _water(fill, wave) -> np.ndarray:
    img = canvas(fill)
    for x0, y in ((2, 4), (9, 10)):  # two short wave crests
        rect(img, x0, y, x0 + 3, y, wave)
        img[y - 1, x0 + 4] = wave
    return img


def _river() -> np.ndarray:
    img = canvas(RIVER)
    _speckle(img, [(3, 3), (4, 3), (10, 6), (11, 6), (5, 11), (6, 11), (12, 13)], RIVER_FLOW)
    return img


def _beach() -> np.ndarray:
    img = canvas(SAND)
    _speckle(img, [(2, 2), (7, 5), (12, 3), (4, 9), (10, 11), (14, 8), (6, 14), (1, 12)], SAND_DOT)
    return img


def _grass(fill=GRASS) -> np.ndarray:
    img = canvas(fill)
    for x, y in ((3, 4), (11, 2), (7, 9), (13, 12), (2, 13)):  # little V-shaped tufts
        img[y, x] = GRASS_TUFT
        img[y - 1, x - 1] = GRASS_TUFT
        img[y - 1, x + 1] = GRASS_TUFT
    return img


TREE = [
    "................",
    "......CCCC......",
    "....CCLLCCCC....",
    "...CCLLCCCCCC...",
    "..CCLLCCCCCCCC..",
    "..CCLCCCCCCCCC..",
    ".CCCCCCCCCCCCCC.",
    ".CCCCCCCCCCCCCK.",
    ".CCCCCCCCCCCCKK.",
    "..CCCCCCCCCCKK..",
    "...KCCCCCCCKK...",
    "....KKKTTKKK....",
    ".......TT.......",
    ".......TT.......",
    "......TTTT......",
    "................",
]


def _forest() -> np.ndarray:
    img = canvas(GRASS)
    mask(img, TREE, {"C": CANOPY, "L": CANOPY_LIGHT, "K": (24, 84, 36, 255), "T": TRUNK})
    return img


def _hills() -> np.ndarray:
    img = canvas(GRASS)
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    for cx, cy, r in ((5, 9, 4), (11, 12, 4)):  # two round mounds, flat at the foot
        inside = (((xx - cx) ** 2 + ((yy - cy) * 1.3) ** 2) <= r * r) & (yy <= cy + 2)
        img[inside] = HILL
        img[inside & (xx > cx + 1)] = HILL_SHADE
    return img


def _mountain() -> np.ndarray:
    img = canvas(HILL)
    for y in range(2, 16):  # a triangle peak, lit from the left
        half = (y - 1) * 7 // 14
        rect(img, 8 - half, y, 7, y, ROCK_LIGHT)
        rect(img, 8, y, 7 + half, y, ROCK_DARK if y > 3 else ROCK)
    rect(img, 7, 2, 8, 4, SNOW)
    return img


def _snow() -> np.ndarray:
    img = canvas(SNOW)
    _speckle(img, [(3, 5), (4, 5), (11, 3), (12, 3), (8, 10), (9, 10), (2, 13), (13, 12)], SNOW_SHADE)
    return img


HOUSE = [
    "................",
    "................",
    ".......RR.......",
    "......RRRR......",
    ".....RRRRRR.....",
    "....RRRRRRRR....",
    "...RRRRRRRRRR...",
    "..RRRRRRRRRRRR..",
    "...WWWWWWWWWW...",
    "...WWKKWWWWWW...",
    "...WWKKWWDDWW...",
    "...WWWWWWDDWW...",
    "...WWWWWWDDWW...",
    "...KKKKKKKKKK...",
    "................",
    "................",
]


def _town() -> np.ndarray:
    img = _grass()
    mask(img, HOUSE, {"R": ROOF, "W": WALL, "K": INK, "D": TRUNK})
    return img


def _level_entrance() -> np.ndarray:
    img = _grass()
    rect(img, 4, 2, 4, 14, INK)  # the pole
    rect(img, 5, 2, 11, 6, FLAG)  # the flag
    rect(img, 5, 6, 11, 6, (196, 140, 0, 255))
    rect(img, 2, 14, 7, 14, ROCK_DARK)
    return img


def _dungeon_entrance() -> np.ndarray:
    img = canvas(ROCK)
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    arch = ((xx - 7.5) ** 2 + ((yy - 11) * 0.9) ** 2) <= 30
    img[arch & (yy >= 5)] = CAVE
    rect(img, 0, 0, 15, 1, ROCK_LIGHT)
    _speckle(img, [(1, 4), (14, 6), (2, 12), (13, 13)], ROCK_DARK)
    img[15, :] = ROCK_DARK
    return img


OVERWORLD_RECIPES = {
    "deep-water": lambda: _water(DEEP, DEEP_WAVE),
    "shallow-water": lambda: _water(SHALLOW, SHALLOW_WAVE),
    "river": _river,
    "beach": _beach,
    "grass": _grass,
    "forest": _forest,
    "hills": _hills,
    "mountain": _mountain,
    "snow": _snow,
    "town": _town,
    "level-entrance": _level_entrance,
    "dungeon-entrance": _dungeon_entrance,
}
