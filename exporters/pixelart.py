"""What every tileset's art is drawn with: the tile size, the shared palette, and a few pixel primitives.

A canvas is one tile's (16, 16, 4) RGBA image; the primitives paint on it in
place. The palette is the platformer's (NES-like); the dungeon and overworld
tilesets borrow its ink, gold and steel and add their own colours.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TILE", "BACKGROUND", "Canvas", "canvas", "rect", "mask", "courses"]

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


def canvas(fill=(0, 0, 0, 0)) -> Canvas:
    img = np.zeros((TILE, TILE, 4), dtype=np.uint8)
    img[:, :] = fill
    return img


def rect(img: Canvas, x0: int, y0: int, x1: int, y1: int, colour) -> None:
    """Fill the inclusive pixel rectangle (x0, y0)-(x1, y1)."""
    img[y0 : y1 + 1, x0 : x1 + 1] = colour


def mask(img: Canvas, rows: list[str], colours: dict[str, tuple]) -> None:
    """Paint a 16-line character mask; '.' leaves the pixel as it is."""
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if ch in colours:
                img[y, x] = colours[ch]


def courses(img: Canvas, mortar, even_joints: tuple[int, int], odd_joints: tuple[int, int]) -> None:
    """Four courses of bricks: a mortar line under each, vertical joints staggered from course to course."""
    for y in (3, 7, 11, 15):
        rect(img, 0, y, 15, y, mortar)
    for band, y0 in enumerate((0, 4, 8, 12)):
        for x in (even_joints if band % 2 == 0 else odd_joints):
            rect(img, x, y0, x, y0 + 2, mortar)
