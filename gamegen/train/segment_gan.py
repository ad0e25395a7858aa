"""The baseline: a MarioGAN-style DCGAN that makes 28-column segments.

As in the published system (Volz et al. 2018): latent 32, 64 filters, a 32×32
output of which the top-left 14×28 is the level segment. The critic sees the
segment padded back to 32×32 with zeros, as MarioGAN pads its training data.
Levels wider than 28 columns are segments laid side by side; they do not join,
which is the weakness the platformer GAN removes.

    (B, 32, 1, 1) ─> (B, 256, 4, 4) ─> (B, 128, 8, 8) ─> (B, 64, 16, 16) ─> (B, T, 32, 32) ─crop─> (B, T, 14, 28)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class SegmentGANConfig:
    n_tiles: int = 13
    rows: int = 14
    latent: int = 32
    gen_filters: int = 64
    critic_filters: int = 64
    image: int = 32  # the square the network works in
    window: int = 28  # segment width, in level columns

    def to_dict(self) -> dict:
        return asdict(self)


class Generator(nn.Module):
    def __init__(self, cfg: SegmentGANConfig):
        super().__init__()
        self.cfg = cfg
        f = cfg.gen_filters
        self.body = nn.Sequential(
            nn.ConvTranspose2d(cfg.latent, 4 * f, 4, 1, 0), nn.BatchNorm2d(4 * f), nn.ReLU(True),  # (B, 4f, 4, 4)
            nn.ConvTranspose2d(4 * f, 2 * f, 4, 2, 1), nn.BatchNorm2d(2 * f), nn.ReLU(True),  # (B, 2f, 8, 8)
            nn.ConvTranspose2d(2 * f, f, 4, 2, 1), nn.BatchNorm2d(f), nn.ReLU(True),  # (B, f, 16, 16)
            nn.ConvTranspose2d(f, cfg.n_tiles, 4, 2, 1),  # (B, T, 32, 32)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Latent (B, Z) → tile logits of one segment (B, T, 14, 28)."""
        logits = self.body(z[:, :, None, None])
        return logits[:, :, : self.cfg.rows, : self.cfg.window]


class Critic(nn.Module):
    def __init__(self, cfg: SegmentGANConfig):
        super().__init__()
        self.cfg = cfg
        f = cfg.critic_filters
        self.body = nn.Sequential(
            nn.Conv2d(cfg.n_tiles, f, 4, 2, 1), nn.LeakyReLU(0.2, True),  # (B, f, 16, 16)
            nn.Conv2d(f, 2 * f, 4, 2, 1), nn.LeakyReLU(0.2, True),  # (B, 2f, 8, 8)
            nn.Conv2d(2 * f, 4 * f, 4, 2, 1), nn.LeakyReLU(0.2, True),  # (B, 4f, 4, 4)
            nn.Conv2d(4 * f, 1, 4, 1, 0),  # (B, 1, 1, 1)
        )

    def forward(self, tiles: torch.Tensor) -> torch.Tensor:
        """Soft one-hot segments (B, T, 14, 28) → score (B,)."""
        pad = (0, self.cfg.image - tiles.shape[-1], 0, self.cfg.image - tiles.shape[-2])
        return self.body(F.pad(tiles, pad)).flatten()


def sample_latent(cfg: SegmentGANConfig, batch: int, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(batch, cfg.latent, generator=generator)  # (B, Z)


def fake_levels(gen: Generator, z: torch.Tensor) -> torch.Tensor:
    return torch.softmax(gen(z), dim=1)
