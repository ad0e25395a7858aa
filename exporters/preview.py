"""PNG previews: a map drawn with the tile art, and a contact sheet of several.

Drawing: the background colour, then every non-empty tile alpha-composited
over it (the empty tile is not drawn, as in Tiled), then an integer
nearest-neighbour scale so the pixels stay crisp.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from gamegen.errors import InvalidRequest
from gamegen.exporters.tileart import TILE, background_of, draw_tile
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["render_map", "draw_path", "draw_track", "png_bytes", "contact_sheet", "composited_atlas", "MAX_SCALE", "MAX_PIXELS"]

MAX_PIXELS = 64_000_000  # refuse a preview bigger than ~256 MB of RGBA
MAX_SCALE = 16


def _over(dst: np.ndarray, src: np.ndarray) -> np.ndarray:
    """``src`` over ``dst`` (both uint8 RGBA, dst opaque), in integer arithmetic for exact repeatability."""
    alpha = src[..., 3:4].astype(np.uint16)
    out = (src[..., :3].astype(np.uint16) * alpha + dst[..., :3].astype(np.uint16) * (255 - alpha) + 127) // 255
    return np.concatenate([out.astype(np.uint8), dst[..., 3:4]], axis=-1)


def composited_atlas(vocab: Vocabulary) -> np.ndarray:
    """(T, 16, 16, 4): every tile already drawn over the background, the empty tile as background alone.

    Compositing 13 tiles once, instead of every pixel of the map, gives the same pixels for a
    fraction of the time.
    """
    background = np.empty((TILE, TILE, 4), dtype=np.uint8)
    background[:] = background_of(vocab)  # the sky of a platformer, the void around a dungeon's rooms
    atlas = [background if t.id == vocab.empty_id else _over(background, draw_tile(t.art)) for t in vocab.tiles]
    return np.stack(atlas)


def render_map(level: TileMap, scale: int = 1) -> np.ndarray:
    """(H·16·scale, W·16·scale, 4) RGBA pixels of ``level``."""
    if not isinstance(level, TileMap):
        raise InvalidRequest(f"a preview needs a TileMap, got {type(level).__name__}")
    if not isinstance(scale, int) or isinstance(scale, bool) or not 1 <= scale <= MAX_SCALE:
        raise InvalidRequest(f"preview scale must be an integer in [1, {MAX_SCALE}], got {scale!r}")
    h, w = level.grid.shape
    if h * w * TILE * TILE * scale * scale > MAX_PIXELS:
        raise InvalidRequest(f"a {w}x{h} map at scale {scale} is too large for a PNG preview; use a smaller scale")
    tiles = composited_atlas(level.vocabulary)[level.grid]  # (H, W, 16, 16, 4)
    image = tiles.transpose(0, 2, 1, 3, 4).reshape(h * TILE, w * TILE, 4)
    if scale > 1:
        image = image.repeat(scale, axis=0).repeat(scale, axis=1)
    return image


def draw_path(pixels: np.ndarray, path: list[tuple[int, int]], scale: int = 1, colour=(255, 255, 255, 255)) -> np.ndarray:
    """``pixels`` with a line through the centres of the path's tiles (x, y), as the agent walked and jumped."""
    if len(path) < 2:
        return pixels
    image = Image.fromarray(pixels, "RGBA")
    centre = TILE * scale / 2
    points = [(x * TILE * scale + centre, y * TILE * scale + centre) for x, y in path]
    ImageDraw.Draw(image).line(points, fill=tuple(colour), width=max(2, scale * 2), joint="curve")
    return np.asarray(image)


def draw_track(pixels: np.ndarray, points: list[tuple[float, float]], scale: int = 1, colour=(255, 0, 255, 255)) -> np.ndarray:
    """``pixels`` with a line through ``points`` given in (fractional) tiles from the map's top-left corner.

    For a body's own positions (the real engine's Mario, every tick) rather than the tiles of a path.
    """
    if len(points) < 2:
        return pixels
    image = Image.fromarray(pixels, "RGBA")
    unit = TILE * scale
    ImageDraw.Draw(image).line([(x * unit, y * unit) for x, y in points], fill=tuple(colour), width=max(2, scale * 2), joint="curve")
    return np.asarray(image)


def png_bytes(pixels: np.ndarray, text: dict[str, str] | None = None) -> bytes:
    """Encode RGBA pixels as PNG; ``text`` goes into tEXt chunks (provenance)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(buffer, format="PNG", pnginfo=info, optimize=False)
    return buffer.getvalue()


def contact_sheet(levels: list[TileMap], labels: list[str] | None = None, scale: int = 1, columns: int = 1) -> np.ndarray:
    """Previews stacked in a grid with a label above each → RGBA pixels."""
    if not levels or not all(isinstance(level, TileMap) for level in levels):
        raise InvalidRequest("a contact sheet needs a non-empty list of maps")
    if isinstance(columns, bool) or not isinstance(columns, int) or not 1 <= columns <= 256:
        raise InvalidRequest(f"contact sheet columns must be an integer in [1, 256], got {columns!r}")
    labels = labels or [str(level.provenance.get("seed", i)) for i, level in enumerate(levels)]
    label_h, gap = 12, 4
    need_w = max(level.width for level in levels) * TILE * scale + gap  # the sheet's size, checked before drawing
    need_h = max(level.height for level in levels) * TILE * scale + label_h + gap
    if need_w * columns * need_h * -(-len(levels) // columns) > MAX_PIXELS:
        raise InvalidRequest(f"a contact sheet of {len(levels)} maps is too large; show fewer or narrower maps")
    images = [render_map(level, scale) for level in levels]
    cell_w = max(img.shape[1] for img in images)
    cell_h = max(img.shape[0] for img in images) + label_h
    rows = -(-len(images) // columns)
    sheet = Image.new("RGBA", (columns * (cell_w + gap) + gap, rows * (cell_h + gap) + gap), (32, 32, 40, 255))
    draw = ImageDraw.Draw(sheet)
    for i, (img, label) in enumerate(zip(images, labels)):
        x = gap + (i % columns) * (cell_w + gap)
        y = gap + (i // columns) * (cell_h + gap)
        draw.text((x, y), label, fill=(230, 230, 230, 255))
        sheet.paste(Image.fromarray(img, "RGBA"), (x, y + label_h))
    return np.asarray(sheet)
