"""From the command line to a window: check everything, open the display, run the App, always quit pygame.

    gamegen view level.tmx                       # a map file
    gamegen view platformer-gan --seed 7         # live generation; N/P/R step seeds
    gamegen view level.txt --screenshot out.png  # one frame, headless (SDL's dummy driver), then exit
    python -m gamegen.viewer ...                 # the same command

Every bad argument fails here with a one-line error before a window opens;
``gamegen.cli.commands`` prints it and exits with the error class's code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pygame

from gamegen.errors import GamegenError, InvalidRequest
from gamegen.seeds import check_seed
from gamegen.viewer.app import App
from gamegen.viewer.camera import MAX_ZOOM, MIN_ZOOM
from gamegen.viewer.sources import open_source

__all__ = ["view", "parse_size", "OVERLAYS"]

OVERLAYS = ("none", "path", "solid")
HEADLESS_DRIVERS = ("dummy", "offscreen")  # SDL drivers that open no window anyone can see
NO_DISPLAY = "no display available ({why}); run it on a desktop, or render one frame headless with --screenshot FILE.png"


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` → (1280, 720); from 320x200 to 7680x4320."""
    w, sep, h = text.lower().partition("x")
    if not (sep and w.isdigit() and h.isdigit() and 320 <= int(w) <= 7680 and 200 <= int(h) <= 4320):
        raise InvalidRequest(f"window size {text!r} must be WIDTHxHEIGHT, from 320x200 to 7680x4320")
    return int(w), int(h)


def _no_display_here() -> bool:
    """On X11/Wayland systems with neither display set, SDL would fall back to an invisible window."""
    unix = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
    return unix and not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"))


@contextmanager
def display(size: tuple[int, int], headless: bool) -> Iterator[pygame.Surface]:
    """The window (``headless``: SDL's dummy driver, nothing shown); pygame is quit on the way out, always."""
    if not headless and _no_display_here():
        raise GamegenError(NO_DISPLAY.format(why="neither DISPLAY nor WAYLAND_DISPLAY is set"))
    saved = os.environ.get("SDL_VIDEODRIVER")
    try:
        if headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"  # read by SDL at init only; restored below
        try:
            pygame.display.init()
        except pygame.error as exc:
            raise GamegenError(NO_DISPLAY.format(why=f"SDL: {exc}")) from None
        finally:
            _restore("SDL_VIDEODRIVER", saved)
        if not headless and pygame.display.get_driver() in HEADLESS_DRIVERS:
            raise GamegenError(NO_DISPLAY.format(why=f"SDL video driver {pygame.display.get_driver()!r} shows no window"))
        pygame.font.init()
        screen = pygame.display.set_mode(size, 0 if headless else pygame.RESIZABLE)
        pygame.display.set_caption("gamegen view")
        yield screen
    finally:
        pygame.quit()


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _check_screenshot_path(path: Path) -> Path:
    from gamegen.files import ensure_writable_dir

    if path.is_dir():
        raise InvalidRequest(f"--screenshot {path} is a folder; give a .png file path")
    if path.suffix.lower() != ".png":
        raise InvalidRequest(f"--screenshot {path}: the screenshot is a PNG; name it *.png")
    ensure_writable_dir(path.parent if str(path.parent) else Path("."))
    return path


def view(target: str | None = None, seed: int = 0, width: int = 200, zoom: int | None = None, overlay: str = "none",
         grid: bool = False, screenshot: Path | None = None, size: str = "1280x720", export_dir: Path = Path("view-exports"),
         formats: str = "tmx,tmj,json,png") -> Path | None:
    """Show ``target`` (a map file, a model name or folder; default platformer-gan) → the screenshot written, if any."""
    from gamegen.exporters import parse_formats
    from gamegen.exporters.preview import png_bytes
    from gamegen.files import atomic_write_bytes

    check_seed(seed)
    window = parse_size(size)
    if zoom is not None and not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise InvalidRequest(f"zoom {zoom} is outside [{MIN_ZOOM}, {MAX_ZOOM}]")
    if overlay not in OVERLAYS:
        raise InvalidRequest(f"overlay {overlay!r} is not one of {', '.join(OVERLAYS)}")
    exporters = parse_formats(formats)
    shot = _check_screenshot_path(Path(screenshot)) if screenshot is not None else None
    source = open_source(target, width)
    with display(window, headless=shot is not None) as screen:
        app = App(screen, source, seed, zoom=zoom, overlay=overlay, grid=grid, export_dir=export_dir, exporters=exporters)
        try:
            if shot is None:
                app.run()
                return None
            return atomic_write_bytes(shot, png_bytes(app.render_headless()))
        finally:
            app.close()

