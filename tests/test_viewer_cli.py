"""``gamegen view``: headless screenshots through the CLI, and one-line errors with exit codes for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("pygame", reason="the viewer needs the viewer extra (make test installs pygame)")

from gamegen.exporters import read_map
from gamegen.exporters.preview import render_map
from gamegen.viewer.hud import STATUS_HEIGHT

SIZE = (640, 360)


@pytest.fixture()
def level_file(data_dir, tmp_path) -> Path:
    path = tmp_path / "mario-1-2.txt"
    path.write_bytes((data_dir / "vglc" / "Super Mario Bros" / "Processed" / "mario-1-2.txt").read_bytes())
    return path


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGBA"))


def one_line_error(err: str, message: str) -> None:
    assert err.startswith("gamegen: error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_screenshot_of_a_file(run_cli, level_file, tmp_path):
    shot = tmp_path / "shots" / "level.png"
    code, out, err = run_cli("view", level_file, "--screenshot", shot, "--size", "640x360", "--zoom", "1", "--grid")
    assert code == 0, err
    assert out.strip() == f"wrote {shot}"
    frame = pixels(shot)
    assert frame.shape == (SIZE[1], SIZE[0], 4)
    golden = render_map(read_map(level_file))  # zoom 1: 224 rows, centred in the 316-row view
    top = (SIZE[1] - STATUS_HEIGHT - golden.shape[0]) // 2
    level = frame[top : top + golden.shape[0]]
    off_grid = np.ones(SIZE[0], dtype=bool)
    off_grid[::16] = False  # --grid draws the tile boundaries; everything between them is the preview
    rows = np.arange(golden.shape[0]) % 16 != 0
    np.testing.assert_array_equal(level[rows][:, off_grid], golden[rows][:, : SIZE[0]][:, off_grid])


def test_screenshot_of_a_generated_level_waits_for_it(run_cli, tmp_path):
    import gamegen

    shot = tmp_path / "gen.png"
    code, _, err = run_cli("view", "platformer-gan", "--seed", 3, "--width", 60, "--screenshot", shot, "--size", "640x360")
    assert code == 0, err
    level = gamegen.load("platformer-gan").generate(3, width=60)
    golden = render_map(level)[:, : SIZE[0]]
    top = (SIZE[1] - STATUS_HEIGHT - golden.shape[0]) // 2
    np.testing.assert_array_equal(pixels(shot)[top : top + golden.shape[0]], golden)


@pytest.mark.parametrize("model, args", [("overworld", ["--width", 18]), ("dungeon-vae", [])])
def test_model_free_and_dungeon_generators_open_like_any_other(run_cli, tmp_path, model, args):
    """The viewer drives every tile-map kind through its descriptor (the overworld crashed before: no card)."""
    import gamegen

    shot = tmp_path / f"{model}.png"
    code, _, err = run_cli("view", model, "--seed", 3, *args, "--screenshot", shot, "--size", "640x360", "--zoom", "1")
    assert code == 0, err
    generator = gamegen.load(model)
    level = generator.generate(3, **({"width": 18} if args else {}))  # 18 x 18 tiles fit the view at zoom 1
    golden = render_map(level)[: SIZE[1] - STATUS_HEIGHT, : SIZE[0]]
    frame = pixels(shot)
    top = max((SIZE[1] - STATUS_HEIGHT - golden.shape[0]) // 2, 0)
    left = max((SIZE[0] - golden.shape[1]) // 2, 0)
    np.testing.assert_array_equal(frame[top : top + golden.shape[0], left : left + golden.shape[1]], golden)


def test_python_m_gamegen_viewer_is_gamegen_view(level_file, tmp_path, capsys):
    from gamegen.viewer.__main__ import main

    shot = tmp_path / "m.png"
    assert main([str(level_file), "--screenshot", str(shot), "--size", "640x360"]) == 0
    assert shot.is_file()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["{missing}"], 4, "no such file"),
        (["{malformed}"], 4, "is not well-formed XML"),
        (["no-such-model"], 3, "unknown model 'no-such-model'"),
        (["platformer-gan", "--width", "10"], 2, "width 10 is outside"),
        (["{file}", "--seed", "-1"], 2, "seed -1 is outside"),
        (["{file}", "--size", "10x10"], 2, "window size '10x10'"),
        (["{file}", "--zoom", "9"], 2, "zoom 9 is outside [1, 8]"),
        (["{file}", "--overlay", "rooms"], 2, "overlay 'rooms' is not one of"),
        (["{file}", "--format", "gif"], 2, "unknown format 'gif'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(run_cli, level_file, tmp_path, args, code, message):
    malformed = tmp_path / "broken.tmx"
    malformed.write_text("<map", encoding="utf-8")
    names = {"{missing}": str(tmp_path / "missing.tmx"), "{malformed}": str(malformed), "{file}": str(level_file)}
    shot = tmp_path / "shot.png"
    got, _, err = run_cli("view", *[names.get(a, a) for a in args], "--screenshot", shot)
    assert got == code
    one_line_error(err, message)
    assert not shot.exists()


@pytest.mark.parametrize("target, message", [("folder", "is a folder"), ("shot.jpg", "name it *.png")])
def test_bad_screenshot_path(run_cli, level_file, tmp_path, target, message):
    (tmp_path / "folder").mkdir()
    got, _, err = run_cli("view", level_file, "--screenshot", tmp_path / target)
    assert got == 2
    one_line_error(err, message)


def test_no_display_without_screenshot_is_an_error(run_cli, level_file, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    got, _, err = run_cli("view", level_file)
    assert got == 1
    one_line_error(err, "no display available")
    assert "--screenshot" in err
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")  # a driver that opens no visible window counts as none
    got, _, err = run_cli("view", level_file)
    assert got == 1
    one_line_error(err, "shows no window")


def test_missing_pygame_names_the_extra(run_cli, level_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "pygame", None)  # import pygame → ImportError
    for name in [m for m in sys.modules if m == "gamegen.viewer" or m.startswith("gamegen.viewer.")]:
        monkeypatch.delitem(sys.modules, name)
    got, _, err = run_cli("view", level_file, "--screenshot", "x.png")
    assert got == 2
    one_line_error(err, "pip install 'gamegen[viewer]'")


def test_importing_gamegen_never_imports_pygame():
    code = "import sys, gamegen, gamegen.cli.commands, gamegen.exporters; assert 'pygame' not in sys.modules, 'pygame imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
