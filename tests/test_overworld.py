"""The overworld generator: deterministic, seamless chunks, biomes by the vocabulary's rules,
rivers that run downhill to the sea, sizes up to 4096, one-line errors, exports Tiled opens."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest

import gamegen
from gamegen.errors import InvalidRequest
from gamegen.exporters import get_exporter, read_map
from gamegen.overworld.generator import OverworldGenerator
from gamegen.overworld.rivers import TRAVEL
from gamegen.overworld.terrain import COORD_LIMIT, biome_rules
from gamegen.sprites.dataset import components  # 8-connected labelling, numpy only

SEED = 42


@pytest.fixture(scope="module")
def gen():
    return gamegen.load("overworld")


@pytest.fixture(scope="module")
def big(gen):
    return gen.terrain(SEED, 0, 0, 768, 768)


def ids(gen, *names):
    return [t.id for t in gen.vocabulary.tiles if t.name in names]


def test_load_makes_a_model_free_generator(gen):
    assert isinstance(gen, OverworldGenerator) and gen.vocabulary.name == "overworld"
    level = gen.generate(1, width=40, height=30)
    assert level.grid.shape == (30, 40)
    assert level.provenance["model"] == "overworld" and level.provenance["seed"] == 1
    assert level.provenance["params"]["octaves"] == 6


def test_same_seed_same_map_other_seed_other_map(gen):
    a, b, c = gen.generate(5, width=128), gen.generate(5, width=128), gen.generate(6, width=128)
    assert np.array_equal(a.grid, b.grid)
    assert (a.grid != c.grid).mean() > 0.2


def test_chunks_equal_the_same_region_of_the_whole_map(gen):
    whole = gen.generate_region(SEED, -192, -128, 448, 384)
    assert (whole.grid == ids(gen, "river")[0]).any(), "the window should hold rivers to make the test bite"
    size = 64
    for cy in range(-2, 4):
        for cx in range(-3, 4):
            chunk = gen.generate_chunk(SEED, cx, cy, size)
            y0, x0 = cy * size + 128, cx * size + 192
            assert np.array_equal(chunk.grid, whole.grid[y0 : y0 + size, x0 : x0 + size]), (cx, cy)
            assert chunk.provenance["params"]["chunk"] == [cx, cy]


def test_odd_windows_and_sizes_agree(gen):
    whole = gen.generate(SEED, width=300, height=200)
    assert np.array_equal(gen.generate(SEED, width=120, height=77).grid, whole.grid[:77, :120])
    assert np.array_equal(gen.generate_region(SEED, 173, 101, 1, 99).grid, whole.grid[101:200, 173:174])
    assert np.array_equal(gen.generate_chunk(SEED, 2, 1, 37).grid, whole.grid[37:74, 74:111])


def test_biomes_follow_the_vocabulary_thresholds(gen, big):
    rules, grid = biome_rules(), big.ids
    e, m = big.elevation, big.moisture
    names = {t.id: t.name for t in gen.vocabulary.tiles}
    found = {names[i] for i in np.unique(grid)}
    assert {"deep-water", "shallow-water", "beach", "grass", "forest", "hills", "mountain", "river"} <= found
    land = ~big.river
    assert (grid[e < rules["deep_water"]] == ids(gen, "deep-water")[0]).all()
    band = (e >= rules["deep_water"]) & (e < rules["sea_level"])
    assert (grid[band] == ids(gen, "shallow-water")[0]).all()
    assert (grid[land & (e >= rules["sea_level"]) & (e < rules["beach"])] == ids(gen, "beach")[0]).all()
    assert (grid[land & (e >= rules["snow"])] == ids(gen, "snow")[0]).all()
    low = land & (e >= rules["beach"]) & (e < rules["hills"])
    assert set(np.unique(grid[low & (m > rules["forest_moisture"])])) == set(ids(gen, "forest"))
    assert set(np.unique(grid[low & (m <= rules["forest_moisture"])])) == set(ids(gen, "grass"))
    assert not (big.river & (e < rules["sea_level"])).any(), "rivers are drawn on land only"


def test_rivers_run_downhill_to_the_sea(big):
    sea = biome_rules()["sea_level"]
    assert len(big.network.paths) >= 10
    for path in big.network.paths:
        elevation = path[:, 2]
        assert (np.diff(elevation) < 0).all(), "each step of a river goes strictly down"
        assert elevation[-1] < sea <= elevation[0], "a river starts on land and ends in the sea"
        steps = np.abs(np.diff(path[:, :2], axis=0)).max(axis=1)
        assert steps.sum() <= (TRAVEL + 1) * 16 * 1.2


def test_river_tiles_reach_water(gen, big):
    """Every connected river (8-neighbours) that the window does not cut touches the sea."""
    river = big.ids == ids(gen, "river")[0]
    water = np.isin(big.ids, ids(gen, "deep-water", "shallow-water"))
    labels, count = components(river)
    assert count >= 5
    touching = np.zeros(count + 1, dtype=bool)
    grown = _dilate8(water)
    touching[np.unique(labels[grown & river])] = True
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    inner = [k for k in range(1, count + 1) if k not in border]
    assert inner and all(touching[k] for k in inner)


def _dilate8(mask):
    out = mask.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            out |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return out


def test_the_largest_map(gen):
    level = gen.generate(3, width=4096, height=4096)
    assert level.grid.shape == (4096, 4096)
    assert np.array_equal(level.grid[:256, :256], gen.generate(3, width=256).grid)


@pytest.mark.parametrize("call, message", [
    (lambda g: g.generate(1, width=0), "width 0 is outside"),
    (lambda g: g.generate(1, width=4097), "width 4097 is outside"),
    (lambda g: g.generate(1, width=64, height=5000), "height 5000 is outside"),
    (lambda g: g.generate(-1, width=64), "seed"),
    (lambda g: g.generate_chunk(1, COORD_LIMIT // 64, 0, 64), "cx"),
    (lambda g: g.generate_chunk(1, 0, -COORD_LIMIT // 64 - 1, 64), "cy"),
    (lambda g: g.generate_chunk(1, 0, 0, 0), "size 0"),
    (lambda g: g.generate_chunk(1, 0, 0, 2000), "size 2000"),
    (lambda g: g.generate_region(1, COORD_LIMIT - 10, 0, 64, 64), "limit"),
    (lambda g: g.generate_batch([1], width=64, raw=True), "raw does not apply to overworld"),
])  # fmt: skip
def test_bad_requests_are_one_line_errors(gen, call, message):
    with pytest.raises(InvalidRequest, match=message) as caught:
        call(gen)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("params, message", [
    ({"octaves": 0}, "octaves"), ({"scale": -1}, "scale"), ({"persistence": 2}, "persistence"),
    ({"lacunarity": "2"}, "lacunarity"), ({"rivers": 1}, "rivers"), ({"wiggle": 3}, "parameters are"),
])  # fmt: skip
def test_bad_parameters(params, message):
    with pytest.raises(InvalidRequest, match=message):
        OverworldGenerator(**params)


def test_parameters_change_the_map():
    base = OverworldGenerator().generate(9, width=128)
    for params in ({"octaves": 3}, {"scale": 64.0}, {"persistence": 0.7}, {"lacunarity": 2.5}, {"rivers": False}):
        other = OverworldGenerator(**params).generate(9, width=128)
        assert not np.array_equal(other.grid, base.grid), params
        assert other.provenance["params"][next(iter(params))] == next(iter(params.values()))


def test_exports_round_trip_and_minimap(gen, tmp_path):
    level = gen.generate(SEED, width=96, height=64)
    for spec, ext in (("tmx", "tmx"), ("tmj", "tmj"), ("json", "json")):
        path = tmp_path / f"map.{ext}"
        exporter = get_exporter(spec)
        path.write_bytes(exporter.export(level))
        for name, data in getattr(exporter, "companions", lambda _: {})(level).items():
            (tmp_path / name).write_bytes(data)
        back = read_map(path)
        assert back == level and back.provenance["params"] == level.provenance["params"]
    from gamegen.exporters.minimap import render_minimap, tile_colours

    pixels = render_minimap(level, 2)
    assert pixels.shape == (128, 192, 4)
    assert np.array_equal(pixels[::2, ::2], tile_colours(gen.vocabulary)[level.grid])
    assert len({tuple(c) for c in tile_colours(gen.vocabulary)}) == len(gen.vocabulary), "every tile has its own colour"


def test_tiled_renders_an_overworld_map(gen, tmp_path):
    if shutil.which("tmxrasterizer") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Tiled checks")
        pytest.skip("tmxrasterizer not installed")
    from PIL import Image

    from gamegen.exporters.preview import render_map

    level = gen.generate(SEED, width=48, height=40)
    exporter = get_exporter("tmx")
    (tmp_path / "ow.tmx").write_bytes(exporter.export(level))
    for name, data in exporter.companions(level).items():
        (tmp_path / name).write_bytes(data)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))
    subprocess.run(["tmxrasterizer", str(tmp_path / "ow.tmx"), str(tmp_path / "ow.png")], env=env, check=True, capture_output=True, timeout=120)
    tiled = np.asarray(Image.open(tmp_path / "ow.png").convert("RGBA"))
    assert np.array_equal(tiled, render_map(level)), "Tiled draws the map as gamegen's preview does (all overworld tiles are opaque)"


def test_cli_generate_overworld(run_cli, tmp_path):
    out = tmp_path / "ow"
    code, _stdout, err = run_cli("generate", "overworld", "--seed", "4", "--count", "2", "--width", "64", "--height", "32",
                                "--format", "tmx,minimap", "--out", out, "--quiet")  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.jsonl", "overworld-4.minimap.png", "overworld-4.tmx", "overworld-5.minimap.png", "overworld-5.tmx",
        "overworld-tileset.png", "overworld.tsx",
    ]  # fmt: skip
    assert read_map(out / "overworld-5.tmx") == OverworldGenerator().generate(5, width=64, height=32)
    for args, message in ((("--width", "5000"), "width 5000"), (("--raw",), "--raw does not apply"), (("--height", "0"), "height 0")):
        code, _, err = run_cli("generate", "overworld", *args, "--out", tmp_path / "bad")
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1
        assert not (tmp_path / "bad").exists()


def test_bench_reports_the_1024_median():
    from gamegen.bench.run import OVERWORLD_SIDE, bench_overworld

    lines = []
    result = bench_overworld(quick=True, log=lines.append)
    assert result["side"] == OVERWORLD_SIDE == 1024 and result["runs"] == 3
    assert 0 < result["median_s"] <= result["max_s"] and result["meets_target"] == (result["median_s"] < 1.0)
    assert result["chunk_64_median_ms"] > 0 and result["noise_package_per_tile_estimate_s"] > 0
    assert any("median_s" in line for line in lines)


def test_eval_measures_the_overworld_like_any_kind(run_cli, tmp_path):
    """``gamegen eval overworld`` runs through the descriptor (it crashed before: the overworld has no card)."""
    out = tmp_path / "eval.json"
    code, _, err = run_cli("eval", "overworld", "--n", "3", "--width", "32", "--json", out)
    assert code == 0, err
    result = json.loads(out.read_text())
    assert result["model"] == "overworld" and result["n"] == 3 and result["size"] == [32, 32]
    assert abs(sum(result["tile_share"].values()) - 1.0) < 1e-3 and result["deterministic"] is True
    assert 0.0 <= result["largest_walkable_region_share"]["min"] <= result["largest_walkable_region_share"]["max"] <= 1.0
    code, _, err = run_cli("eval", "overworld", "--n", "3", "--targets", "5")
    assert code == 2 and "--targets does not apply to eval overworld" in err
