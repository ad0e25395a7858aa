"""Tile art of the platformer vocabulary (after Super Mario Bros.), drawn by code.

Each recipe returns a (16, 16, 4) RGBA canvas; ``tileart`` merges these
recipes into its table, so exporters and the viewer draw them by name.
"""

from __future__ import annotations

import numpy as np

from gamegen.exporters.pixelart import (
    BACKGROUND,
    BROWN,
    COIN,
    DARK_GOLD,
    DARK_GREEN,
    GOLD,
    GREEN,
    GREY,
    INK,
    LIGHT_GREEN,
    STEEL,
    TAN,
    TILE,
    USED,
    WHITE,
    Canvas,
    canvas,
    courses,
    mask,
    rect,
)

__all__ = ["PLATFORMER_RECIPES"]


def _sky() -> Canvas:
    return canvas(BACKGROUND)


def _ground() -> Canvas:
    img = canvas(BROWN)
    rect(img, 0, 0, 15, 0, TAN)
    rect(img, 0, 0, 0, 15, TAN)
    rect(img, 0, 15, 15, 15, INK)
    rect(img, 15, 0, 15, 15, INK)
    rect(img, 1, 7, 7, 7, INK)  # the crack of the SMB ground block
    rect(img, 7, 1, 7, 7, INK)
    rect(img, 8, 8, 8, 14, TAN)
    return img


def _brick() -> Canvas:
    img = canvas(BROWN)
    courses(img, INK, (7, 15), (3, 11))
    rect(img, 0, 0, 15, 0, TAN)
    return img


def _block(fill, border, rivet) -> Canvas:
    img = canvas(fill)
    rect(img, 0, 0, 15, 0, border)
    rect(img, 0, 15, 15, 15, INK)
    rect(img, 0, 0, 0, 15, border)
    rect(img, 15, 0, 15, 15, INK)
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
    mask(img, QUESTION_MARK, {"X": DARK_GOLD})
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
    img = canvas()
    mask(img, ENEMY, {"B": (172, 60, 20, 255), "W": WHITE, "K": INK, "T": TAN})
    return img


def _coin() -> Canvas:
    img = canvas()
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    inside = ((xx - 7.5) / 4.5) ** 2 + ((yy - 7.5) / 6.5) ** 2
    img[inside <= 1.0] = INK
    img[inside <= 0.72] = COIN
    rect(img, 7, 4, 8, 11, GOLD)
    return img


def _pipe(left: bool, top: bool) -> Canvas:
    """Pipe quarters: the top is a full-width lip, the body is inset by 2 pixels, so tops and bodies join."""
    img = canvas()
    x0, x1 = (0, 15) if top else ((2, 15) if left else (0, 13))
    rect(img, x0, 0, x1, 15, GREEN)
    outer = x0 if left else x1
    rect(img, outer, 0, outer, 15, INK)
    if top:
        rect(img, x0, 0, x1, 0, INK)
        rect(img, x0, 15, x1, 15, INK)
    if left:
        rect(img, outer + 2, 1 if top else 0, outer + 4, 14 if top else 15, LIGHT_GREEN)
    else:
        rect(img, outer - 3, 1 if top else 0, outer - 1, 14 if top else 15, DARK_GREEN)
    return img


def _cannon_top() -> Canvas:
    img = canvas()
    rect(img, 2, 1, 13, 15, STEEL)
    rect(img, 1, 3, 14, 12, STEEL)
    rect(img, 2, 1, 13, 1, GREY)
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    img[((xx - 7.5) ** 2 + (yy - 7.5) ** 2) <= 9] = WHITE  # the Bullet Bill emblem
    img[((xx - 7.5) ** 2 + (yy - 7.5) ** 2) <= 3] = INK
    return img


def _cannon_base() -> Canvas:
    img = canvas()
    rect(img, 3, 0, 12, 15, STEEL)
    rect(img, 4, 0, 5, 15, GREY)
    rect(img, 3, 15, 12, 15, INK)
    return img


PLATFORMER_RECIPES = {
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
