"""Training end to end on the real corpus (a few iterations): torch → ONNX → card → load → generate."""

import json

import numpy as np
import onnx
import pytest

import gamegen

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["platformer-gan", "platformer-segment-gan"])
def test_trained_model_loads_and_generates(tiny_models, name):
    card = json.loads((tiny_models / f"{name}.json").read_text())
    assert card["training"]["config"]["iterations"] == 2
    assert card["training"]["windows"] > 5000
    assert card["data_licence"]["licence"] == "MIT"
    meta = {p.key: p.value for p in onnx.load(str(tiny_models / f"{name}.onnx")).metadata_props}
    assert json.loads(meta["gamegen.config"])["latent"] == 32
    gen = gamegen.load(tiny_models / f"{name}.json")
    assert gen.generate(5, width=77).grid.shape == (14, 77)


def test_onnx_matches_torch(tiny_models, data_dir):
    """The exported graph computes what the torch module computes (same weights, same latent)."""
    import torch

    from gamegen.corpus import load_platformer_corpus
    from gamegen.train import platformer_gan
    from gamegen.train.recipes import RECIPES
    from gamegen.train.wgan import TrainConfig, corpus_windows, train_wgan_gp

    recipe = RECIPES["platformer-gan"]
    windows = corpus_windows([c.level.grid for c in load_platformer_corpus(data_dir)], recipe.model_cfg.window)
    train_cfg = TrainConfig(**{**recipe.train_cfg.to_dict(), "iterations": 2})
    torch_gen, _ = train_wgan_gp(platformer_gan, recipe.model_cfg, windows, train_cfg)
    onnx_gen = gamegen.load(tiny_models / "platformer-gan.json")
    latent = onnx_gen.latent(seed=3, width=100)
    with torch.no_grad():
        expected = torch_gen(torch.from_numpy(latent[None])).numpy()
    (got,) = onnx_gen.model.run(latent=latent[None])
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_training_is_reproducible(tiny_models, data_dir, tmp_path):
    from gamegen.train.recipes import train

    train("platformer-segment-gan", data_dir, tmp_path, iterations=2, progress=False)
    again = gamegen.load(tmp_path / "platformer-segment-gan.json").generate(9, width=100).grid
    first = gamegen.load(tiny_models / "platformer-segment-gan.json").generate(9, width=100).grid
    assert np.array_equal(again, first)


def test_train_cli_rejects_unknown_names(run_cli):
    code, _, err = run_cli("train", "dungeon-of-doom")
    assert code == 2 and "no training recipe for 'dungeon-of-doom'" in err
