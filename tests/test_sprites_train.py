"""Sprites, the data and training side: packs read as RGBA, palettes, quantisation, speck removal, quality figures, smoke runs."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

import gamegen
from gamegen.errors import DataError, InvalidRequest
from gamegen.sprites.dataset import (
    components,
    corpus_palette,
    largest_share,
    load_sprite_corpus,
    quantise,
    read_png,
    remove_specks,
    render,
    to_rgba,
)
from gamegen.sprites.palettes import parse_palette, rgb_to_lab, snap_colours
from gamegen.sprites.quality import nearest_distances, sprite_quality


@pytest.fixture(scope="module")
def dawnlike(data_dir):
    return load_sprite_corpus("dawnlike", data_dir)


def test_dawnlike_sheets_become_categorised_rgba_sprites(dawnlike, data_dir):
    assert dawnlike.sprites.shape[1:] == (16, 16, 4) and dawnlike.sprites.dtype == np.uint8
    assert dawnlike.counts["creature"] > 1000 and dawnlike.counts["item"] > 500
    assert np.isin(dawnlike.sprites[..., 3], (0, 255)).all()
    assert dawnlike.sprites[..., 3].reshape(len(dawnlike.sprites), -1).max(1).min() == 255  # no empty cell kept
    assert len({s.tobytes() for s in dawnlike.sprites}) == len(dawnlike.sprites)  # duplicates kept once
    assert any(f.startswith("sheets/Characters/Reptile0.png#") for f in dawnlike.files)  # the 248-row sheets are cropped, not skipped
    # A cell is the sheet's pixels: cell 0 of Items/Potion.png is its top-left 16x16 block.
    first = dawnlike.files.index(next(f for f in dawnlike.files if f.startswith("sheets/Items/Potion.png#")))
    cell = int(dawnlike.files[first].split("#")[1])
    sheet = to_rgba(Image.open(data_dir / "sprites/dawnlike/sheets/Items/Potion.png"))
    columns = sheet.shape[1] // 16
    y, x = divmod(cell, columns)
    assert np.array_equal(dawnlike.sprites[first], sheet[y * 16 : y * 16 + 16, x * 16 : x * 16 + 16])


def test_dawnlike_palette_is_its_own_16_colours(dawnlike):
    palette = corpus_palette(dawnlike.sprites, 16)
    assert palette.shape == (16, 3)
    assert "#140c1c" in {"#{:02x}{:02x}{:02x}".format(*tuple(c)) for c in palette}  # DawnBringer's darkest, the outline colour
    indices = quantise(dawnlike.sprites, palette)
    assert (render(indices, palette)[..., 3] == dawnlike.sprites[..., 3]).all()
    exact = (render(indices, palette) == dawnlike.sprites).all(-1).mean()
    assert exact > 0.999  # 16 of the 17 colours are kept exactly (a few pure-black pixels merge into the darkest)


def test_every_png_mode_reads_as_rgba(tmp_path):
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[1:3, 1:3] = (200, 10, 10, 255)
    rgba[0, 0] = (5, 5, 5, 100)  # under the alpha threshold: transparent
    for mode in ("RGBA", "RGB", "P", "L", "LA", "1"):
        buffer = io.BytesIO()
        Image.fromarray(rgba, "RGBA").convert(mode).save(buffer, format="PNG")
        out = read_png(buffer.getvalue())
        assert out.shape == (4, 4, 4) and np.isin(out[..., 3], (0, 255)).all(), mode
    out = read_png(_bytes(rgba))
    assert tuple(out[0, 0]) == (0, 0, 0, 0) and tuple(out[1, 1]) == (200, 10, 10, 255)
    with pytest.raises(InvalidRequest, match="mode I;16"):
        read_png(_bytes(rgba, "I;16"))
    with pytest.raises(DataError, match="not a readable PNG"):
        read_png(b"\x89PNG\r\n\x1a\n broken")


def _bytes(rgba, mode="RGBA"):
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").convert(mode).save(buffer, format="PNG")
    return buffer.getvalue()


def test_kmeans_palette_is_deterministic_and_made_of_real_colours():
    rng = np.random.Generator(np.random.PCG64(0))
    sprites = np.zeros((20, 8, 8, 4), np.uint8)
    sprites[..., :3] = rng.integers(0, 256, (20, 8, 8, 3))
    sprites[..., 3] = 255
    a, b = corpus_palette(sprites, 5, seed=3), corpus_palette(sprites, 5, seed=3)
    assert np.array_equal(a, b) and a.shape == (5, 3)
    real = {tuple(c) for c in sprites[..., :3].reshape(-1, 3)}
    assert all(tuple(c) in real for c in a)


def test_snapping_in_lab_by_hand():
    assert np.allclose(rgb_to_lab(np.array([255, 255, 255])), [100, 0, 0], atol=0.01)
    assert np.allclose(rgb_to_lab(np.array([0, 0, 0])), [0, 0, 0], atol=1e-9)
    palette = parse_palette(["#000000", "#ffffff", "#ff0000"])
    assert list(snap_colours(np.array([[20, 20, 20], [240, 250, 240], [200, 40, 30]]), palette)) == [0, 1, 2]


def test_components_and_speck_removal():
    indices = np.zeros((8, 8), np.int64)
    indices[1:5, 1:5] = 3  # the body: 16 pixels
    indices[5, 5] = 2  # touches the body diagonally: 8-connected, kept
    indices[7, 0] = 1  # a speck, 1 pixel < 10% of 17
    _labels, n = components(indices > 0)
    assert n == 2 and largest_share(indices > 0) == pytest.approx(17 / 18)
    cleaned = remove_specks(indices)
    assert cleaned[7, 0] == 0 and cleaned[5, 5] == 2 and (cleaned[1:5, 1:5] == 3).all()
    assert largest_share(cleaned > 0) == 1.0 and largest_share(np.zeros((3, 3), bool)) == 0.0


def test_near_copies_are_found_also_mirrored():
    rng = np.random.Generator(np.random.PCG64(1))
    train = np.zeros((5, 16, 16, 4), np.uint8)
    train[..., :3] = rng.integers(0, 256, (5, 16, 16, 3))
    train[..., 3] = 255
    copy = train[2, :, ::-1].copy()
    copy[0, :5] = 0  # 5 of 256 pixels changed: under the 5% threshold
    novel = train[3].copy()
    novel[:4] = 0  # 64 of 256 changed
    d = nearest_distances(np.stack([copy, novel]), train)
    assert d[0] == pytest.approx(5 / 256) and d[1] == pytest.approx(64 / 256)
    q = sprite_quality(np.stack([copy, novel]), train)
    assert q["near_copy_rate"] == 0.5 and q["alpha_sanity"] == 1.0 and q["duplicates"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sprite-gan", "sprite-vae"])
def test_training_smoke_run_writes_a_loadable_model_with_card(name, data_dir, tmp_path):
    pytest.importorskip("torch", reason="training needs the train extra (make test installs it)")
    from gamegen.train.recipes import train

    card_path = train(name, data_dir, tmp_path, iterations=2, progress=False)
    card = json.loads(card_path.read_text())
    assert card["training"]["config"]["iterations"] == 2 and card["metrics"]["sprites"] == 1000
    assert card["data_licence"]["licence"] == ("CC-BY-4.0" if name == "sprite-gan" else "CC0-1.0")
    gen = gamegen.load(tmp_path)
    sprites = gen.generate(1, n=4).pixels
    assert sprites.shape[1:] == ((16, 16, 4) if name == "sprite-gan" else (32, 32, 4))
    if name == "sprite-vae":
        assert (tmp_path / "sprite-vae-encoder.onnx").is_file() and gen.encode(sprites[0]).shape == (gen.latent,)


def test_training_is_reproducible_from_the_seed(dawnlike):
    """Same seed, same weights (one thread, seeded generators only); another seed, other weights."""
    torch = pytest.importorskip("torch", reason="training needs the train extra (make test installs it)")
    from gamegen.train.sprite_gan import SpriteGANConfig, SpriteGANTrainConfig, train_sprite_gan

    palette = corpus_palette(dawnlike.sprites, 16)
    indices, cats = quantise(dawnlike.sprites[::20], palette), dawnlike.categories[::20]
    cfg = SpriteGANConfig(classes=len(palette) + 1, filters=8, hidden=16)

    def weights(seed):
        model, _ = train_sprite_gan(indices, cats, cfg, SpriteGANTrainConfig(seed=seed, ae_iterations=3, iterations=3, batch=8))
        return model.state_dict()

    a, b, c = weights(1), weights(1), weights(2)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], c[k]) for k in a)
