"""The platformer GAN: levels of any width from a latent *sequence*, in one pass.

The generator is fully convolutional along the width. Its input is a latent
sequence, ``latent`` channels by L columns; each latent column becomes
``COLUMNS_PER_LATENT`` = 4 level columns, and each level column depends only on
a few neighbouring latent columns. A level of any width is one inference over
a longer sequence, and it has no seams because there is nothing to join.

``margin`` latent columns on each side are generated and cropped away, in
training and at run time alike, so that every kept column saw real latent
neighbours rather than the zero padding of the border.

The critic (WGAN-GP) is fully convolutional too and averages its score over
the width of the training window.

    (B, Z, L) ─stem─> (B, 4f, 7, L) ─up─> (B, 2f, 14, 2L) ─up─> (B, f, 14, 4L) ─> (B, T, 14, 4L - 8·margin)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from gamegen.platformer.generator import COLUMNS_PER_LATENT  # the generator's latent layout is the one the network is built for


@dataclass(frozen=True)
class PlatformerGANConfig:
    n_tiles: int = 13
    rows: int = 14
    latent: int = 32  # channels of the latent sequence
    margin: int = 2  # latent columns generated and cropped on each side
    gen_filters: int = 64
    critic_filters: int = 64
    window: int = 64  # width of the training windows, in level columns

    def latent_columns(self, width: int) -> int:
        """Latent columns needed for at least ``width`` level columns."""
        return -(-width // COLUMNS_PER_LATENT) + 2 * self.margin

    def to_dict(self) -> dict:
        return asdict(self)


def _bn_relu(channels: int) -> list[nn.Module]:
    return [nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]


class Generator(nn.Module):
    def __init__(self, cfg: PlatformerGANConfig):
        super().__init__()
        if cfg.rows != 14:
            raise ValueError("this generator's upsampling is laid out for 14 rows")
        self.cfg = cfg
        f = cfg.gen_filters
        self.body = nn.Sequential(
            nn.ConvTranspose2d(cfg.latent, 4 * f, kernel_size=(7, 1)),  # (B, 4f, 7, L): one latent column → a column of rows
            *_bn_relu(4 * f),
            nn.Conv2d(4 * f, 4 * f, 3, padding=1),  # mixes neighbouring latent columns
            *_bn_relu(4 * f),
            nn.ConvTranspose2d(4 * f, 2 * f, 4, stride=2, padding=1),  # (B, 2f, 14, 2L)
            *_bn_relu(2 * f),
            nn.ConvTranspose2d(2 * f, f, (3, 4), stride=(1, 2), padding=(1, 1)),  # (B, f, 14, 4L)
            *_bn_relu(f),
            nn.Conv2d(f, f, 3, padding=1),
            *_bn_relu(f),
            nn.Conv2d(f, cfg.n_tiles, 3, padding=1),  # (B, T, 14, 4L)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Latent sequence (B, Z, L) → tile logits (B, T, 14, 4L - 8·margin)."""
        logits = self.body(z.unsqueeze(2))  # (B, T, 14, 4L)
        crop = self.cfg.margin * COLUMNS_PER_LATENT
        return logits[..., crop : logits.shape[-1] - crop]


class Critic(nn.Module):
    def __init__(self, cfg: PlatformerGANConfig):
        super().__init__()
        f = cfg.critic_filters
        self.body = nn.Sequential(
            nn.Conv2d(cfg.n_tiles, f, 3, padding=1),  # (B, f, 14, W)
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(f, 2 * f, 4, stride=2, padding=1),  # (B, 2f, 7, W/2)
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(2 * f, 4 * f, 3, stride=2, padding=1),  # (B, 4f, 4, W/4)
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(4 * f, 1, (4, 3), padding=(0, 1)),  # (B, 1, 1, W/4)
        )

    def forward(self, tiles: torch.Tensor) -> torch.Tensor:
        """Soft one-hot levels (B, T, 14, W) → score (B,)."""
        return self.body(tiles).mean(dim=(1, 2, 3))


def sample_latent(cfg: PlatformerGANConfig, batch: int, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(batch, cfg.latent, cfg.latent_columns(cfg.window), generator=generator)  # (B, Z, L)


def fake_levels(gen: Generator, z: torch.Tensor) -> torch.Tensor:
    """What the critic sees of the generator: tile probabilities over the training window."""
    return torch.softmax(gen(z)[..., : gen.cfg.window], dim=1)
