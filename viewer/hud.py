"""The status bar and the help overlay, in pygame's default font (made once, with rendered lines cached)."""

from __future__ import annotations

import pygame

__all__ = ["Hud", "HELP", "STATUS_HEIGHT"]

FONT_SIZE = 22  # pygame's default font at 22 is about 15 px tall: two lines fit the bar
STATUS_HEIGHT = 44
BAR_COLOUR = (24, 24, 32)
TEXT_COLOUR = (235, 235, 235)
DIM_COLOUR = (160, 160, 176)
GOOD_COLOUR = (120, 230, 120)
BAD_COLOUR = (255, 120, 110)
PANEL_COLOUR = (16, 16, 24, 220)

HELP = (
    ("arrows / drag", "scroll (shift: a screen at a time)"),
    ("wheel, + / -", "zoom in and out (1x to 8x, pixel-crisp)"),
    ("N / P", "next / previous seed"),
    ("R", "a random seed"),
    ("G", "grid on / off"),
    ("O", "cycle overlays: agent's path, solid mask"),
    ("E", "export the map (tmx, tmj, json, png)"),
    ("S", "save a screenshot"),
    ("F5", "reload the file (or regenerate)"),
    ("drop a file", "open a map file"),
    ("H or ?", "this help"),
    ("Esc / Q", "quit"),
)


class Hud:
    """Draws text: one font, rendered lines kept while they stay the same."""

    def __init__(self) -> None:
        self.font = pygame.font.Font(None, FONT_SIZE)
        self._rendered: dict[tuple[str, tuple], pygame.Surface] = {}

    def text(self, text: str, colour=TEXT_COLOUR) -> pygame.Surface:
        key = (text, tuple(colour))
        surface = self._rendered.get(key)
        if surface is None:
            if len(self._rendered) > 256:  # status lines change with every seed: keep the cache small
                self._rendered.clear()
            surface = self._rendered[key] = self.font.render(text, True, colour)
        return surface

    def draw_status(self, screen: pygame.Surface, rect: pygame.Rect, fields: list[tuple[str, tuple]], message: tuple[str, tuple]) -> None:
        """Line 1: the fields (text, colour) separated by gaps; line 2: the message."""
        screen.fill(BAR_COLOUR, rect)
        x, y = rect.x + 8, rect.y + 5
        for text, colour in fields:
            surface = self.text(text, colour)
            screen.blit(surface, (x, y))
            x += surface.get_width() + 18
        y += self.font.get_linesize() + 3
        screen.blit(self.text(*message), (rect.x + 8, y))
        hint = self.text("H or ?: help", DIM_COLOUR)
        screen.blit(hint, (rect.right - hint.get_width() - 8, y))

    def draw_help(self, screen: pygame.Surface, area: pygame.Rect) -> pygame.Rect:
        """The key table on a dark panel in the middle of ``area`` → the panel's rect."""
        line = self.font.get_linesize() + 6
        keys_w = max(self.text(k).get_width() for k, _ in HELP) + 24
        width = keys_w + max(self.text(v).get_width() for _, v in HELP) + 40
        height = line * (len(HELP) + 2)
        panel = pygame.Rect(0, 0, width, height)
        panel.center = area.center
        shade = pygame.Surface(panel.size, pygame.SRCALPHA)
        shade.fill(PANEL_COLOUR)
        screen.blit(shade, panel.topleft)
        screen.blit(self.text("gamegen view: keys"), (panel.x + 20, panel.y + 12))
        for i, (keys, what) in enumerate(HELP, start=1):
            y = panel.y + 12 + i * line + 4
            screen.blit(self.text(keys, GOOD_COLOUR), (panel.x + 20, y))
            screen.blit(self.text(what), (panel.x + 20 + keys_w, y))
        return panel
