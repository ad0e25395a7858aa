"""Dungeons through the CLI and the exporters: TMX (rendered by the real tmxrasterizer), engine JSON with its rooms section, PNG."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib import resources

import jsonschema
import numpy as np
import pytest
from PIL import Image

import gamegen
from gamegen.dungeon import Dungeon
from gamegen.dungeon.play import check_dungeon
from gamegen.exporters import get_exporter, read_map
from gamegen.exporters.preview import render_map
from gamegen.exporters.tileart import BACKGROUND, background_of
from gamegen.tiles import load_vocabulary


@pytest.fixture(scope="module")
def dungeon():
    return gamegen.load("dungeon-vae", providers=["CPUExecutionProvider"]).generate(seed=3, rooms=12)


def test_generate_rooms_writes_tmx_json_png(run_cli, tmp_path, dungeon):
    code, out, err = run_cli("generate", "dungeon-vae", "--seed", 3, "--rooms", 12, "--format", "tmx,json,png", "--out", tmp_path, "--quiet")
    assert code == 0, err
    assert "wrote 5 files for 1 items" in out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["dungeon-tileset.png", "dungeon-vae-3.json", "dungeon-vae-3.png", "dungeon-vae-3.tmx", "dungeon.tsx", "manifest.jsonl"]
    doc = json.loads((tmp_path / "dungeon-vae-3.json").read_text())
    schema = json.loads((resources.files("gamegen.exporters") / "engine.schema.json").read_text())
    jsonschema.validate(doc, schema)
    assert doc["grid"] == dungeon.grid.tolist() and doc["rooms"] == json.loads(json.dumps(dungeon.rooms))
    back = read_map(tmp_path / "dungeon-vae-3.json")
    assert isinstance(back, Dungeon) and back == dungeon and check_dungeon(back).valid
    png = np.asarray(Image.open(tmp_path / "dungeon-vae-3.png").convert("RGBA"))
    assert np.array_equal(png, render_map(dungeon))
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert {m["provenance"]["params"]["rooms"] for m in manifest if "provenance" in m} == {12}
    # A re-run finds everything complete and writes nothing.
    code, out, _ = run_cli("generate", "dungeon-vae", "--seed", 3, "--rooms", 12, "--format", "tmx,json,png", "--out", tmp_path, "--quiet")
    assert code == 0 and "wrote 0 files" in out


def test_tmx_holds_the_room_graph_as_objects(tmp_path, dungeon):
    (tmp_path / "d.tmx").write_bytes(get_exporter("tmx", embed=True).export(dungeon))
    (tmp_path / "dungeon-tileset.png").write_bytes(b"")
    level = read_map(tmp_path / "d.tmx")
    assert level == dungeon
    names = [o["name"] for o in level.objects]
    assert names.count("room") == 12 and names.count("entrance") == 1 and names.count("stairs") == 1 and names.count("boss") == 1
    assert names.count("key") == len(dungeon.rooms["keys"]) and names.count("door") == len(dungeon.rooms["doors"])
    room = next(o for o in level.objects if o["name"] == "room" and o["role"] == "boss")
    assert "boss" in room["holds"] and room["room"] == dungeon.rooms["boss"]


def test_tmxrasterizer_draws_the_dungeon_as_our_preview(tmp_path, dungeon):
    if shutil.which("tmxrasterizer") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Tiled checks, but tmxrasterizer is not installed")
        pytest.skip("tmxrasterizer not installed (Debian package 'tiled')")
    for name, data in {**get_exporter("tmx").companions(dungeon), "d.tmx": get_exporter("tmx").export(dungeon)}.items():
        (tmp_path / name).write_bytes(data)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))
    done = subprocess.run(["tmxrasterizer", "--no-smoothing", "--hide-layer", "objects", str(tmp_path / "d.tmx"), str(tmp_path / "t.png")],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    image = Image.open(tmp_path / "t.png").convert("RGBA")
    canvas = Image.new("RGBA", image.size, background_of(dungeon.vocabulary))  # older rasterizers leave the background transparent
    canvas.alpha_composite(image)
    assert np.array_equal(np.asarray(canvas), render_map(dungeon))


def test_dungeon_background_is_the_void_and_platformer_keeps_the_sky(dungeon):
    assert background_of(dungeon.vocabulary) != BACKGROUND
    assert background_of(load_vocabulary("platformer")) == BACKGROUND
    void = np.argwhere(dungeon.grid == dungeon.vocabulary.empty_id)[0]
    assert tuple(render_map(dungeon)[void[0] * 16, void[1] * 16]) == background_of(dungeon.vocabulary)


def test_platformer_engine_json_has_no_rooms():
    level = gamegen.load("platformer-gan").generate(1, width=28 * 2)
    assert "rooms" not in json.loads(get_exporter("json").export(level))


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--rooms", "0"], 2, "rooms 0 is outside [1, 64]"),
        (["--rooms", "65"], 2, "rooms 65 is outside [1, 64]"),
        (["--width", "100"], 2, "not apply"),
        (["--rooms", "3", "--format", "tmx,nope"], 2, "unknown format"),
    ],
)
def test_bad_cli_input_writes_nothing(run_cli, tmp_path, args, code, message):
    out = tmp_path / "out"
    got, _, err = run_cli("generate", "dungeon-vae", *args, "--out", out, "--quiet")
    assert got == code and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_rooms_option_is_for_dungeon_models(run_cli, tmp_path):
    code, _, err = run_cli("generate", "platformer-gan", "--rooms", "3", "--out", tmp_path / "x")
    assert code == 2 and "--rooms does not apply to platformer-gan" in err


@pytest.mark.parametrize("spec", ["tmx", "tmj"])
def test_pytiled_parser_reads_the_room_graph(tmp_path, dungeon, spec):
    pytiled_parser = pytest.importorskip("pytiled_parser", reason="pytiled-parser is in the dev extra")
    from gamegen.exporters import parse_formats
    from gamegen.output.batch import export_to_folder

    exporter = parse_formats(spec)[0]
    export_to_folder([("d", dungeon)], [exporter], tmp_path)
    parsed = pytiled_parser.parse_map(tmp_path / f"d.{exporter.extension}")
    tiles, objects = parsed.layers
    assert len(tiles.data) == dungeon.height and tuple(parsed.background_color) == background_of(dungeon.vocabulary)
    rooms = [o for o in objects.tiled_objects if o.name == "room"]
    assert sorted(o.properties["room"] for o in rooms) == list(range(12))
    doors = {o.properties["door"]: o for o in objects.tiled_objects if o.name == "door"}
    for door in dungeon.rooms["doors"]:
        assert doors[door["id"]].properties["kind"] == door["kind"]
        assert json.loads(doors[door["id"]].properties["rooms:json"]) == door["rooms"]
