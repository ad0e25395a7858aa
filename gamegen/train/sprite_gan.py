"""The sprite GAN: 16x16 palette-index sprites from noise, conditioned on creature / item.

    gamegen train sprite-gan --data ../shared/data [--seed S] [--iterations N]

A pixel-space DCGAN was tried first, on palette indices (softmax maps to a
WGAN-GP critic, then a non-saturating GAN with spectral norm, straight-through
one-hots, minibatch-stddev): within this CPU budget (about ten minutes on one
thread) it gave colourful per-pixel noise or collapsed to one sprite per
category. So the adversarial game is played where it is easy, in the latent
space of an autoencoder (an "l-GAN", Achlioptas et al. 2018):

1. a palette-index autoencoder (``sprite_vae.Encoder`` / ``Decoder`` at 16x16,
   cross-entropy per pixel, small KL) learns to draw sprites from 32-number codes;
2. a small WGAN-GP, an MLP generator against an MLP critic, both told the
   category, learns the distribution of the training sprites' codes;
3. the exported graph is the two chained: (noise, category) → code → per-pixel
   logits over 16 colours + transparent. The argmax gives crisp pixels, clean
   alpha and only palette colours.

    noise (B, 32) ⊕ category embedding ─MLP 256─> code (B, 32) ─decoder─> logits (B, 17, 16, 16)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from gamegen.train.sprite_vae import Decoder, SpriteVAEConfig, SpriteVAETrainConfig, encode_means, init_dense, train_sprite_vae
from gamegen.train.wgan import gradient_penalty

__all__ = ["SpriteGANConfig", "SpriteGANTrainConfig", "LatentGenerator", "LatentCritic", "SpriteGAN", "train_sprite_gan"]


@dataclass(frozen=True)
class SpriteGANConfig:
    size: int = 16
    classes: int = 17  # 1 transparent + palette colours
    categories: int = 2
    latent: int = 32  # the generator's noise
    code: int = 32  # the autoencoder's code
    filters: int = 32  # the autoencoder's convolutions
    hidden: int = 256  # the MLPs
    embed: int = 8

    def to_dict(self) -> dict:
        return asdict(self)

    def autoencoder(self) -> SpriteVAEConfig:
        return SpriteVAEConfig(size=self.size, classes=self.classes, categories=self.categories, latent=self.code, filters=self.filters, embed=self.embed)


@dataclass(frozen=True)
class SpriteGANTrainConfig:
    seed: int = 1
    ae_iterations: int = 4000
    ae_beta: float = 0.1
    iterations: int = 4000  # generator updates of the latent GAN
    batch: int = 64
    n_critic: int = 5
    lr: float = 1e-4
    beta1: float = 0.5
    beta2: float = 0.9
    gp_weight: float = 10.0
    threads: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


def _mlp(cin: int, hidden: int, cout: int, act: Callable[[], nn.Module]) -> nn.Sequential:
    return nn.Sequential(nn.Linear(cin, hidden), act(), nn.Linear(hidden, hidden), act(), nn.Linear(hidden, hidden), act(), nn.Linear(hidden, cout))


class LatentGenerator(nn.Module):
    """(noise (B, latent), category (B,)) → code (B, code)."""

    def __init__(self, cfg: SpriteGANConfig):
        super().__init__()
        self.embed = nn.Embedding(cfg.categories, cfg.embed)
        self.net = _mlp(cfg.latent + cfg.embed, cfg.hidden, cfg.code, nn.ReLU)

    def forward(self, noise: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([noise, self.embed(category)], dim=1))


class LatentCritic(nn.Module):
    """(code (B, code), category (B,)) → score (B,)."""

    def __init__(self, cfg: SpriteGANConfig):
        super().__init__()
        self.categories = cfg.categories
        self.net = _mlp(cfg.code + cfg.categories, cfg.hidden, 1, lambda: nn.LeakyReLU(0.2))

    def forward(self, code: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([code, F.one_hot(category, self.categories).float()], dim=1)).squeeze(1)


class SpriteGAN(nn.Module):
    """The shipped graph: (noise (B, latent), category (B,)) → logits (B, classes, size, size)."""

    def __init__(self, generator: LatentGenerator, decoder: Decoder):
        super().__init__()
        self.generator, self.decoder = generator, decoder

    def forward(self, noise: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.generator(noise, category), category)


def train_sprite_gan(indices: np.ndarray, categories: np.ndarray, cfg: SpriteGANConfig, tcfg: SpriteGANTrainConfig,
                     on_step: Callable[[int, dict], None] | None = None) -> tuple[SpriteGAN, dict]:
    """(N, S, S) palette indices and (N,) categories → (the chained graph in eval mode, history). No global RNG is touched."""
    torch.set_num_threads(tcfg.threads)
    started = time.perf_counter()
    ae_cfg = SpriteVAETrainConfig(seed=tcfg.seed, iterations=tcfg.ae_iterations, beta=tcfg.ae_beta, threads=tcfg.threads)
    encoder, decoder, ae_history = train_sprite_vae(indices, categories, cfg.autoencoder(), ae_cfg, on_step)
    # The codes of every training sprite and of its mirror image (the autoencoder was trained on both).
    codes = torch.from_numpy(np.concatenate([encode_means(encoder, indices, cfg.classes), encode_means(encoder, indices[:, :, ::-1].copy(),
        cfg.classes)])).float()
    cats = torch.from_numpy(np.concatenate([categories, categories]))
    generator, history = _train_latent_gan(codes, cats, cfg, tcfg, on_step, offset=tcfg.ae_iterations)
    history["autoencoder"] = {k: round(float(np.mean(v[-100:])), 4) for k, v in ae_history.items() if isinstance(v, list)}
    history["duration_s"] = round(time.perf_counter() - started, 1)
    return SpriteGAN(generator, decoder).eval(), history


def _train_latent_gan(codes: torch.Tensor, cats: torch.Tensor, cfg: SpriteGANConfig, tcfg: SpriteGANTrainConfig,
                      on_step: Callable[[int, dict], None] | None, offset: int) -> tuple[LatentGenerator, dict]:
    rng = np.random.Generator(np.random.PCG64(tcfg.seed + 1))
    tgen = torch.Generator().manual_seed(tcfg.seed + 1)
    gen, critic = LatentGenerator(cfg), LatentCritic(cfg)
    for module in (gen, critic):
        init_dense(module, tgen)
    opt_g = torch.optim.Adam(gen.parameters(), lr=tcfg.lr, betas=(tcfg.beta1, tcfg.beta2))
    opt_c = torch.optim.Adam(critic.parameters(), lr=tcfg.lr, betas=(tcfg.beta1, tcfg.beta2))
    history: dict = {"wasserstein": [], "generator_loss": []}

    def penalty(real: torch.Tensor, fake: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        return gradient_penalty(lambda x: critic(x.flatten(1), category), real[:, :, None, None], fake[:, :, None, None], tgen)

    for step in range(tcfg.iterations):
        for _ in range(tcfg.n_critic):
            picks = torch.from_numpy(rng.integers(0, len(codes), tcfg.batch))
            real, category = codes[picks], cats[picks]
            with torch.no_grad():
                fake = gen(torch.randn(tcfg.batch, cfg.latent, generator=tgen), category)
            distance = critic(real, category).mean() - critic(fake, category).mean()
            opt_c.zero_grad(set_to_none=True)
            (-distance + tcfg.gp_weight * penalty(real, fake, category)).backward()
            opt_c.step()
        category = cats[torch.from_numpy(rng.integers(0, len(codes), tcfg.batch))]
        loss_g = -critic(gen(torch.randn(tcfg.batch, cfg.latent, generator=tgen), category), category).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        record = {"wasserstein": distance.item(), "generator_loss": loss_g.item()}
        for key, value in record.items():
            history[key].append(value)
        if on_step is not None:
            on_step(offset + step, record)
    return gen.eval(), history
