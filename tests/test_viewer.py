"""The viewer App, driven headless: posted key and mouse events, the state they change, and its pixels.

SDL's dummy video driver is chosen before pygame's display starts, so no window
opens. Sources are a corpus-text file (real reader and agent) or a fake model
whose levels are made from the seed in microseconds, so nothing waits on ONNX.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import numpy as np
import pytest

pygame = pytest.importorskip("pygame", reason="the viewer needs the viewer extra (make test installs pygame)")

from gamegen.exporters import read_map  # noqa: E402
from gamegen.exporters.preview import render_map  # noqa: E402
from gamegen.tiles import TileMap, load_vocabulary  # noqa: E402
from gamegen.viewer import App  # noqa: E402
from gamegen.viewer.camera import Camera  # noqa: E402
from gamegen.viewer.canvas import GRID_COLOUR, STRIP_PX  # noqa: E402
from gamegen.viewer.hud import STATUS_HEIGHT  # noqa: E402
from gamegen.viewer.sources import FileSource, prepare  # noqa: E402
from gamegen.viewer.worker import Worker  # noqa: E402

SIZE = (640, 360)
TILE = 16


@pytest.fixture()
def screen(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    pygame.display.init()
    pygame.font.init()
    try:
        yield pygame.display.set_mode(SIZE)
    finally:
        pygame.quit()


@pytest.fixture()
def level_file(data_dir, tmp_path) -> Path:
    """World 1-1 as corpus text (202 columns, 14 rows)."""
    path = tmp_path / "mario-1-1.txt"
    path.write_bytes((data_dir / "vglc" / "Super Mario Bros" / "Processed" / "mario-1-1.txt").read_bytes())
    return path


class FakeModel:
    """A model-like source: level ``seed`` has a column of bricks at x = seed (mod width); optional gate to hold it."""

    steps_seeds = True
    label = "fake"

    def __init__(self, width: int = 120, gate: threading.Event | None = None):
        self.width, self.gate, self.made = width, gate, []

    def make(self, seed):
        if self.gate is not None:
            assert self.gate.wait(10), "the test never released the fake model"
        self.made.append(seed)
        vocab = load_vocabulary("platformer")
        grid = np.full((14, self.width), vocab.empty_id, dtype=np.int16)
        grid[12:] = vocab.by_symbol("X").id
        grid[5:9, seed % self.width] = vocab.by_symbol("S").id
        level = TileMap(grid, vocab, {"model": "fake", "seed": seed, "repair": {"edits": seed * 2}})
        return prepare(level, self.label, f"fake-{seed}", seed, 1.0, None)


def settle(app: App) -> None:
    """One frame to take the posted events, let the worker finish what they asked, one frame to show it."""
    app.step()
    assert app.worker.wait_idle(30)
    app.step()


def post(kind, **fields) -> None:
    pygame.event.post(pygame.event.Event(kind, **fields))


def key(code, unicode="", mod=0) -> None:
    post(pygame.KEYDOWN, key=code, mod=mod, unicode=unicode)


@pytest.fixture()
def file_app(screen, level_file, tmp_path):
    app = App(screen, FileSource.open(level_file), zoom=2, export_dir=tmp_path / "exports")
    settle(app)
    yield app
    app.close()


@pytest.fixture()
def fake_app(screen, tmp_path):
    app = App(screen, FakeModel(), seed=5, zoom=1, export_dir=tmp_path / "exports", rng=random.Random(0))
    settle(app)
    yield app
    app.close()


def view_pixels(app: App) -> np.ndarray:
    return app.frame_pixels()[: SIZE[1] - STATUS_HEIGHT]


# -- what is drawn ------------------------------------------------------------


def test_frame_is_the_exporters_preview_of_the_visible_region(file_app, level_file):
    """The level area of a frame equals render_map at the zoom, cut to the viewport; the map opens at its bottom-left."""
    level = read_map(level_file)
    golden = render_map(level, 2)  # (448, 6464, 4)
    view_h = SIZE[1] - STATUS_HEIGHT
    top = golden.shape[0] - view_h  # the ground is shown first
    assert (file_app.camera.x, file_app.camera.y) == (0, top)
    np.testing.assert_array_equal(view_pixels(file_app), golden[top:, : SIZE[0]])
    key(pygame.K_RIGHT, mod=pygame.KMOD_LSHIFT)  # a page to the right: a second strip comes into view
    file_app.step()
    x = file_app.camera.x
    assert x == SIZE[0] * 9 // 10 and x + SIZE[0] > STRIP_PX
    np.testing.assert_array_equal(view_pixels(file_app), golden[top:, x : x + SIZE[0]])


def test_status_bar_shows_model_seed_size_playability_edits_and_time(fake_app, file_app):
    texts = [text for text, _ in fake_app.status_fields()]
    assert texts[:6] == ["fake", "seed 5", "120x14", "not played", "10 edits", "gen 1 ms"]
    texts = [text for text, _ in file_app.status_fields()]
    assert texts[0] == "mario-1-1.txt" and texts[1] == "file" and texts[2] == "202x14"
    assert texts[3] == "finishable" and texts[4] == "edits -" and texts[5].startswith("read ")
    bar = file_app.frame_pixels()[SIZE[1] - STATUS_HEIGHT :, :, :3].astype(int)
    assert (bar.sum(axis=2) > 500).sum() > 300  # light text on the dark bar


def test_a_map_narrower_than_the_window_is_centred(screen, tmp_path):
    app = App(screen, FakeModel(width=28), zoom=1)
    settle(app)
    assert app.camera.x == -(SIZE[0] - 28 * TILE) // 2
    frame = view_pixels(app)
    assert tuple(frame[100, 5, :3]) != tuple(frame[100, SIZE[0] // 2, :3])  # backdrop left of the map, sky inside
    app.close()


# -- keys and mouse -----------------------------------------------------------


def test_arrows_and_drag_scroll(file_app):
    camera = file_app.camera
    key(pygame.K_RIGHT)
    key(pygame.K_RIGHT)
    file_app.step()
    assert camera.x == 2 * 2 * TILE * 2  # two presses, two tiles each, zoom 2
    key(pygame.K_LEFT)
    key(pygame.K_UP)
    file_app.step()
    assert camera.x == 2 * TILE * 2 and camera.y == 448 - (SIZE[1] - STATUS_HEIGHT) - 2 * TILE * 2
    post(pygame.MOUSEBUTTONDOWN, button=1, pos=(300, 100))
    post(pygame.MOUSEMOTION, pos=(250, 110), rel=(-50, 10), buttons=(1, 0, 0))
    post(pygame.MOUSEBUTTONUP, button=1, pos=(250, 110))
    post(pygame.MOUSEMOTION, pos=(200, 110), rel=(-50, 0), buttons=(0, 0, 0))  # not dragging any more
    file_app.step()
    assert camera.x == 2 * TILE * 2 + 50 and camera.y == 448 - (SIZE[1] - STATUS_HEIGHT) - 2 * TILE * 2 - 10
    key(pygame.K_LEFT, mod=pygame.KMOD_LSHIFT)
    key(pygame.K_LEFT, mod=pygame.KMOD_LSHIFT)
    file_app.step()
    assert camera.x == 0  # clamped at the left edge


def test_wheel_and_plus_minus_zoom_in_integer_steps(file_app):
    camera = file_app.camera
    post(pygame.MOUSEWHEEL, x=0, y=1, flipped=False)
    file_app.step()
    assert camera.zoom == 3
    key(pygame.K_MINUS)
    key(pygame.K_MINUS)
    file_app.step()
    assert camera.zoom == 1
    key(pygame.K_MINUS)
    file_app.step()
    assert camera.zoom == 1
    key(pygame.K_EQUALS, unicode="+", mod=pygame.KMOD_LSHIFT)
    key(pygame.K_KP_PLUS, unicode="+")
    file_app.step()
    assert camera.zoom == 3
    for _ in range(10):
        key(pygame.K_EQUALS, unicode="=")
    file_app.step()
    assert camera.zoom == 8
    frame = view_pixels(file_app)
    x, y = camera.x, camera.y  # every 8x8 block of screen pixels is one map pixel: crisp
    block = frame[(8 - y % 8) % 8 :][:8, (8 - x % 8) % 8 :][:, :8]
    assert (block == block[0, 0]).all()


def test_zoom_keeps_the_map_point_under_the_anchor():
    camera = Camera(640, 316, world_w=3232, world_h=224, zoom=2)
    camera.x, camera.y = 400, 0
    under = ((camera.x + 100) / 2, (camera.y + 50) / 2)
    camera.set_zoom(4, anchor=(100, 50))
    assert ((camera.x + 100) / 4, (camera.y + 50) / 4) == under


def test_grid_help_and_overlays_toggle_and_show(file_app):
    plain = view_pixels(file_app).copy()
    key(pygame.K_g)
    file_app.step()
    assert file_app.grid
    column_line = view_pixels(file_app)[:, 2 * TILE * 2, :3]  # the boundary after the second tile, zoom 2
    assert (column_line == GRID_COLOUR).all()
    key(pygame.K_g)
    key(pygame.K_h)
    file_app.step()
    assert not file_app.grid and file_app.help
    centre = view_pixels(file_app)[150:170, 250:390, :3].astype(int)
    assert centre.mean() < plain[150:170, 250:390, :3].astype(int).mean() - 40  # the dark help panel
    key(pygame.K_SLASH, unicode="?", mod=pygame.KMOD_LSHIFT)
    file_app.step()
    assert not file_app.help
    np.testing.assert_array_equal(view_pixels(file_app), plain)

    seen = []
    for _ in range(3):
        key(pygame.K_o)
        file_app.step()
        seen.append(file_app.overlay)
    assert seen == ["path", "solid", "none"]


def test_solid_overlay_tints_solid_tiles_only(file_app):
    file_app.overlay = "solid"
    file_app.step()
    tinted = view_pixels(file_app).astype(int)
    file_app.overlay = "none"
    file_app.step()
    plain = view_pixels(file_app).astype(int)
    ground, sky = (-10, 40), (40, 40)  # bottom row of the view is ground, the top is sky
    assert tinted[ground][0] > plain[ground][0] and tinted[ground][1] < plain[ground][1]  # redder
    assert (tinted[sky] == plain[sky]).all()


def test_path_overlay_draws_the_agents_path(file_app):
    path = file_app.shown.path
    assert file_app.shown.finishable and len(path) > 20 and path[-1][0] == file_app.shown.level.width - 1  # the spots Mario stands on, to the end
    plain = view_pixels(file_app).copy()
    file_app.overlay = "path"
    file_app.step()
    changed = (view_pixels(file_app) != plain).any(axis=2)
    x, y = path[1]  # a point of the path near the start: its tile centre is drawn over
    cx, cy = (x * TILE + 8) * 2 - file_app.camera.x, (y * TILE + 8) * 2 - file_app.camera.y
    assert changed[cy, cx]
    assert changed.sum() < changed.size // 10  # a line, not a fill


# -- seeds and work off the main thread ----------------------------------------


def test_n_p_r_step_seeds(fake_app):
    key(pygame.K_n)
    settle(fake_app)
    assert fake_app.shown.seed == 6
    key(pygame.K_p)
    key(pygame.K_p)
    settle(fake_app)
    assert fake_app.shown.seed == 4
    key(pygame.K_r)
    settle(fake_app)
    assert fake_app.shown.seed == random.Random(0).randrange(2**31)
    fake_app.seed = 0
    key(pygame.K_p)
    settle(fake_app)
    assert fake_app.seed == 0


def test_seed_keys_on_a_file_only_say_so(file_app):
    key(pygame.K_n)
    settle(file_app)
    assert file_app.pending is None and file_app.shown.seed is None
    assert "is a file" in file_app.message[0]


def test_the_loop_draws_while_a_level_is_generating(screen):
    """Generation runs on the worker: frames go on while the model is busy, and the old map stays up."""
    gate = threading.Event()
    gate.set()
    model = FakeModel(gate=gate)
    app = App(screen, model, seed=1, zoom=1)
    settle(app)
    gate.clear()
    key(pygame.K_n)
    for _ in range(5):
        app.step()  # would hang here if generation ran on this thread
    assert app.pending is not None and app.shown.seed == 1 and "generating fake seed 2" in app.message[0]
    gate.set()
    settle(app)
    assert app.shown.seed == 2 and app.pending is None
    app.close()


def test_a_newer_request_supersedes_queued_ones():
    worker = Worker()
    gate, ran = threading.Event(), []
    worker.submit(gate.wait, 10)  # holds the thread while the content requests queue up
    ids = [worker.submit(ran.append, n, slot="content") for n in range(5)]
    worker.submit(ran.append, "export")  # no slot: always runs
    gate.set()
    assert worker.wait_idle(10)
    assert ran == [4, "export"]
    assert [r.id for r in worker.results()] == [ids[0] - 1, ids[-1], ids[-1] + 1]
    worker.close()


def test_worker_errors_are_results_not_a_dead_thread():
    worker = Worker()
    worker.submit(lambda: 1 / 0)
    worker.submit(lambda: "still alive")
    worker.wait_idle(10)
    first, second = worker.results()
    assert isinstance(first.error, ZeroDivisionError) and second.value == "still alive"
    worker.close()


# -- files, exports, screenshots ------------------------------------------------


def test_dropping_a_bad_file_keeps_the_map_and_reports_one_line(file_app, tmp_path):
    bad = tmp_path / "broken.tmx"
    bad.write_text("<map><layer", encoding="utf-8")
    cases = {bad: "not well-formed", tmp_path / "missing.tmj": "no such file", tmp_path / "notes.md": "unknown extension"}
    for path, why in cases.items():
        post(pygame.DROPFILE, file=str(path))
        settle(file_app)
        text, _ = file_app.message
        assert path.name in text and why in text and "\n" not in text
        assert file_app.shown.label == "mario-1-1.txt" and file_app.running


def test_dropping_a_good_file_opens_it(fake_app, level_file):
    post(pygame.DROPFILE, file=str(level_file))
    settle(fake_app)
    assert fake_app.shown.label == "mario-1-1.txt" and not fake_app.source.steps_seeds
    assert fake_app.camera.x == 0  # a map of another size starts at its beginning


def test_f5_reads_the_file_again(file_app, level_file):
    rows = level_file.read_text().splitlines()
    rows[0] = "E" + rows[0][1:]  # an enemy in the top-left corner, as if placed in an editor meanwhile
    level_file.write_text("\n".join(rows) + "\n")
    key(pygame.K_F5)
    settle(file_app)
    assert file_app.shown.level.vocabulary.tiles[file_app.shown.level.grid[0, 0]].symbol == "E"


def test_e_exports_the_map_in_the_cli_formats(file_app, level_file, tmp_path):
    key(pygame.K_e)
    settle(file_app)
    folder = tmp_path / "exports"
    names = {p.name for p in folder.iterdir()}
    assert {"mario-1-1.tmx", "mario-1-1.tmj", "mario-1-1.json", "mario-1-1.png", "manifest.jsonl"} <= names
    assert read_map(folder / "mario-1-1.tmx") == read_map(level_file)
    assert file_app.message[0].startswith("exported mario-1-1.tmx")


def test_export_into_a_file_reports_the_error(screen, level_file, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = App(screen, FileSource.open(level_file), export_dir=blocker)
    settle(app)
    key(pygame.K_e)
    settle(app)
    text, _ = app.message
    assert "not-a-folder" in text and "not a folder" in text
    app.close()


def test_s_saves_numbered_screenshots_of_the_frame(fake_app, tmp_path):
    frame = fake_app.frame_pixels().copy()
    key(pygame.K_s)
    settle(fake_app)
    key(pygame.K_s)
    settle(fake_app)
    first, second = tmp_path / "exports" / "fake-5-view-1.png", tmp_path / "exports" / "fake-5-view-2.png"
    assert second.is_file()
    from PIL import Image

    np.testing.assert_array_equal(np.asarray(Image.open(first).convert("RGBA")), frame)


def test_quit_and_escape_stop_the_loop(fake_app):
    key(pygame.K_ESCAPE)
    fake_app.run()  # returns after one frame
    assert not fake_app.running
