"""``gamegen train dungeon-vae`` end to end in seconds (a few steps), and the ONNX graphs against torch."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the train extra")

import gamegen  # noqa: E402
from gamegen.dungeon.rooms import door_mask, interior_void, load_zelda_rooms  # noqa: E402
from gamegen.tiles import load_vocabulary  # noqa: E402
from gamegen.train import dungeon_recipe  # noqa: E402
from gamegen.train.dungeon_vae import DungeonTrainConfig, DungeonVAEConfig, export_graphs, mirrors, one_hot, train_dungeon_vae  # noqa: E402


@pytest.fixture(scope="module")
def corpus(data_dir):
    vocab = load_vocabulary("dungeon")
    rooms = [r.grid for r in load_zelda_rooms(data_dir, vocab) if not interior_void(r.grid, vocab)]
    grids = np.stack(rooms)
    return grids, np.stack([door_mask(g, vocab) for g in grids])


def test_mirrors_keep_doors_with_their_walls(corpus):
    grids, masks = corpus
    vocab = load_vocabulary("dungeon")
    all_grids, all_masks = mirrors(grids[:20], masks[:20])
    assert len(all_grids) == 80
    assert all((door_mask(g, vocab) == m).all() for g, m in zip(all_grids, all_masks))


def test_onnx_graphs_compute_what_torch_computes(corpus):
    grids, masks = corpus
    cfg = DungeonVAEConfig()
    encoder, decoder, history = train_dungeon_vae(grids, masks, cfg, DungeonTrainConfig(steps=3))
    assert len(history["loss"]) == 3
    decoder_bytes, encoder_bytes = export_graphs(encoder, decoder, cfg, {"gamegen.name": "t"})
    import onnxruntime as ort

    latent = np.random.default_rng(0).standard_normal((5, cfg.latent)).astype(np.float32)
    doors = masks[:5].astype(np.float32)
    (logits,) = ort.InferenceSession(decoder_bytes).run(None, {"latent": latent, "doors": doors})
    with torch.no_grad():
        expected = decoder(torch.from_numpy(latent), torch.from_numpy(doors)).numpy()
        mu_t, _ = encoder(torch.from_numpy(one_hot(grids[:5], cfg.n_tiles)), torch.from_numpy(doors))
    np.testing.assert_allclose(logits, expected, atol=1e-4)
    mu, _ = ort.InferenceSession(encoder_bytes).run(None, {"room": one_hot(grids[:5], cfg.n_tiles), "doors": doors})
    np.testing.assert_allclose(mu, mu_t.numpy(), atol=1e-4)


def test_training_is_deterministic(corpus):
    grids, masks = corpus
    runs = [train_dungeon_vae(grids, masks, DungeonVAEConfig(), DungeonTrainConfig(steps=5, seed=3))[2]["loss"] for _ in range(2)]
    assert runs[0] == runs[1]


def test_train_writes_a_loadable_model_with_its_card(data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(dungeon_recipe, "QUALITY_ROOMS", 10)
    monkeypatch.setattr(dungeon_recipe, "VALIDITY_DUNGEONS", 5)
    card_path = dungeon_recipe.train_dungeon("dungeon-vae", data_dir, tmp_path, iterations=5, progress=False)
    card = json.loads(card_path.read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dungeon-vae-encoder.onnx", "dungeon-vae.json", "dungeon-vae.onnx"]
    assert card["graphs"]["encoder"]["onnx"]["file"] == "dungeon-vae-encoder.onnx"
    assert card["training"]["cut"]["rooms"] == 459 and card["training"]["rooms_trained"] + card["training"]["rooms_held_out"] == 421
    assert card["dungeon"]["statistics"]["dungeons"] == 18 and card["data_licence"]["licence"] == "MIT"
    metrics = card["metrics"]
    assert set(metrics) == {"tpkl_div", "reconstruction_held_out", "rooms", "tpkl_div_held_out_corpus_vs_train", "validity"}
    assert metrics["validity"]["valid"] == 5
    gen = gamegen.load(tmp_path)
    assert gen.generate(1).grid.shape == (11, 16)
