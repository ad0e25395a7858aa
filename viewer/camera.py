"""Scroll and zoom arithmetic, with no pygame: which part of the map the viewport shows.

Coordinates: a map is ``world_w`` × ``world_h`` pixels at zoom 1 (16 per tile).
At zoom ``z`` every map pixel is a z × z block of screen pixels. ``x``, ``y`` is
the screen-pixel offset, at the current zoom, of the viewport's top-left corner
inside the zoomed map. Along an axis where the zoomed map is smaller than the
viewport the map is centred (the offset is negative).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Camera", "MIN_ZOOM", "MAX_ZOOM"]

MIN_ZOOM = 1
MAX_ZOOM = 8


@dataclass
class Camera:
    view_w: int
    view_h: int
    world_w: int = 1
    world_h: int = 1
    zoom: int = 1
    x: int = 0
    y: int = 0

    def _range(self, world: int, view: int) -> tuple[int, int]:
        size = world * self.zoom
        if size <= view:
            centred = -((view - size) // 2)
            return centred, centred
        return 0, size - view

    def clamp(self) -> None:
        lo, hi = self._range(self.world_w, self.view_w)
        self.x = min(max(self.x, lo), hi)
        lo, hi = self._range(self.world_h, self.view_h)
        self.y = min(max(self.y, lo), hi)

    def show(self, world_w: int, world_h: int, keep_position: bool) -> None:
        """A new map: keep the scroll position (same-sized maps, e.g. the next seed) or go to its start."""
        self.world_w, self.world_h = world_w, world_h
        if not keep_position:
            self.x = 0
            self.y = self._range(world_h, self.view_h)[1]  # the ground is at the bottom of a platformer level: show it first
        self.clamp()

    def scroll(self, dx: int, dy: int) -> None:
        self.x += int(dx)
        self.y += int(dy)
        self.clamp()

    def fit_zoom(self) -> int:
        """The largest zoom that shows the whole height of the map."""
        return max(MIN_ZOOM, min(MAX_ZOOM, self.view_h // max(self.world_h, 1)))

    def set_zoom(self, zoom: int, anchor: tuple[int, int] | None = None) -> None:
        """Zoom to ``zoom`` (clamped), keeping the map point under ``anchor`` (viewport pixels) in place."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, int(zoom)))
        ax, ay = anchor if anchor is not None else (self.view_w // 2, self.view_h // 2)
        # the map pixel under the anchor, in zoom-1 units, stays under the anchor
        wx, wy = (self.x + ax) / self.zoom, (self.y + ay) / self.zoom
        self.zoom = zoom
        self.x, self.y = round(wx * zoom - ax), round(wy * zoom - ay)
        self.clamp()

    def resize(self, view_w: int, view_h: int) -> None:
        self.view_w, self.view_h = view_w, view_h
        self.clamp()

    def visible(self) -> tuple[int, int, int, int]:
        """The visible part of the zoomed map as (x0, y0, x1, y1) screen pixels of the map, clipped to it."""
        x0, y0 = max(self.x, 0), max(self.y, 0)
        x1 = min(self.x + self.view_w, self.world_w * self.zoom)
        y1 = min(self.y + self.view_h, self.world_h * self.zoom)
        return x0, y0, x1, y1

    def to_view(self, map_x: float, map_y: float) -> tuple[int, int]:
        """A zoom-1 map pixel → viewport pixel."""
        return round(map_x * self.zoom - self.x), round(map_y * self.zoom - self.y)
