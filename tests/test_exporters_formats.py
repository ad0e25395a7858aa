"""Every format written, read back: tiles, vocabulary, provenance and objects survive; the bytes are stable."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import numpy as np
import pytest
from exporters_samples import PROVENANCE, all_tiles_level, corpus_level

from gamegen.errors import InvalidRequest
from gamegen.exporters import get_exporter, parse_formats, read_map
from gamegen.exporters.objects import objects_for, platformer_markers
from gamegen.exporters.tileart import BACKGROUND, tileset_image
from gamegen.output.batch import export_to_folder
from gamegen.tiles import TileMap, load_vocabulary

TILED_SPECS = ["tmx", "tmx:zlib", "tmx:embed", "tmx:zlib:embed", "tmj", "tmj:zlib", "tmj:embed", "tmj:zlib:embed"]


def _levels():
    return [all_tiles_level(), all_tiles_level(seed=2**62, params={"width": 16, "nested": [1, None, "x"]})]


def _write_and_read(level, spec, folder, stem="level"):
    exporter = parse_formats(spec)[0]
    export_to_folder([(stem, level)], [exporter], folder)
    return read_map(folder / f"{stem}.{exporter.extension}")


@pytest.mark.parametrize("spec", [*TILED_SPECS, "json"])
def test_round_trip_keeps_tiles_provenance_and_objects(spec, tmp_path):
    for i, level in enumerate(_levels()):
        back = _write_and_read(level, spec, tmp_path / str(i))
        assert back == level  # same vocabulary (to_dict) and every tile id
        assert back.provenance == level.provenance
        assert back.objects == objects_for(level)
        assert back.objects, "a platformer level always gets start and exit markers"


def test_corpus_slices_round_trip_through_every_format(tmp_path):
    level = corpus_level(3, columns=120)
    exporters = parse_formats("tmx,tmj,json,txt")
    export_to_folder([("slice", level)], exporters, tmp_path)
    for ext in ("tmx", "tmj", "json", "txt"):
        back = read_map(tmp_path / f"slice.{ext}")
        assert np.array_equal(back.grid, level.grid), ext
        if ext != "txt":  # the corpus text holds tiles only
            assert back.provenance == level.provenance and back.objects == objects_for(level)


def test_own_objects_with_extra_keys_survive(tmp_path):
    level = all_tiles_level()
    level.objects = [{"name": "coin-room", "x": 3, "y": 1, "reward": 5, "tag": {"a": [1, 2]}}, {"name": "door", "x": 15, "y": 6}]
    for spec in ("tmx", "tmj:embed", "json"):
        assert _write_and_read(level, spec, tmp_path / spec.replace(":", "-")).objects == level.objects


def test_numpy_positions_are_written_as_plain_integers(tmp_path):
    level = all_tiles_level()
    level.objects = [{"name": "start", "x": np.int64(2), "y": np.int16(4)}]
    for spec in ("tmx", "tmj", "json"):
        assert _write_and_read(level, spec, tmp_path / spec).objects == [{"name": "start", "x": 2, "y": 4}]


def test_object_outside_the_map_is_refused():
    level = all_tiles_level()
    level.objects = [{"name": "far", "x": 99, "y": 0}]
    for name in ("tmx", "tmj", "json"):
        with pytest.raises(InvalidRequest, match="outside"):
            get_exporter(name).export(level)


def test_every_engine_json_written_validates_against_the_shipped_schema(tmp_path):
    schema_file = resources.files("gamegen.exporters") / "engine.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    levels = _levels() + [corpus_level(i, columns=200) for i in (0, 7, 20)]
    export_to_folder([(f"m{i}", level) for i, level in enumerate(levels)], parse_formats("json"), tmp_path)
    for i, level in enumerate(levels):
        doc = json.loads((tmp_path / f"m{i}.json").read_text())
        validator.validate(doc)
        assert doc["grid"] == level.grid.tolist() and doc["grid"][0][0] == int(level.grid[0, 0])  # row-major: grid[y][x]
        assert doc["vocabulary"]["tiles"][1]["tags"] == ["ground", "solid"]


def test_tiled_map_details(tmp_path):
    """Empty tile = gid 0, background colour, tile classes and tag properties, provenance properties."""
    level = all_tiles_level(seed=2**40)
    export_to_folder([("m", level)], parse_formats("tmx"), tmp_path)
    root = ET.parse(tmp_path / "m.tmx").getroot()
    assert root.get("backgroundcolor") == "#{:02x}{:02x}{:02x}".format(*BACKGROUND[:3])
    gids = [int(v) for v in root.find("layer/data").text.replace("\n", "").split(",")]
    assert gids[0] == 0 and sorted(set(gids)) == [0] + [i + 1 for i in range(1, 13)]
    props = {p.get("name"): (p.get("type", "string"), p.get("value")) for p in root.findall("properties/property")}
    assert props["model"] == ("string", "platformer-gan") and props["seed:json"] == ("string", str(2**40))
    assert props["params:json"] == ("string", '{"width": 16}') and props["gamegen_version"] == ("string", "0.1.0")
    tsx = ET.parse(tmp_path / "platformer.tsx").getroot()
    enemy = tsx.find("tile[@id='5']")
    assert enemy.get("type") == "enemy"
    tile_props = {p.get("name"): (p.get("type", "string"), p.get("value")) for p in enemy.findall("properties/property")}
    assert tile_props == {"art": ("string", "enemy"), "symbol": ("string", "E"), "enemy": ("bool", "true"), "hazard": ("bool", "true"), "passable": ("bool",
        "true")}
    assert tsx.find("image").get("source") == "platformer-tileset.png"


def test_exports_are_byte_identical_run_to_run():
    level = corpus_level(1)
    for name in ("tmx", "tmj", "json", "png", "txt"):
        first, second = get_exporter(name).export(level), get_exporter(name).export(TileMap(level.grid.copy(), level.vocabulary, dict(level.provenance)))
        assert first == second, name


def test_tile_art_bytes_are_pinned():
    """The tileset every export ships: any change to platformer_art.py's pixels must be deliberate."""
    pixels = tileset_image(load_vocabulary("platformer"))
    assert pixels.shape == (16, 16 * 13, 4)
    assert hashlib.sha256(pixels.tobytes()).hexdigest() == "864956409169d57415fb071a82dc6c4d6afd4af8c4c65524e02f2a68fc948429"


def test_markers_stand_on_the_ground_at_each_end():
    level = all_tiles_level()
    assert platformer_markers(level) == [{"name": "start", "x": 0, "y": 4}, {"name": "exit", "x": 15, "y": 4}]


def test_markers_skip_a_pit_and_a_level_with_no_floor_has_none():
    pit_first = TileMap.from_text("-----\n---E-\n--XXX\n")
    assert platformer_markers(pit_first) == [{"name": "start", "x": 2, "y": 1}, {"name": "exit", "x": 4, "y": 1}]
    assert platformer_markers(TileMap.from_text("-----\n-o---\n")) == []


def test_provenance_of_generated_items_is_written_whole(tmp_path):
    back = _write_and_read(all_tiles_level(), "tmj:zlib", tmp_path)
    assert back.provenance == PROVENANCE
