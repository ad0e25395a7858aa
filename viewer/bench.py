"""Frame time while scrolling a wide level, at every zoom; and generation latency. Not a test: numbers to read.

    python -m gamegen.viewer.bench [--width 1000] [--frames 240] [--model platformer-gan]

Runs headless (SDL's dummy driver, 1280x720), so the time excludes putting
the frame on a real screen (a window-surface update, about a millisecond more
on a desktop). Each frame scrolls right by what a held arrow key moves
(two tiles, at key repeat) and does the App's whole frame: events, update, draw.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def _percentiles(ms: list[float]) -> str:
    a = np.asarray(ms)
    return f"mean {a.mean():5.2f} ms  p95 {np.percentile(a, 95):5.2f} ms  max {a.max():6.2f} ms"


def scroll_frames(app, frames: int) -> list[float]:
    """Frame times (ms) while scrolling right, wrapping back to the start at the end of the level."""
    import pygame

    times = []
    for _ in range(frames):
        start = time.perf_counter()
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode=""))
        app.step()
        pygame.display.flip()
        times.append((time.perf_counter() - start) * 1000)
        if app.camera.x >= app.camera.world_w * app.camera.zoom - app.camera.view_w:
            app.camera.x = 0
    return times


def report(app, frames: int) -> None:
    """Scrolling at every zoom, then with the overlays, then while the next level generates."""
    for zoom in range(1, 9):
        app.camera.set_zoom(zoom)
        app.camera.x = 0
        times = scroll_frames(app, frames)
        print(f"zoom {zoom}: first frame {times[0]:5.1f} ms (scales the visible strips); then {_percentiles(times[1:])}")
    app.grid = True
    for overlay in ("path", "solid"):
        app.overlay, app.camera.x = overlay, 0
        app.camera.set_zoom(3)
        times = scroll_frames(app, frames)
        print(f"zoom 3, grid and {overlay} overlay: first frame {times[0]:5.1f} ms; then {_percentiles(times[1:])}")
    app.overlay = "none"
    app.step_seed(+1)  # the worker generates the next level while the loop keeps scrolling
    times = []
    while app.pending is not None:
        times += scroll_frames(app, 1)
    print(f"zoom 3 while the next level generates (GIL shared with the worker): {_percentiles(times)}  ({len(times)} frames)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="platformer-gan")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--frames", type=int, default=240)
    args = parser.parse_args(argv)
    os.environ["SDL_VIDEODRIVER"] = "dummy"  # a command-line tool of its own: set before pygame's display starts
    import pygame

    from gamegen.viewer.app import App
    from gamegen.viewer.sources import open_source

    source = open_source(args.model, args.width)
    for seed in (1, 2, 3):
        shown = source.make(seed)
        print(f"generate {args.model} width {args.width} seed {seed}: {shown.elapsed_ms:.0f} ms (+ agent and render for the viewer)")
    pygame.display.init()
    pygame.font.init()
    try:
        app = App(pygame.display.set_mode((1280, 720)), source, 1)
        app.render_headless()
        report(app, args.frames)
        app.close()
    finally:
        pygame.quit()


if __name__ == "__main__":
    main()
