"""The trainer's guards against dead tile classes: log-prior bias and the per-row marginal term."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the train extra (torch)")

from gamegen.train import platformer_gan  # noqa: E402
from gamegen.train.wgan import init_weights, marginal_kl, row_marginals, set_prior_bias  # noqa: E402


@pytest.fixture
def windows():
    rng = np.random.default_rng(0)
    w = np.zeros((50, 14, 32), dtype=np.int64)
    w[:, 12:] = 1  # ground in the two bottom rows
    w[np.arange(50), 5, rng.integers(0, 32, 50)] = 3  # one rare tile in row 5 of each window
    return w


def test_row_marginals_are_the_corpus_shares_per_row(windows):
    m = row_marginals(windows, 13).numpy()
    assert m.shape == (14, 13)
    np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=1e-6)
    assert m[13, 1] == 1.0 and m[0, 0] == 1.0
    assert m[5, 3] == pytest.approx(1 / 32)


def test_prior_bias_starts_the_generator_at_the_corpus_frequencies(windows):
    cfg = platformer_gan.PlatformerGANConfig(gen_filters=8, critic_filters=8, window=32)
    gen = platformer_gan.Generator(cfg)
    init_weights(gen, torch.Generator().manual_seed(0))
    marginals = row_marginals(windows, 13)
    z = torch.randn(4, cfg.latent, cfg.latent_columns(32), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        before = platformer_gan.fake_levels(gen, z).mean(dim=(0, 2, 3))
        set_prior_bias(gen, marginals)
        after = platformer_gan.fake_levels(gen, z).mean(dim=(0, 2, 3))
    corpus = marginals.mean(dim=0)
    assert before[3] == pytest.approx(1 / 13, rel=0.2)  # a fresh generator draws every tile at about 1/T
    assert after[3] == pytest.approx(float(corpus[3]), rel=0.2)
    assert after[12] < 1e-4  # a tile the corpus never has starts near zero


def test_marginal_kl_is_zero_on_the_corpus_and_reaches_a_dead_tile(windows):
    marginals = row_marginals(windows, 13)
    real = torch.nn.functional.one_hot(torch.from_numpy(windows), 13).permute(0, 3, 1, 2).float()
    assert float(marginal_kl(real, marginals)) == pytest.approx(0.0, abs=1e-5)

    logits = torch.zeros(2, 13, 14, 32)
    logits[:, 0] = 10.0
    logits[:, 3] = -20.0  # a dead class: softmax gradient through p alone would be ~e-30
    logits.requires_grad_(True)
    loss = marginal_kl(torch.softmax(logits, dim=1), marginals)
    loss.backward()
    assert loss.item() > 1.0
    assert float(logits.grad[:, 3, 5].sum()) < -1e-3  # pushed up, where the corpus has it
