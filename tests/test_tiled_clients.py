"""The real Tiled checks our maps: ``tmxrasterizer`` draws them exactly as our preview does, and
``tiled --export-map`` converts them without changing a tile.

Needs Debian's ``tiled`` package (tiled + tmxrasterizer), run headless with
QT_QPA_PLATFORM=offscreen. Without it these tests skip and say why; under CI
(CI set) a missing Tiled fails them instead, since .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from exporters_samples import all_tiles_level, corpus_level
from PIL import Image

from gamegen.exporters import _tiled as T
from gamegen.exporters import parse_formats, read_map
from gamegen.exporters.objects import objects_for
from gamegen.exporters.preview import render_map
from gamegen.exporters.tileart import BACKGROUND
from gamegen.output.batch import export_to_folder

SPECS = ["tmx", "tmx:zlib:embed", "tmj", "tmj:zlib:embed"]


@pytest.fixture
def tiled(tmp_path):
    """A runner for Tiled's command-line tools, headless, with its settings kept in tmp_path."""
    missing = [tool for tool in ("tiled", "tmxrasterizer") if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (Debian package 'tiled'; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Tiled checks, but {reason}")
        pytest.skip(reason)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))

    def run(*args: str | Path) -> None:
        done = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}"

    return run


def _levels():
    return {"all-tiles": all_tiles_level(seed=2**40), "smb-1-1": corpus_level(0, columns=100), "smb2j": corpus_level(25, columns=100)}


def _over_background(path: Path) -> np.ndarray:
    """Tiled 1.8's rasterizer leaves the background transparent (later ones fill it): put it on BACKGROUND, as our preview does."""
    image = Image.open(path).convert("RGBA")
    canvas = Image.new("RGBA", image.size, BACKGROUND)
    canvas.alpha_composite(image)
    return np.asarray(canvas)


@pytest.mark.parametrize("spec", SPECS)
def test_tmxrasterizer_draws_exactly_our_preview(tiled, tmp_path, spec):
    exporter = parse_formats(spec)[0]
    for scale, (stem, level) in zip((2, 1, 3), _levels().items()):
        export_to_folder([(stem, level)], [exporter], tmp_path)
        drawn = tmp_path / f"{stem}-tiled.png"
        # --no-smoothing: nearest-neighbour scaling, as ours; the objects layer holds markers, not tiles.
        tiled("tmxrasterizer", "--scale", str(scale), "--no-smoothing", "--hide-layer", "objects", tmp_path / f"{stem}.{exporter.extension}", drawn)
        theirs, ours = _over_background(drawn), render_map(level, scale)
        assert theirs.shape == ours.shape, (stem, theirs.shape, ours.shape)
        differing = int((theirs != ours).any(axis=-1).sum())
        if differing:
            Image.fromarray(np.concatenate([theirs, ours], axis=0)).save(tmp_path / f"{stem}-tiled-above-ours.png")
        assert differing == 0, f"{stem} at scale {scale}: {differing} pixels differ (see {tmp_path})"


def _gids(layer: dict) -> np.ndarray:
    if layer.get("encoding") == "base64":
        return T.decode_base64(layer["data"], layer.get("compression", ""), layer["width"], layer["height"], "tiled")
    return np.asarray(layer["data"], dtype=np.uint32).reshape(layer["height"], layer["width"])


@pytest.mark.parametrize("options", ["", ":zlib:embed"])
def test_tiled_export_of_our_tmx_holds_our_tile_data(tiled, tmp_path, options):
    for stem, level in _levels().items():
        export_to_folder([(stem, level)], parse_formats(f"tmx{options},tmj{options}"), tmp_path)
        converted = tmp_path / f"{stem}-by-tiled.tmj"
        tiled("tiled", "--export-map", "json", tmp_path / f"{stem}.tmx", converted)
        theirs = json.loads(converted.read_text())
        ours = json.loads((tmp_path / f"{stem}.tmj").read_text())
        tile_layer = next(layer for layer in theirs["layers"] if layer["type"] == "tilelayer")
        assert np.array_equal(_gids(tile_layer), _gids(ours["layers"][0])), stem
        assert np.array_equal(_gids(tile_layer), T.level_gids(level)), stem
        back = read_map(converted)  # our reader follows Tiled's own JSON (it points at the .tsx)
        assert back == level and back.provenance == level.provenance and back.objects == objects_for(level)


def test_tiled_export_of_our_tmj_reads_back_as_tmx(tiled, tmp_path):
    level = _levels()["smb-1-1"]
    export_to_folder([("m", level)], parse_formats("tmj"), tmp_path)
    tiled("tiled", "--export-map", "tmx", tmp_path / "m.tmj", tmp_path / "m-by-tiled.tmx")
    back = read_map(tmp_path / "m-by-tiled.tmx")  # its tileset reference is our .tsj
    assert back == level and back.provenance == level.provenance and back.objects == objects_for(level)
