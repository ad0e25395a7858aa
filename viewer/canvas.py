"""A map as pygame surfaces, scrolled by blitting: the level is never re-drawn tile by tile per frame.

The map is drawn once, at zoom 1, by ``exporters.preview.render_map`` (the
same pixels as the PNG exporter), on the worker thread. For each zoom it is cut
into vertical strips about ``STRIP_PX`` screen pixels wide, each scaled with
nearest-neighbour (pixel-crisp) on first use and kept in a small LRU cache; a
frame blits the one or two strips the viewport overlaps. Strips keep memory
bounded: an 8,192-column level at zoom 8 would be a 7 GB single surface.
Overlays on top: the solid mask is baked into its own strips (one alpha blit
at strip time, none per frame); the path and the grid are a few line draws
over the visible columns only.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pygame

from gamegen.exporters.tileart import TILE
from gamegen.viewer.camera import Camera
from gamegen.viewer.sources import Shown

__all__ = ["LevelCanvas", "STRIP_PX", "BACKDROP"]

STRIP_PX = 1024  # screen pixels per strip, at any zoom (2048 made some scrolling frames at zoom 6-8 take 10-12 ms)
CACHE_PIXELS = 24_000_000  # strips kept (about 96 MB of 32-bit pixels)
BACKDROP = (40, 40, 48)  # around a map smaller than the viewport
SOLID_TINT = (255, 0, 200, 130)  # magenta: unlike any tile colour, so solid reads at a glance
GRID_COLOUR = (24, 24, 40)
PATH_COLOUR = (255, 255, 255)
PATH_OUTLINE = (20, 20, 20)
MARKER_COLOURS = {"start": (40, 220, 80), "exit": (250, 70, 70)}


def _mask_surface(solid: np.ndarray) -> pygame.Surface:
    """(H, W) bool → a W × H surface, one pixel per tile: the tint where solid, clear elsewhere."""
    rgba = np.zeros((*solid.shape, 4), dtype=np.uint8)
    rgba[solid] = SOLID_TINT
    h, w = solid.shape
    return pygame.image.frombuffer(rgba.tobytes(), (w, h), "RGBA").convert_alpha()


class LevelCanvas:
    """The shown map's surfaces, and how to draw them through a Camera."""

    def __init__(self, shown: Shown):
        h, w = shown.pixels.shape[:2]
        self.shown = shown
        self.tiles_w, self.tiles_h = shown.level.width, shown.level.height
        # shares the worker's pixels (no copy); each strip converts only its own columns, so a new map costs the
        # event loop almost nothing however wide it is
        self._pixels = np.ascontiguousarray(shown.pixels)
        self.base = pygame.image.frombuffer(memoryview(self._pixels), (w, h), "RGBA")  # type: ignore[arg-type]  # a C-contiguous buffer
        self.mask = _mask_surface(shown.solid) if shown.solid is not None else None
        self.path = np.asarray(shown.path, dtype=np.int64).reshape(-1, 2)  # (N, 2) tile (x, y)
        self._strips: OrderedDict[tuple[int, int, bool], pygame.Surface] = OrderedDict()
        self._cached = 0

    @property
    def size(self) -> tuple[int, int]:
        """Zoom-1 pixel size (width, height)."""
        return self.base.get_size()

    def overlays(self) -> list[str]:
        """The overlays this content has, in the order O cycles through them."""
        return ["none"] + (["path"] if len(self.path) else []) + (["solid"] if self.mask is not None else [])

    @staticmethod
    def strip_tiles(zoom: int) -> int:
        return max(1, STRIP_PX // (TILE * zoom))

    def strip(self, zoom: int, index: int, solid: bool) -> pygame.Surface:
        """Strip ``index`` at ``zoom``: columns [index·n, index·n + n) scaled, from the cache when it is there."""
        key = (zoom, index, solid and self.mask is not None)
        surface = self._strips.get(key)
        if surface is not None:
            self._strips.move_to_end(key)
            return surface
        n = self.strip_tiles(zoom)
        x0, x1 = index * n, min(index * n + n, self.tiles_w)
        size = ((x1 - x0) * TILE * zoom, self.tiles_h * TILE * zoom)
        columns = self.base.subsurface((x0 * TILE, 0, (x1 - x0) * TILE, self.tiles_h * TILE)).convert()  # opaque: fast blits
        surface = pygame.transform.scale(columns, size)
        if key[2] and self.mask is not None:
            surface.blit(pygame.transform.scale(self.mask.subsurface((x0, 0, x1 - x0, self.tiles_h)), size), (0, 0))
        self._remember(key, surface)
        return surface

    def _remember(self, key, surface: pygame.Surface) -> None:
        self._strips[key] = surface
        self._cached += surface.get_width() * surface.get_height()
        while self._cached > CACHE_PIXELS and len(self._strips) > 1:
            _, old = self._strips.popitem(last=False)
            self._cached -= old.get_width() * old.get_height()

    def _strip_range(self, camera: Camera) -> range:
        x0, _, x1, _ = camera.visible()
        width = self.strip_tiles(camera.zoom) * TILE * camera.zoom
        return range(x0 // width, max(x1 - 1, x0) // width + 1)

    def prefetch(self, camera: Camera, solid: bool) -> bool:
        """Make one missing strip beside the visible ones (called when a frame has time) → whether it made one."""
        visible = self._strip_range(camera)
        last = (self.tiles_w - 1) // self.strip_tiles(camera.zoom)
        for index in (visible.stop, visible.start - 1):
            if 0 <= index <= last and (camera.zoom, index, solid and self.mask is not None) not in self._strips:
                self.strip(camera.zoom, index, solid)
                return True
        return False

    def draw(self, screen: pygame.Surface, rect: pygame.Rect, camera: Camera, overlay: str, grid: bool) -> None:
        """The visible part of the map into ``rect``, with the overlay and the grid."""
        screen.set_clip(rect)
        screen.fill(BACKDROP, rect)
        width = self.strip_tiles(camera.zoom) * TILE * camera.zoom
        for index in self._strip_range(camera):
            strip = self.strip(camera.zoom, index, overlay == "solid")
            screen.blit(strip, (rect.x + index * width - camera.x, rect.y - camera.y))
        if grid:
            self._draw_grid(screen, rect, camera)
        if overlay == "path":
            self._draw_path(screen, rect, camera)
        screen.set_clip(None)

    def _visible_columns(self, camera: Camera) -> tuple[int, int]:
        x0, _, x1, _ = camera.visible()
        tile = TILE * camera.zoom
        return x0 // tile, -(-x1 // tile)

    def _draw_grid(self, screen: pygame.Surface, rect: pygame.Rect, camera: Camera) -> None:
        first, last = self._visible_columns(camera)
        top, bottom = rect.y - camera.y, rect.y - camera.y + self.tiles_h * TILE * camera.zoom
        left, right = rect.x + first * TILE * camera.zoom - camera.x, rect.x + last * TILE * camera.zoom - camera.x
        for column in range(first, last + 1):
            x = rect.x + column * TILE * camera.zoom - camera.x
            pygame.draw.line(screen, GRID_COLOUR, (x, top), (x, bottom - 1))
        for row in range(self.tiles_h + 1):
            y = top + row * TILE * camera.zoom
            pygame.draw.line(screen, GRID_COLOUR, (left, y), (right - 1, y))

    def _draw_path(self, screen: pygame.Surface, rect: pygame.Rect, camera: Camera) -> None:
        """The agent's path through the visible columns, as outlined lines, and the map's start/exit markers."""
        first, last = self._visible_columns(camera)
        near = (self.path[:, 0] >= first - 1) & (self.path[:, 0] <= last + 1)
        centre = TILE / 2
        points = np.stack([(self.path[:, 0] * TILE + centre) * camera.zoom - camera.x + rect.x,
                           (self.path[:, 1] * TILE + centre) * camera.zoom - camera.y + rect.y], axis=1).round().astype(int)
        width = max(2, camera.zoom)
        for run in _runs(near):
            segment = points[max(run.start - 1, 0) : run.stop + 1].tolist()
            if len(segment) >= 2:
                pygame.draw.lines(screen, PATH_OUTLINE, False, segment, width + 2)
                pygame.draw.lines(screen, PATH_COLOUR, False, segment, width)
        for marker in self.shown.level.objects:
            colour = MARKER_COLOURS.get(marker.get("name", ""))
            if colour is not None and first - 1 <= marker.get("x", -9) <= last + 1:
                x, y = camera.to_view(marker["x"] * TILE + centre, marker["y"] * TILE + centre)
                pygame.draw.circle(screen, PATH_OUTLINE, (x + rect.x, y + rect.y), 3 * camera.zoom + 2)
                pygame.draw.circle(screen, colour, (x + rect.x, y + rect.y), 3 * camera.zoom)


def _runs(mask: np.ndarray) -> list[range]:
    """Runs of True in a 1-D bool array, as index ranges."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [range(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]
