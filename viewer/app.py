"""The viewer App: ``handle_event`` changes state, ``update`` takes in finished work, ``draw`` paints a frame.

Everything slow (generating a level, reading a dropped file, exporting,
writing a screenshot) runs on the ``Worker`` thread; the event loop only
submits jobs and picks up their results, so a frame never waits for a model.
The App owns all its state; there are no module globals.

Today every source makes a tile map (a ``Shown``), drawn by ``LevelCanvas``.
Sprite models (a grid of sprites paged by seed, a VAE's interpolation strip)
would add a source that makes a sprite record and a view that draws it, which
``App.show`` picks by the record's type; seeds, export, screenshots, the worker
and the status bar stay as they are.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pygame

from gamegen.errors import GamegenError
from gamegen.seeds import MAX_SEED, check_seed
from gamegen.viewer.camera import Camera
from gamegen.viewer.canvas import BACKDROP, LevelCanvas
from gamegen.viewer.hud import BAD_COLOUR, DIM_COLOUR, GOOD_COLOUR, STATUS_HEIGHT, TEXT_COLOUR, Hud
from gamegen.viewer.sources import Shown
from gamegen.viewer.tasks import export_map, make_content, open_and_make, write_screenshot
from gamegen.viewer.worker import Worker

__all__ = ["App", "FPS"]

FPS = 60
SCROLL_TILES = 2  # an arrow key press scrolls two tiles (key repeat makes it smooth)
RANDOM_SEEDS = 2**31  # R picks seeds short enough to read and type


def one_line(error: BaseException) -> str:
    """An error as one status-bar line: gamegen's own messages as they are, others with their class."""
    text = str(error) if isinstance(error, GamegenError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split())


class App:
    """One viewer window. ``source`` is a FileSource or ModelSource (see ``sources``)."""

    def __init__(self, screen: pygame.Surface, source, seed: int = 0, *, zoom: int | None = None, overlay: str = "none",
                 grid: bool = False, export_dir: Path | str = "view-exports", exporters=None, rng: random.Random | None = None,
                 worker=None):
        from gamegen.exporters import parse_formats

        self.screen = screen
        self.hud = Hud()
        self.worker = worker or Worker()
        self.source = source
        self.seed = check_seed(seed)
        self.exporters = exporters if exporters is not None else parse_formats("tmx,tmj,json,png")
        self.export_dir = Path(export_dir)
        self.rng = rng or random.Random()
        self.camera = Camera(*self.view_rect.size)
        self.initial_zoom = zoom
        self.shown: Shown | None = None
        self.canvas: LevelCanvas | None = None
        self.overlay, self.grid, self.help = overlay, grid, False
        self.message = ("", DIM_COLOUR)
        self.failure: BaseException | None = None  # the last content error while nothing is shown
        self.pending: int | None = None  # the content job whose result is awaited
        self.running, self.dragging = True, False
        self._keys = self._key_actions()
        self.request(source, self.seed)

    # -- geometry ---------------------------------------------------------

    @property
    def view_rect(self) -> pygame.Rect:
        w, h = self.screen.get_size()
        return pygame.Rect(0, 0, w, max(h - STATUS_HEIGHT, 1))

    @property
    def status_rect(self) -> pygame.Rect:
        w, h = self.screen.get_size()
        return pygame.Rect(0, max(h - STATUS_HEIGHT, 0), w, STATUS_HEIGHT)

    # -- work -------------------------------------------------------------

    def request(self, source, seed: int | None = None) -> None:
        """Make ``source``'s content for ``seed`` on the worker; the current map stays until it is ready."""
        self.pending = self.worker.submit(make_content, source, seed, slot="content")
        what = f"generating {source.label} seed {seed}" if source.steps_seeds else f"opening {source.label}"
        self.message = (what + " …", DIM_COLOUR)

    def open_file(self, path: str | Path) -> None:
        """Read a map file on the worker (a dropped file); a bad file only changes the status line."""
        self.pending = self.worker.submit(open_and_make, Path(path), slot="content")
        self.message = (f"opening {Path(path).name} …", DIM_COLOUR)

    def update(self) -> None:
        """Take in finished work; with time to spare, scale one more strip beside the view."""
        for result in self.worker.results():
            if result.slot == "content":
                self._content_ready(result)
            elif result.error is not None:
                self.message = (one_line(result.error), BAD_COLOUR)
            else:
                self.message = (str(result.value), TEXT_COLOUR)
        if self.canvas is not None and not self.dragging:
            self.canvas.prefetch(self.camera, self.overlay == "solid")

    def _content_ready(self, result) -> None:
        if result.id != self.pending:
            return  # an older request finished after a newer one was made
        self.pending = None
        if result.error is not None:
            self.message = (one_line(result.error), BAD_COLOUR)
            if self.shown is None:
                self.failure = result.error
            return
        self.source, shown = result.value
        self.show(shown)

    def show(self, shown: Shown) -> None:
        """Put ``shown`` on screen; the scroll position stays for a map of the same size (the next seed)."""
        canvas = LevelCanvas(shown)
        first = self.canvas is None
        same_size = self.canvas is not None and canvas.size == self.canvas.size
        self.shown, self.canvas, self.failure = shown, canvas, None
        if first:
            self.camera.show(*canvas.size, keep_position=False)
            self.camera.set_zoom(self.initial_zoom or self.camera.fit_zoom())
        self.camera.show(*canvas.size, keep_position=same_size)
        if self.overlay not in canvas.overlays():
            self.overlay = "none"
        verb = f"seed {shown.seed} generated" if shown.seed is not None else "read"
        self.message = (f"{shown.label}: {verb} in {shown.elapsed_ms:.0f} ms", TEXT_COLOUR)

    # -- events -----------------------------------------------------------

    def _key_actions(self) -> dict:
        return {
            pygame.K_n: lambda: self.step_seed(+1),
            pygame.K_p: lambda: self.step_seed(-1),
            pygame.K_r: self.random_seed,
            pygame.K_g: self.toggle_grid,
            pygame.K_o: self.cycle_overlay,
            pygame.K_e: self.export,
            pygame.K_s: self.save_screenshot,
            pygame.K_h: self.toggle_help,
            pygame.K_QUESTION: self.toggle_help,
            pygame.K_F5: self.reload,
            pygame.K_PLUS: lambda: self.zoom_by(+1),
            pygame.K_EQUALS: lambda: self.zoom_by(+1),
            pygame.K_KP_PLUS: lambda: self.zoom_by(+1),
            pygame.K_MINUS: lambda: self.zoom_by(-1),
            pygame.K_KP_MINUS: lambda: self.zoom_by(-1),
            pygame.K_ESCAPE: self.quit,
            pygame.K_q: self.quit,
        }

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
        elif event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEWHEEL:
            self.zoom_by(1 if event.y > 0 else -1 if event.y < 0 else 0, pygame.mouse.get_pos())
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.dragging = True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.dragging = False
        elif event.type == pygame.MOUSEMOTION and self.dragging:
            self.camera.scroll(-event.rel[0], -event.rel[1])
        elif event.type == pygame.DROPFILE:
            self.open_file(event.file)
        elif event.type == pygame.VIDEORESIZE:
            self.screen = pygame.display.get_surface() or self.screen
            self.camera.resize(*self.view_rect.size)

    def _key(self, event: pygame.event.Event) -> None:
        text = getattr(event, "unicode", "")
        if text == "?":
            self.toggle_help()
        elif text == "+":
            self.zoom_by(+1)
        elif event.key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN):
            self._arrow(event.key, bool(getattr(event, "mod", 0) & pygame.KMOD_SHIFT))
        elif event.key in self._keys:
            self._keys[event.key]()

    def _arrow(self, key: int, page: bool) -> None:
        step = SCROLL_TILES * 16 * self.camera.zoom
        dx = {pygame.K_LEFT: -1, pygame.K_RIGHT: 1}.get(key, 0)
        dy = {pygame.K_UP: -1, pygame.K_DOWN: 1}.get(key, 0)
        if page:
            self.camera.scroll(dx * self.camera.view_w * 9 // 10, dy * self.camera.view_h * 9 // 10)
        else:
            self.camera.scroll(dx * step, dy * step)

    # -- actions ----------------------------------------------------------

    def quit(self) -> None:
        self.running = False

    def reload(self) -> None:
        """Read the file again (edited in Tiled meanwhile), or generate the seed again."""
        if self.source.steps_seeds:
            self.request(self.source, self.seed)
        else:
            self.open_file(self.source.path)

    def zoom_by(self, steps: int, anchor: tuple[int, int] | None = None) -> None:
        if anchor is not None and not self.view_rect.collidepoint(anchor):
            anchor = None
        self.camera.set_zoom(self.camera.zoom + steps, anchor)

    def step_seed(self, delta: int) -> None:
        self.set_seed(min(max(self.seed + delta, 0), MAX_SEED - 1))

    def random_seed(self) -> None:
        self.set_seed(self.rng.randrange(RANDOM_SEEDS))

    def set_seed(self, seed: int) -> None:
        if not self.source.steps_seeds:
            self.message = (f"{self.source.label} is a file: seeds step a model (gamegen view MODEL)", DIM_COLOUR)
            return
        self.seed = seed
        self.request(self.source, seed)

    def toggle_grid(self) -> None:
        self.grid = not self.grid

    def toggle_help(self) -> None:
        self.help = not self.help

    def cycle_overlay(self) -> None:
        overlays = self.canvas.overlays() if self.canvas is not None else ["none"]
        self.overlay = overlays[(overlays.index(self.overlay) + 1) % len(overlays)] if self.overlay in overlays else "none"
        self.message = (f"overlay: {self.overlay}", TEXT_COLOUR)

    def export(self) -> None:
        if self.shown is None:
            self.message = ("nothing to export yet", DIM_COLOUR)
            return
        self.worker.submit(export_map, self.shown.level, self.shown.stem, self.exporters, self.export_dir)
        self.message = (f"exporting {self.shown.stem} to {self.export_dir}/ …", DIM_COLOUR)

    def save_screenshot(self) -> None:
        stem = self.shown.stem if self.shown is not None else "gamegen-view"
        self.worker.submit(write_screenshot, self.frame_pixels(), self.export_dir, stem)
        self.message = ("saving a screenshot …", DIM_COLOUR)

    # -- frames -----------------------------------------------------------

    def status_fields(self) -> list[tuple[str, tuple]]:
        shown = self.shown
        if shown is None:
            return [(self.source.label, TEXT_COLOUR), ("working …" if self.pending else "nothing to show", DIM_COLOUR)]
        play = {True: ("finishable", GOOD_COLOUR), False: ("not finishable", BAD_COLOUR), None: ("not played", DIM_COLOUR)}
        edits = shown.edits
        fields = [
            (shown.label, TEXT_COLOUR),
            (f"seed {shown.seed}" if shown.seed is not None else "file", TEXT_COLOUR),
            (f"{shown.level.width}x{shown.level.height}", TEXT_COLOUR),
            play[shown.finishable],
            (f"{edits} edits" if edits is not None else "edits -", TEXT_COLOUR),
            (f"{'gen' if shown.seed is not None else 'read'} {shown.elapsed_ms:.0f} ms", TEXT_COLOUR),
            (f"zoom {self.camera.zoom}x", DIM_COLOUR),
        ]
        fields += [(f"overlay {self.overlay}", DIM_COLOUR)] if self.overlay != "none" else []
        fields += [("grid", DIM_COLOUR)] if self.grid else []
        fields += [("working …", DIM_COLOUR)] if self.worker.busy else []
        return fields

    def draw(self) -> None:
        view = self.view_rect
        if self.canvas is None:
            self.screen.fill(BACKDROP, view)
        else:
            self.canvas.draw(self.screen, view, self.camera, self.overlay, self.grid)
        self.hud.draw_status(self.screen, self.status_rect, self.status_fields(), self.message)
        if self.help:
            self.hud.draw_help(self.screen, view)

    def frame_pixels(self) -> np.ndarray:
        """The screen as (H, W, 4) RGBA."""
        w, h = self.screen.get_size()
        rgb = np.frombuffer(pygame.image.tobytes(self.screen, "RGB"), dtype=np.uint8).reshape(h, w, 3)
        return np.concatenate([rgb, np.full((h, w, 1), 255, dtype=np.uint8)], axis=2)  # the screen's 4th byte is padding

    def step(self) -> None:
        """One frame's work without waiting: events, update, draw."""
        for event in pygame.event.get():
            self.handle_event(event)
        self.update()
        self.draw()

    def run(self) -> None:
        """The event loop, at up to FPS frames a second, until the window closes."""
        clock = pygame.time.Clock()
        pygame.key.set_repeat(250, 1000 // FPS)
        while self.running:
            self.step()
            pygame.display.flip()
            clock.tick(FPS)

    def render_headless(self, timeout: float | None = None) -> np.ndarray:
        """Wait for the work in flight, draw one frame → its pixels; the content's error if nothing could be shown."""
        self.worker.wait_idle(timeout)
        self.update()
        if self.shown is None and self.failure is not None:
            raise self.failure if isinstance(self.failure, GamegenError) else GamegenError(one_line(self.failure))
        self.draw()
        return self.frame_pixels()

    def close(self) -> None:
        self.worker.close()
