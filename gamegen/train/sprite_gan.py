"""The sprite GAN: 16x16 palette-index sprites from noise, conditioned on creature / item (WGAN-GP).

    gamegen train sprite-gan --data ../shared/data [--seed S] [--iterations N]

Pixel art is a few colours and crisp edges, so the generator does not regress
RGB: it outputs, per pixel, logits over K = 1 + palette classes (class 0 is
transparent). The critic sees the softmax of those logits and the real
sprites as one-hot maps (as MarioGAN does with tiles), so the generator is
pushed towards confident, one-colour-per-pixel output; at run time the argmax
picks each pixel's colour, which gives clean alpha and exactly the palette.

    z (B, 64) ⊕ category embedding (B, 16) ─linear─> (B, 4f, 4, 4)
      ─ConvT─> (B, 2f, 8, 8) ─ConvT─> (B, f, 16, 16) ─conv 3x3─> logits (B, K, 16, 16)
    critic: softmax (B, K, 16, 16) ⊕ category planes (B, 2, 16, 16) ─conv s2 ×2─> (B, 2f, 4, 4) ─linear─> score
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .wgan import gradient_penalty, init_weights

__all__ = ["SpriteGANConfig", "SpriteGANTrainConfig", "Generator", "Critic", "train_sprite_gan"]


@dataclass(frozen=True)
class SpriteGANConfig:
    size: int = 16
    classes: int = 17  # 1 transparent + palette colours
    categories: int = 2
    latent: int = 64
    filters: int = 64
    embed: int = 16

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SpriteGANTrainConfig:
    seed: int = 1
    iterations: int = 3000  # generator updates
    batch: int = 64
    n_critic: int = 4
    lr: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.9
    gp_weight: float = 10.0
    threads: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


class Generator(nn.Module):
    """(z (B, latent), category (B,) int64) → logits (B, classes, size, size)."""

    def __init__(self, cfg: SpriteGANConfig):
        super().__init__()
        f, self.base = cfg.filters, cfg.size // 4
        self.embed = nn.Embedding(cfg.categories, cfg.embed)
        self.project = nn.Linear(cfg.latent + cfg.embed, 4 * f * self.base * self.base)
        self.body = nn.Sequential(
            nn.BatchNorm2d(4 * f), nn.ReLU(),
            nn.ConvTranspose2d(4 * f, 2 * f, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * f), nn.ReLU(),  # (B, 2f, 8, 8)
            nn.ConvTranspose2d(2 * f, f, 4, 2, 1, bias=False), nn.BatchNorm2d(f), nn.ReLU(),  # (B, f, 16, 16)
            nn.Conv2d(f, cfg.classes, 3, 1, 1),  # (B, K, 16, 16)
        )

    def forward(self, z: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        h = self.project(torch.cat([z, self.embed(category)], dim=1))
        return self.body(h.view(z.shape[0], -1, self.base, self.base))


class Critic(nn.Module):
    """(maps (B, classes, size, size), category (B,)) → score (B,)."""

    def __init__(self, cfg: SpriteGANConfig):
        super().__init__()
        f, self.categories = cfg.filters, cfg.categories
        self.body = nn.Sequential(
            nn.Conv2d(cfg.classes + cfg.categories, f, 4, 2, 1), nn.LeakyReLU(0.2),  # (B, f, 8, 8)
            nn.Conv2d(f, 2 * f, 4, 2, 1), nn.LeakyReLU(0.2),  # (B, 2f, 4, 4)
        )
        self.head = nn.Linear(2 * f * (cfg.size // 4) ** 2, 1)

    def forward(self, maps: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        planes = F.one_hot(category, self.categories).float()[:, :, None, None].expand(-1, -1, *maps.shape[2:])
        return self.head(self.body(torch.cat([maps, planes], dim=1)).flatten(1)).squeeze(1)


def train_sprite_gan(indices: np.ndarray, categories: np.ndarray, cfg: SpriteGANConfig, tcfg: SpriteGANTrainConfig,
                     on_step: Callable[[int, dict], None] | None = None) -> tuple[Generator, dict]:
    """(N, S, S) palette indices and (N,) categories → (generator in eval mode, history). No global RNG is touched."""
    torch.set_num_threads(tcfg.threads)
    rng = np.random.Generator(np.random.PCG64(tcfg.seed))
    tgen = torch.Generator().manual_seed(tcfg.seed)
    gen, critic = Generator(cfg), Critic(cfg)
    for module in (gen, critic):
        init_weights(module, tgen)
        for m in module.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                with torch.no_grad():
                    m.weight.normal_(0.0, 0.02, generator=tgen)
    opt_g = torch.optim.Adam(gen.parameters(), lr=tcfg.lr, betas=(tcfg.beta1, tcfg.beta2))
    opt_c = torch.optim.Adam(critic.parameters(), lr=tcfg.lr, betas=(tcfg.beta1, tcfg.beta2))
    data, cats = torch.from_numpy(indices), torch.from_numpy(categories)
    history: dict = {"wasserstein": [], "generator_loss": []}
    started = time.perf_counter()

    def fake(category: torch.Tensor) -> torch.Tensor:
        z = torch.randn(len(category), cfg.latent, generator=tgen)
        return F.softmax(gen(z, category), dim=1)

    for step in range(tcfg.iterations):
        for _ in range(tcfg.n_critic):
            picks = torch.from_numpy(rng.integers(0, len(data), tcfg.batch))
            category = cats[picks]
            real = F.one_hot(data[picks], cfg.classes).permute(0, 3, 1, 2).float()  # (B, K, S, S)
            with torch.no_grad():
                made = fake(category)
            distance = critic(real, category).mean() - critic(made, category).mean()
            penalty = gradient_penalty(lambda x: critic(x, category), real, made, tgen)
            opt_c.zero_grad(set_to_none=True)
            (-distance + tcfg.gp_weight * penalty).backward()
            opt_c.step()
        category = cats[torch.from_numpy(rng.integers(0, len(data), tcfg.batch))]  # the corpus' category mix
        loss_g = -critic(fake(category), category).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        record = {"wasserstein": distance.item(), "generator_loss": loss_g.item()}
        for key, value in record.items():
            history[key].append(value)
        if on_step is not None:
            on_step(step, record)
    history["duration_s"] = round(time.perf_counter() - started, 1)
    return gen.eval(), history
