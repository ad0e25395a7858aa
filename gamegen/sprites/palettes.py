"""Named palettes (as data), palette parsing, and colour snapping in CIELAB.

    >>> parse_palette("db16")                    # (16, 3) uint8
    >>> parse_palette(["#000000", (255, 0, 0)])  # a user's colours
    >>> snap_colours(model_palette, parse_palette("pico8"))

A palette is an (N, 3) uint8 array of opaque RGB colours, 1 <= N <= MAX_COLOURS.
Snapping maps each colour to the nearest palette colour in CIELAB (D65), which
matches how different two colours look better than RGB distance does.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Sequence

import numpy as np

from gamegen.errors import InvalidRequest

__all__ = ["PALETTES", "ALIASES", "MAX_COLOURS", "parse_palette", "palette_name", "snap_colours", "rgb_to_lab", "hex_colour"]

MAX_COLOURS = 256

# DawnBringer's 16-colour palette (2011), DawnBringer's 32-colour palette (2012), and PICO-8's 16 colours.
PALETTES: dict[str, tuple[str, ...]] = {
    "db16": (
        "#140c1c", "#442434", "#30346d", "#4e4a4e", "#854c30", "#346524", "#d04648", "#757161",
        "#597dce", "#d27d2c", "#8595a1", "#6daa2c", "#d2aa99", "#6dc2ca", "#dad45e", "#deeed6",
    ),
    "db32": (
        "#000000", "#222034", "#45283c", "#663931", "#8f563b", "#df7126", "#d9a066", "#eec39a",
        "#fbf236", "#99e550", "#6abe30", "#37946e", "#4b692f", "#524b24", "#323c39", "#3f3f74",
        "#306082", "#5b6ee1", "#639bff", "#5fcde4", "#cbdbfc", "#ffffff", "#9badb7", "#847e87",
        "#696a6a", "#595652", "#76428a", "#ac3232", "#d95763", "#d77bba", "#8f974a", "#8a6f30",
    ),
    "pico8": (
        "#000000", "#1d2b53", "#7e2553", "#008751", "#ab5236", "#5f574f", "#c2c3c7", "#fff1e8",
        "#ff004d", "#ffa300", "#ffec27", "#00e436", "#29adff", "#83769c", "#ff77a8", "#ffccaa",
    ),
}
ALIASES = {"dawnbringer16": "db16", "dawnbringer-16": "db16", "dawnbringer32": "db32", "dawnbringer-32": "db32", "pico-8": "pico8"}
_HEX = re.compile(r"#?([0-9a-fA-F]{6})\Z")


def hex_colour(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb[:3])


def palette_name(spec: object) -> str | None:
    """The canonical name of a named palette spec, or None for a list of colours."""
    if isinstance(spec, str) and "," not in spec:
        key = spec.strip().lower()
        key = ALIASES.get(key, key)
        if key in PALETTES:
            return key
    return None


def _colour(item: object, where: str) -> tuple[int, int, int]:
    if isinstance(item, str):
        match = _HEX.match(item.strip())
        if not match:
            raise InvalidRequest(f"palette colour {item!r} {where} is not #rrggbb")
        value = int(match.group(1), 16)
        return value >> 16, (value >> 8) & 255, value & 255
    if isinstance(item, (list, tuple, np.ndarray)) and len(item) in (3, 4):
        parts = list(item)
        if all(isinstance(c, numbers.Integral) and not isinstance(c, bool) and 0 <= int(c) <= 255 for c in parts):
            if len(parts) == 4 and int(parts[3]) != 255:
                raise InvalidRequest(f"palette colour {tuple(parts)} {where} is not opaque; transparency is the sprite's background, not a colour")
            return int(parts[0]), int(parts[1]), int(parts[2])
    raise InvalidRequest(f"palette colour {item!r} {where} is neither '#rrggbb' nor (r, g, b) integers in 0-255")


def parse_palette(spec: object) -> np.ndarray:
    """A palette name (db16, db32, pico8), a comma-separated '#rrggbb' string, or a sequence of colours → (N, 3) uint8."""
    if isinstance(spec, str):
        name = palette_name(spec)
        if name is not None:
            return np.array([_colour(c, "") for c in PALETTES[name]], dtype=np.uint8)
        parts = [p for p in spec.split(",") if p.strip()]
        if not parts:
            raise InvalidRequest(f"empty palette; give a name ({', '.join(PALETTES)}) or colours such as '#000000,#ffffff'")
        if len(parts) == 1 and not _HEX.match(parts[0].strip()):
            raise InvalidRequest(f"unknown palette {spec!r}; named palettes: {', '.join(PALETTES)}, or give colours such as '#000000,#ffffff'")
        spec = parts
    if isinstance(spec, np.ndarray) and spec.ndim == 2:
        spec = [tuple(int(v) for v in row) if np.issubdtype(spec.dtype, np.integer) else tuple(row) for row in spec]
    if not isinstance(spec, (list, tuple)):
        raise InvalidRequest(f"a palette is a name or a list of colours, got {type(spec).__name__}")
    if not spec:
        raise InvalidRequest("empty palette; give at least one colour")
    if len(spec) > MAX_COLOURS:
        raise InvalidRequest(f"a palette of {len(spec)} colours is more than {MAX_COLOURS}")
    return np.array([_colour(item, f"(#{i + 1})") for i, item in enumerate(spec)], dtype=np.uint8)


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) sRGB 0-255 → (..., 3) CIELAB (D65)."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def snap_colours(colours: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """(M, 3) colours → (M,) index of the nearest colour of ``palette`` (N, 3) in CIELAB."""
    a, b = rgb_to_lab(colours), rgb_to_lab(palette)
    return np.argmin(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1), axis=1)
