"""Sprites: the shipped sprite-gan and sprite-vae through the API, the sheet exporters (real Tiled, atlas = sheet), the CLI, bad input."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

import gamegen
from gamegen.errors import DataError, InvalidRequest
from gamegen.exporters import parse_formats
from gamegen.exporters.spritesheet import SheetAtlas, SheetPng, SheetTsx, SpritePng, sheet_layout
from gamegen.sprites.dataset import largest_share
from gamegen.sprites.palettes import PALETTES, parse_palette


@pytest.fixture(scope="module")
def gan():
    return gamegen.load("sprite-gan", providers=["CPUExecutionProvider"], threads=1)


@pytest.fixture(scope="module")
def vae():
    return gamegen.load("sprite-vae", providers=["CPUExecutionProvider"], threads=1)


def _png(pixels: np.ndarray, mode: str = "RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA").convert(mode).save(buffer, format="PNG")
    return buffer.getvalue()


def _gif(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize("name, size", [("sprite-gan", 16), ("sprite-vae", 32)])
def test_sprites_are_rgba_with_clean_alpha_one_silhouette_and_the_model_palette(name, size):
    gen = gamegen.load(name)
    sprites = gen.generate(3, n=64).pixels
    assert sprites.shape == (64, size, size, 4) and sprites.dtype == np.uint8
    assert np.isin(sprites[..., 3], (0, 255)).all()
    assert (sprites[sprites[..., 3] == 0] == 0).all()  # transparent pixels carry no stray colour
    opaque = sprites[sprites[..., 3] == 255][:, :3]
    allowed = {tuple(c) for c in parse_palette(gen.card.data["palette"])}
    assert {tuple(c) for c in np.unique(opaque, axis=0)} <= allowed
    shares = [largest_share(s[..., 3] == 255) for s in sprites if s[..., 3].any()]
    assert len(shares) >= 60 and np.mean(shares) > 0.9
    assert len({s.tobytes() for s in sprites}) == 64  # no duplicates in a call


def test_same_seed_same_sprites_and_a_prefix_of_a_larger_call(gan):
    a = gan.generate(7, n=64).pixels
    assert np.array_equal(a, gan.generate(7, n=64).pixels)
    assert np.array_equal(a[:8], gan.generate(7, n=8).pixels)
    assert not np.array_equal(a, gan.generate(8, n=64).pixels)


def test_same_sprites_whatever_the_thread_count_or_the_process(gan):
    import sys

    for name in ("sprite-gan", "sprite-vae"):
        here = gamegen.load(name, providers=["CPUExecutionProvider"], threads=1).generate(4, n=16, palette="db32").pixels
        assert np.array_equal(here, gamegen.load(name, threads=2).generate(4, n=16, palette="db32").pixels)
        code = f"import gamegen, sys; sys.stdout.buffer.write(gamegen.load({name!r}).generate(4, n=16, palette='db32').pixels.tobytes())"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()[-500:]
        assert done.stdout == here.tobytes()


def test_category_conditioning(gan):
    items = gan.generate(1, n=32, category="item")
    assert items.categories == ["item"] * 32 and items.provenance["params"]["category"] == "item"
    mixed = gan.generate(1, n=64)
    assert set(mixed.categories) == {"creature", "item"}
    creatures = gan.generate(1, n=64, category="creature").pixels
    assert not np.array_equal(creatures[:32], items.pixels)


@pytest.mark.parametrize("palette", ["db16", "db32", "pico8", "PICO-8", ["#000000", "#ffffff", (200, 30, 30)]])
def test_palette_snaps_every_colour(gan, palette):
    sprites = gan.generate(2, n=16, palette=palette).pixels
    allowed = {tuple(c) for c in parse_palette(palette)}
    opaque = sprites[sprites[..., 3] == 255][:, :3]
    assert {tuple(c) for c in np.unique(opaque, axis=0)} <= allowed
    assert np.array_equal(sprites[..., 3], gan.generate(2, n=16).pixels[..., 3])  # snapping changes colours, never the shape


def test_named_palettes_are_the_published_ones():
    assert len(PALETTES["db16"]) == 16 and len(PALETTES["db32"]) == 32 and len(PALETTES["pico8"]) == 16
    assert PALETTES["pico8"][8] == "#ff004d" and PALETTES["db32"][21] == "#ffffff" and PALETTES["db16"][0] == "#140c1c"


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 0}, "n 0 is outside"),
    ({"n": 5000}, "n 5000 is outside"),
    ({"n": 2.5}, "n must be an integer"),
    ({"palette": ""}, "empty palette"),
    ({"palette": []}, "empty palette"),
    ({"palette": "vga"}, "unknown palette 'vga'"),
    ({"palette": ["#00ff0"]}, "is not #rrggbb"),
    ({"palette": [(0, 0, 300)]}, "neither '#rrggbb' nor (r, g, b)"),
    ({"palette": [(0, 0, 0, 0)]}, "not opaque"),
    ({"palette": ["#000000"] * 300}, "more than 256"),
    ({"palette": 7}, "a palette is a name or a list"),
    ({"category": "monster"}, "unknown category 'monster'"),
    ({"seed": -1}, "outside [0, 2**63)"),
])
def test_bad_generate_input_is_one_line(gan, kwargs, message):
    args = {"seed": 1, **kwargs}
    with pytest.raises(InvalidRequest) as info:
        gan.generate(**args)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_vae_encode_variations_interpolate(vae, tmp_path):
    original = vae.generate(5, n=1, category="creature").pixels[0]
    path = tmp_path / "s.png"
    path.write_bytes(_png(original, "P"))  # a palette PNG, as the packs ship them
    z = vae.encode(path)
    assert z.shape == (vae.latent,) and z.dtype == np.float32
    assert np.allclose(z, vae.encode(original), atol=1e-5) and np.allclose(z, vae.encode(path.read_bytes()), atol=1e-5)
    near = vae.variations(path, n=8, strength=0.3, seed=1)
    far = vae.variations(path, n=8, strength=2.0, seed=1)
    assert near.shape == (8, 32, 32, 4) and np.array_equal(near, vae.variations(path, n=8, strength=0.3, seed=1))
    same = vae.variations(path, n=2, strength=0.0, seed=9)
    assert np.array_equal(same[0], same[1])

    def differing(batch):
        return np.mean([(s != same[0]).any(-1).mean() for s in batch])

    assert differing(near) < differing(far)
    other = vae.generate(6, n=1, category="item").pixels[0]
    frames = vae.interpolate(original, other, steps=6)
    assert frames.shape == (6, 32, 32, 4)
    assert (frames[0] != frames[-1]).any(-1).mean() > 0.05
    assert np.array_equal(frames[0], vae.interpolate(original, original, steps=2)[0])


@pytest.mark.parametrize("make, error, message", [
    (lambda: _png(np.zeros((16, 16, 4), np.uint8)), InvalidRequest, "is 16x16; sprite-vae encodes 32x32"),
    (lambda: _png(np.zeros((32, 32, 4), np.uint8), "I;16"), InvalidRequest, "mode I;16 is not supported"),
    (lambda: _gif(np.zeros((32, 32, 4), np.uint8)), DataError, "is not a readable PNG"),
    (lambda: b"not a png at all", DataError, "is not a readable PNG"),
    (lambda: np.zeros((32, 32, 4), np.float32), InvalidRequest, "must be (H, W, 3 or 4) uint8"),
    (lambda: np.zeros((32, 32), np.uint8), InvalidRequest, "must be (H, W, 3 or 4) uint8"),
    (lambda: 42, InvalidRequest, "give a PNG path"),
])
def test_bad_encode_input_is_one_line(vae, make, error, message):
    with pytest.raises(error) as info:
        vae.encode(make())
    assert message in str(info.value) and "\n" not in str(info.value)


def test_bad_vae_arguments(vae, gan, tmp_path):
    sprite = vae.generate(1, n=1).pixels[0]
    for call, message in [
        (lambda: vae.variations(sprite, n=0), "n 0 is outside"),
        (lambda: vae.variations(sprite, strength=-1), "strength must be"),
        (lambda: vae.variations(sprite, strength=float("nan")), "strength must be"),
        (lambda: vae.interpolate(sprite, sprite, steps=1), "steps 1 is outside"),
        (lambda: vae.encode(tmp_path / "missing.png"), "is not a file"),
        (lambda: gan.encode(sprite), "sprite-gan has no encoder"),
    ]:
        with pytest.raises((InvalidRequest, DataError)) as info:
            call()
        assert message in str(info.value) and "\n" not in str(info.value)


def test_cards_carry_licence_quality_and_provenance():
    for name, licence in (("sprite-gan", "CC-BY-4.0"), ("sprite-vae", "CC0-1.0")):
        card = gamegen.load(name).card.data
        assert card["data_licence"]["licence"] == licence
        m = card["metrics"]
        assert m["near_copy_rate"] < 0.01 and m["alpha_sanity"] == 1.0 and m["sprites"] >= 1000
        assert m["silhouette_largest_share"]["mean"] > 0.9 and m["diversity"] > 0.2
        t = card["training"]
        assert t["seed"] == 1 and t["duration_s"] > 0 and t["command"].startswith(f"gamegen train {name}")
    assert "DawnBringer" in gamegen.load("sprite-gan").card.data["data_licence"]["attribution"]
    assert "encoder" in gamegen.load("sprite-vae").card.data["graphs"]


# -- exporters ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sheet_set(gan):
    return gan.generate(11, n=10)


def test_sheet_layout_and_atlas_frames_match_the_sheet(sheet_set):
    assert sheet_layout(64) == (8, 8) and sheet_layout(10) == (4, 3) and sheet_layout(1) == (1, 1)
    sheet = np.asarray(Image.open(io.BytesIO(SheetPng().export(sheet_set))).convert("RGBA"))
    atlas = json.loads(SheetAtlas().export(sheet_set))
    assert atlas["meta"]["size"] == {"w": sheet.shape[1], "h": sheet.shape[0]} and atlas["meta"]["image"] == f"{sheet_set.stem}.png"
    assert list(atlas["frames"]) == sheet_set.frame_names
    for pixels, (name, frame) in zip(sheet_set.pixels, atlas["frames"].items()):
        f = frame["frame"]
        assert np.array_equal(sheet[f["y"] : f["y"] + f["h"], f["x"] : f["x"] + f["w"]], pixels), name
        assert frame["sourceSize"] == {"w": 16, "h": 16} and frame["rotated"] is False
    assert sheet[32:, 32:].max() == 0  # the two unused cells are transparent


def test_attribution_travels_in_png_text_atlas_meta_and_tsx(sheet_set):
    attribution = sheet_set.licence["attribution"]
    assert "DawnBringer" in attribution
    png = Image.open(io.BytesIO(SheetPng().export(sheet_set)))
    assert attribution in png.text["Copyright"] and attribution in png.text["Comment"]
    assert json.loads(png.text["gamegen.provenance"]) == sheet_set.provenance
    meta = json.loads(SheetAtlas().export(sheet_set))["meta"]
    assert meta["attribution"] == attribution and meta["licence"] == "CC-BY-4.0"
    assert attribution.replace("&", "&amp;") in SheetTsx().export(sheet_set).decode()


def test_tsx_parses_and_tmxrasterizer_draws_the_sheet(sheet_set, tmp_path):
    pytiled_parser = pytest.importorskip("pytiled_parser")
    stem = sheet_set.stem
    (tmp_path / f"{stem}.png").write_bytes(SheetPng().export(sheet_set))
    (tmp_path / f"{stem}.tsx").write_bytes(SheetTsx().export(sheet_set))
    tileset = pytiled_parser.parse_tileset(tmp_path / f"{stem}.tsx")
    assert (tileset.tile_width, tileset.tile_height, tileset.tile_count, tileset.columns) == (16, 16, 10, 4)
    assert tileset.tiles[3].properties["category"] == sheet_set.categories[3]
    columns, rows = sheet_layout(10)
    gids = [str(i + 1) if i < 10 else "0" for i in range(columns * rows)]
    csv = ",\n".join(",".join(gids[r * columns : (r + 1) * columns]) for r in range(rows))
    (tmp_path / "m.tmx").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<map version="1.8" orientation="orthogonal" renderorder="right-down" width="{columns}" '
        f'height="{rows}" tilewidth="16" tileheight="16" infinite="0" nextlayerid="2" nextobjectid="1">\n'
        f' <tileset firstgid="1" source="{stem}.tsx"/>\n <layer id="1" name="sprites" width="{columns}" height="{rows}">\n'
        f'  <data encoding="csv">\n{csv}\n</data>\n </layer>\n</map>\n')
    if shutil.which("tmxrasterizer") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Tiled checks, but tmxrasterizer is not installed")
        pytest.skip("tmxrasterizer not installed (Debian package 'tiled')")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))
    done = subprocess.run(["tmxrasterizer", "--no-smoothing", str(tmp_path / "m.tmx"), str(tmp_path / "r.png")],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    drawn = np.asarray(Image.open(tmp_path / "r.png").convert("RGBA"))
    sheet = np.asarray(Image.open(tmp_path / f"{stem}.png").convert("RGBA"))
    assert drawn.shape == sheet.shape and np.array_equal(drawn, sheet)


def test_sprite_formats_come_from_the_one_registry():
    exporters = parse_formats("sheet,png", "sprites")
    assert [type(e) for e in exporters] == [SheetPng, SheetAtlas, SheetTsx, SpritePng]
    assert [type(e) for e in parse_formats("png", "sprites")] == [SpritePng]
    with pytest.raises(InvalidRequest, match="does not apply to sprites"):
        parse_formats("tmx", "sprites")
    with pytest.raises(InvalidRequest, match="does not apply to names"):
        parse_formats("png", "names")


# -- the command line ----------------------------------------------------------


def test_cli_writes_sheet_atlas_tsx_singles_and_manifest(run_cli, tmp_path):
    code, _out, err = run_cli("generate", "sprite-gan", "--seed", "1", "--count", "64", "--format", "sheet,png", "--out", tmp_path, "--quiet")
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {"sprite-gan-1.png", "sprite-gan-1.json", "sprite-gan-1.tsx", "sprite-gan-1-000.png", "sprite-gan-1-063.png", "manifest.jsonl"} <= set(names)
    assert len(names) == 3 + 64 + 1
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert sorted(e["path"] for e in manifest) == [n for n in names if n != "manifest.jsonl"]
    expected = gamegen.load("sprite-gan").generate(1, n=64).pixels
    assert np.array_equal(np.asarray(Image.open(tmp_path / "sprite-gan-1-005.png").convert("RGBA")), expected[5])
    single = next(e for e in manifest if e["path"] == "sprite-gan-1-005.png")
    assert single["provenance"]["index"] == 5 and single["provenance"]["seed"] == 1


def test_cli_palette_and_category(run_cli, tmp_path):
    code, _, err = run_cli("generate", "sprite-gan", "--seed", "2", "--count", "9", "--format", "sheet", "--palette", "pico8",
                           "--category", "item", "--out", tmp_path)
    assert code == 0, err
    atlas = json.loads((tmp_path / "sprite-gan-2-item.json").read_text())
    assert {f["category"] for f in atlas["frames"].values()} == {"item"} and atlas["meta"]["provenance"]["params"]["palette"] == "pico8"


@pytest.mark.parametrize("args, message", [
    (["--count", "5000"], "n 5000 is outside"),
    (["--format", "tmx"], "does not apply to sprites"),
    (["--palette", ""], "empty palette"),
    (["--palette", "#12345"], "unknown palette"),
    (["--category", "monster"], "unknown category"),
    (["--width", "40"], "--width does not apply"),
    (["--contact-sheet"], "--contact-sheet does not apply"),
])
def test_cli_bad_input_is_one_line_and_writes_nothing(run_cli, tmp_path, args, message):
    code, _, err = run_cli("generate", "sprite-gan", "--out", tmp_path / "o", *args)
    assert code == 2 and message in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_cli_refuses_sprite_options_for_other_models(run_cli, tmp_path):
    code, _, err = run_cli("generate", "platformer-gan", "--palette", "db16", "--out", tmp_path)
    assert code == 2 and "--palette does not apply to platformer-gan" in err
